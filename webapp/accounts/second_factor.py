"""The optional second factor: an authenticator app (TOTP) and single-use recovery codes, and
the half-signed-in state between a correct password and a correct code.

The half-signed-in state lives in the signed Flask session under its own key, never as a
Flask-Login user: until the code is right, every page treats the browser as signed out. It is
bound to the account's session token (a password change or reset ends it) and lasts minutes.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Literal, cast

from flask import session
from sqlalchemy import CursorResult, delete, func, select, update

from ..clock import utcnow
from ..extensions import db
from . import totp
from .models import AuthenticatorApp, RecoveryCode, User
from .sealing import Unsealable, seal, unseal

SEALING_PURPOSE = "totp-secret"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_GROUPS = 4  # four groups of four base32 characters: 80 bits
RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
PENDING_KEY = "second_factor_pending"
PENDING_SECONDS = 10 * 60


def unix_time() -> float:
    return time.time()


# --------------------------------------------------------------------------- the app


def authenticator_of(user: User, confirmed: bool = True) -> AuthenticatorApp | None:
    query = select(AuthenticatorApp).where(AuthenticatorApp.user_id == user.id)
    if confirmed:
        query = query.where(AuthenticatorApp.confirmed_at.is_not(None))
    return db.session.scalar(query)


def has_second_factor(user: User) -> bool:
    return authenticator_of(user) is not None


def secret_of(app: AuthenticatorApp) -> str | None:
    try:
        return unseal(app.sealed_secret, SEALING_PURPOSE)
    except Unsealable:
        return None  # SECRET_KEY changed: only a recovery code gets this person in


def setup_in_progress(user: User) -> tuple[AuthenticatorApp, str]:
    """The unconfirmed app and its secret, made on first use: reloading the set-up page keeps
    the same secret, so a QR code already scanned stays right."""
    app = authenticator_of(user, confirmed=False)
    if app is not None and app.confirmed_at is None:
        secret = secret_of(app)
        if secret is not None:
            return app, secret
        db.session.delete(app)
        db.session.flush()
    secret = totp.new_secret()
    app = AuthenticatorApp(user_id=user.id, sealed_secret=seal(secret, SEALING_PURPOSE))
    db.session.add(app)
    db.session.flush()
    return app, secret


def confirm_setup(user: User, code: str) -> list[str] | None:
    """Turn the app on if `code` is its current code; returns the new recovery codes."""
    app = authenticator_of(user, confirmed=False)
    if app is None or app.confirmed_at is not None:
        return None
    secret = secret_of(app)
    step = totp.matching_step(totp.secret_bytes(secret), code, unix_time()) if secret else None
    if step is None:
        return None
    app.confirmed_at = utcnow()
    app.last_used_step = step  # the code just typed cannot sign anyone in
    return replace_recovery_codes(user)


def turn_off(user: User) -> None:
    db.session.execute(delete(AuthenticatorApp).where(AuthenticatorApp.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _spend_app_code(app: AuthenticatorApp, code: str) -> bool:
    secret = secret_of(app)
    if secret is None:
        return False
    step = totp.matching_step(totp.secret_bytes(secret), code, unix_time(), after_step=app.last_used_step)
    if step is None:
        return False
    # One conditional UPDATE: of two requests racing with the same code, only one wins.
    spent = db.session.execute(
        update(AuthenticatorApp)
        .where(AuthenticatorApp.id == app.id)
        .where((AuthenticatorApp.last_used_step.is_(None)) | (AuthenticatorApp.last_used_step < step))
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, spent).rowcount == 1


# --------------------------------------------------------------------------- recovery codes


def _new_recovery_code() -> str:
    groups = ("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(RECOVERY_CODE_GROUPS))
    return "-".join(groups)


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(totp.normalise_code(code).lower().encode()).hexdigest()


def replace_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes, shown once; every earlier code stops working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    query = select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query) or 0


def _spend_recovery_code(user: User, code: str) -> bool:
    if len(code) > 40:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_recovery_code(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult, spent).rowcount == 1


def spend_code(user: User, code: str) -> Literal["app", "recovery"] | None:
    """Which kind of code this was, if it is right and unused (and now spent); else None."""
    code = (code or "").strip()
    app = authenticator_of(user)
    if app is None:
        return None
    if totp.normalise_code(code).isdigit():
        return "app" if _spend_app_code(app, code) else None
    return "recovery" if _spend_recovery_code(user, code) else None


# --------------------------------------------------------------------------- half signed in


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    remember: bool
    next: str | None


def _fingerprint(user: User) -> str:
    return hashlib.sha256(("pending:" + user.session_token).encode()).hexdigest()


def begin_pending_sign_in(user: User, remember: bool, next_path: str | None) -> None:
    """The password was right; the code is still to come. Nothing else is kept from before."""
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id,
        "fingerprint": _fingerprint(user),
        "remember": bool(remember),
        "next": next_path,
        "started": unix_time(),
    }


def pending_sign_in() -> PendingSignIn | None:
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    started = state.get("started")
    if not isinstance(started, (int, float)) or not 0 <= unix_time() - started <= PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user_id = state.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or state.get("fingerprint") != _fingerprint(user):
        session.pop(PENDING_KEY, None)
        return None
    next_path = state.get("next")
    return PendingSignIn(user, bool(state.get("remember")), next_path if isinstance(next_path, str) else None)


def pending_user_id() -> int | None:
    state = session.get(PENDING_KEY)
    user_id = state.get("user") if isinstance(state, dict) else None
    return user_id if isinstance(user_id, int) else None


def end_pending_sign_in() -> None:
    session.pop(PENDING_KEY, None)
