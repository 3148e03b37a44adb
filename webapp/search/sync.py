"""Keeping every server's search index in step with the database.

Every committed change to a searchable row bumps one counter, the search generation, inside the
same transaction, and stamps the row with it. Each process remembers the generation its index
has caught up to (the watermark, stored beside the index) and applies the rows stamped after it.
The counter row is locked until commit, so generations become visible in order and a watermark
never skips a change. A server that made the change catches up at once, after its commit; the
others within SEARCH_SYNC_INTERVAL seconds, on their next search.
"""

import logging

from flask import current_app, has_app_context
from sqlalchemy import Integer, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import Model, db

log = logging.getLogger(__name__)
CHANGED_KEY = "seedling.search_changed"
EXTENSION_KEY = "seedling.search"


class SearchGeneration(Model):
    __tablename__ = "search_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def bump_generation(connection) -> int:
    new_value = connection.execute(
        update(SearchGeneration)
        .where(SearchGeneration.id == 1)
        .values(value=SearchGeneration.value + 1)
        .returning(SearchGeneration.value)
    ).scalar()
    if new_value is None:
        connection.execute(insert(SearchGeneration).values(id=1, value=1))
        new_value = 1
    return new_value


def current_generation(connection) -> int:
    statement = select(SearchGeneration.value).where(SearchGeneration.id == 1)
    return connection.execute(statement).scalar() or 0


def _is_searchable(obj) -> bool:
    return getattr(type(obj), "__searchable__", False)


def _before_flush(session: Session, _context, _instances) -> None:
    changed = [o for o in session.new if _is_searchable(o)]
    changed += [o for o in session.dirty if _is_searchable(o) and session.is_modified(o)]
    deleted = [o for o in session.deleted if _is_searchable(o)]
    if not changed and not deleted:
        return
    generation = bump_generation(session.connection())
    for obj in changed:
        obj.search_generation = generation
    session.info[CHANGED_KEY] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(CHANGED_KEY, False) or not has_app_context():
        return
    index = current_app.extensions.get(EXTENSION_KEY)
    if index is None:
        return
    try:
        index.catch_up(force=True)
    except Exception:  # the commit stands; the next sync or `reindex` repairs the index
        log.exception("Updating the search index after a commit failed")


def _after_rollback(session: Session, _previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(CHANGED_KEY, None)


def register_session_events() -> None:
    """Listen on the global db.session once, however many apps are created (tests make many)."""
    if event.contains(db.session, "before_flush", _before_flush):
        return
    event.listen(db.session, "before_flush", _before_flush)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)
