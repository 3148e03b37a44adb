"""Signed-in sessions kept on the server, so that signing out really ends them.

Each sign-in makes a random id that only the browser keeps (in the Flask session and, with
"keep me signed in", the remember cookie); the database keeps its SHA-256. Every request looks
the id up: a deleted row (sign-out, "sign out everywhere else", a password change) or one idle
for too long is refused at once.
"""

import hashlib
import logging
import re
import secrets
from datetime import timedelta
from typing import cast

from flask import current_app, request
from sqlalchemy import CursorResult, bindparam, delete, inspect, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import make_transient_to_detached

from ..clock import utcnow
from ..extensions import db
from .models import User, UserSession

log = logging.getLogger(__name__)
# Writing last_seen on every request would make every page a database write.
TOUCH_EVERY = timedelta(minutes=1)

BROWSERS = [("Edge", r"Edg/"), ("Opera", r"OPR/"), ("Firefox", r"Firefox/|FxiOS/"), ("Chrome", r"Chrome/|CriOS/"), ("Safari", r"Safari/")]
SYSTEMS = [("iOS", r"iPhone|iPad|iPod"), ("Android", r"Android"), ("Windows", r"Windows"), ("macOS", r"Macintosh|Mac OS X"), ("ChromeOS", r"CrOS"), ("Linux", r"Linux")]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def describe_user_agent(user_agent: str) -> str:
    """A short, version-free name such as "Firefox on Linux": enough to recognise a device."""
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), "A browser")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), None)
    return f"{browser} on {system}" if system else browser


def start_session(user: User, remember: bool) -> str:
    """A new session row for this browser; returns the id its cookies will carry."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=hash_token(token),
        user_agent=describe_user_agent(request.headers.get("User-Agent", ""))[:120],
        remember=remember,
    )
    db.session.add(row)
    db.session.flush()
    user.attach_session(token, row.id)
    return token


# Flask-Login's user loader runs on every signed-in request: one Core statement, built once,
# reads the session's row (only the columns the checks need) and its person's columns together;
# the person is then put into the ORM session as if loaded (no second query, no ORM loading).
_USER_COLUMNS = tuple(attribute.key for attribute in User.__mapper__.column_attrs)
_USER_MANAGER = inspect(User).class_manager
_LIVE_SESSION = (
    select(
        UserSession.id.label("session_id"),
        UserSession.created_at.label("session_created_at"),
        UserSession.last_seen_at,
        UserSession.remember,
        *(getattr(User, name) for name in _USER_COLUMNS),
    )
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


class _SessionRow:
    """What :func:`_expired` reads of a session, from the loader's row."""

    __slots__ = ("created_at", "last_seen_at", "remember")

    def __init__(self, created_at, last_seen_at, remember):
        self.created_at, self.last_seen_at, self.remember = created_at, last_seen_at, remember


def _persistent_user(values: tuple) -> User:
    """The User with these column values (``_USER_COLUMNS`` order) in the ORM session, as a
    query would have put it there: the one already in the session if any, else one made from
    the values and attached with them as its loaded (committed) state."""
    found = db.session.identity_map.get(inspect(User).identity_key_from_primary_key((values[0],)))
    if found is not None:
        return found
    # Made as the ORM's loader makes rows' objects (values straight into its dict, no
    # attribute events), then marked loaded: its values are the committed state.
    user: User = _USER_MANAGER.new_instance()
    user.__dict__.update(zip(_USER_COLUMNS, values))
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def _expired(row, now) -> bool:
    config = current_app.config
    if row.remember:
        return now - row.created_at > config["REMEMBER_COOKIE_DURATION"]
    idle = timedelta(minutes=float(config["IDLE_TIMEOUT_MINUTES"]))
    return now - row.last_seen_at > idle or now - row.created_at > timedelta(hours=float(config["SESSION_MAX_HOURS"]))


def user_for_token(token: str) -> User | None:
    """Flask-Login's user loader: the person this session id belongs to, if it is still live."""
    if not token or len(token) > 100:
        return None
    row = db.session.connection().execute(_LIVE_SESSION, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    session_id = row.session_id
    now = utcnow()
    expired = _expired(_SessionRow(row.session_created_at, row.last_seen_at, row.remember), now)
    if expired or now - row.last_seen_at > TOUCH_EVERY:
        _record(session_id, now, expired)
    if expired:
        return None
    user = _persistent_user(tuple(row)[4:])
    user.attach_session(token, session_id)
    return user


def _record(session_id: int, now, expired: bool) -> None:
    """Forget an expired session or note activity, in a transaction of its own: the loader may
    run in the middle of a view's unit of work. Best effort: a busy database only delays it."""
    try:
        with db.engine.begin() as connection:
            if expired:
                connection.execute(delete(UserSession).where(UserSession.id == session_id))
            else:
                connection.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))
    except OperationalError:
        log.warning("Could not record session activity (database busy)")


def sessions_of(user: User) -> list[UserSession]:
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())))


def end_session(user: User, session_id: int | None) -> bool:
    """Sign one of this person's sessions out; False if it is not theirs (or gone)."""
    if session_id is None:
        return False
    result = cast(CursorResult, db.session.execute(delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id)))
    return result.rowcount > 0


def end_other_sessions(user: User) -> None:
    """Every session of this person but the one making this request."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if user.current_session_id is not None:
        query = query.where(UserSession.id != user.current_session_id)
    db.session.execute(query)


# --------------------------------------------------------------------------- re-authentication


def reauth_window() -> timedelta:
    return timedelta(minutes=float(current_app.config["REAUTH_MINUTES"]))


def authenticated_recently(user: User) -> bool:
    """Whether the person proved it was them in this very session (signing in, or confirming
    since) within REAUTH_MINUTES. A remembered session restored from its cookie keeps the time
    of its sign-in: "keep me signed in" never counts as proof."""
    if user.current_session_id is None:
        return False
    row = db.session.get(UserSession, user.current_session_id)
    if row is None or row.user_id != user.id:
        return False
    proved = row.authenticated_at or row.created_at
    return utcnow() - proved <= reauth_window()


def record_authentication(user: User) -> None:
    """This session's person has just proved it is them (the caller commits)."""
    if user.current_session_id is not None:
        db.session.execute(
            update(UserSession)
            .where(UserSession.id == user.current_session_id, UserSession.user_id == user.id)
            .values(authenticated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
