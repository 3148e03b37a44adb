"""A person's journal revision: one number, bumped in the same transaction as every change.

Every flush that adds, changes or deletes a journal row bumps its owner's revision (a session
event, so no view can forget it); statements that bypass the session's unit of work (bulk
inserts and deletes) call :func:`bump` themselves. Readers key their caches by
:func:`revision_of`: a committed change always gives a new key, whatever the rows' timestamps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..extensions import db
from .models import JOURNAL_MODELS, JournalRevision

# Both dialects' inserts have on_conflict_do_update, with the same arguments.
_INSERTS: dict[str, Callable[..., PostgresqlInsert | SqliteInsert]] = {
    "sqlite": sqlite_insert,
    "postgresql": postgresql_insert,
}


def revision_of(user_id: int) -> int:
    value = db.session.connection().execute(
        select(JournalRevision.revision).where(JournalRevision.user_id == user_id)
    ).scalar()
    return value or 0


def bump(session: Session, user_ids: Iterable[int]) -> None:
    """Add one to each person's revision, in the session's transaction (one upsert each)."""
    connection = session.connection()
    insert = _INSERTS[connection.dialect.name]
    for user_id in sorted(set(user_ids)):
        statement = insert(JournalRevision).values(user_id=user_id, revision=1)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[JournalRevision.user_id],
                set_={"revision": JournalRevision.revision + 1},
            )
        )


def _changed_owners(session: Session) -> set[int]:
    owners = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, JOURNAL_MODELS) and row.user_id is not None:
            if row in session.dirty and not session.is_modified(row, include_collections=False):
                continue
            owners.add(row.user_id)
    return owners


def _bump_on_flush(session: Session, _context, _instances) -> None:
    owners = _changed_owners(session)
    if owners:
        session.info.setdefault("journal_owners", set()).update(owners)


def _bump_after_flush(session: Session, _context) -> None:
    owners = session.info.pop("journal_owners", None)
    if owners:
        bump(session, owners)


def listen() -> None:
    """Watch every session of the app's ``db`` (once per process)."""
    target = db.session
    if not event.contains(target, "before_flush", _bump_on_flush):
        event.listen(target, "before_flush", _bump_on_flush)
        event.listen(target, "after_flush", _bump_after_flush)
