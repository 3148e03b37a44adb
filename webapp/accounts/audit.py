"""The account's audit trail: sign-ins, new devices, exports, imports, password and email
changes, each with its time and address, for the person to see in their settings.

Other parts of the app record their own events with `record(user_id, kind, request)`, e.g. the
journal after an import. A new device is a browser without this account's device cookie: a
random, signed value set at sign-in that identifies nothing but "seen before".
"""

import secrets
from datetime import timedelta

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select
from werkzeug.wrappers import Response

from ..clock import utcnow
from ..extensions import db
from .models import AuditEvent, User

KINDS = {
    "sign_in": "Signed in",
    "new_device": "Signed in from a new device",
    "export": "Downloaded your data",
    "import": "Imported a journal file",
    "journal_deleted": "Deleted all your journal entries",
    "password_changed": "Changed your password",
    "password_reset": "Reset your password by email",
    "email_changed": "Changed your email address",
    "sign_in_code": "Signed in with a code from your app",
    "sign_in_recovery": "Signed in with a recovery code",
    "sign_in_passkey": "Signed in with a passkey",
    "app_turned_on": "Turned on two-step sign-in",
    "app_turned_off": "Turned off two-step sign-in",
    "recovery_codes_new": "Made new recovery codes",
    "passkey_added": "Added a passkey",
    "passkey_removed": "Removed a passkey",
    "reauthenticated": "Confirmed it was you (before a download or deletion)",
    "reauth_failed": "A wrong password or code when asked to confirm it was you",
}
SHOWN = 30
DEVICE_SALT = "seedling.device"
DEVICE_COOKIE_DAYS = 400  # browsers cap cookies at about 400 days


def record(user_id: int, kind: str, request: Request, commit: bool = True) -> None:
    """Note that `kind` happened to this account now, from this request's address.

    With commit=False the caller's own commit saves it (in the same transaction as its change).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown audit event kind: {kind!r}")
    db.session.add(AuditEvent(user_id=user_id, kind=kind, address=(request.remote_addr or "")[:45]))
    keep_days = int(current_app.config["AUDIT_KEEP_DAYS"])
    db.session.execute(
        delete(AuditEvent).where(AuditEvent.user_id == user_id, AuditEvent.created_at < utcnow() - timedelta(days=keep_days))
    )
    if commit:
        db.session.commit()


def recent(user: User, limit: int = SHOWN) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def label(kind: str) -> str:
    return KINDS.get(kind, kind)


# --------------------------------------------------------------------------- device cookie


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _device_cookie_name() -> str:
    return "__Host-device" if current_app.config["SESSION_COOKIE_SECURE"] else "device"


def is_known_device(user: User, request: Request) -> bool:
    value = request.cookies.get(_device_cookie_name(), "")
    try:
        payload = _device_serializer().loads(value) if value else None
    except BadSignature:
        return False
    return isinstance(payload, dict) and payload.get("user") == user.id


def remember_device(user: User, response: Response) -> None:
    value = _device_serializer().dumps({"user": user.id, "device": secrets.token_urlsafe(8)})
    response.set_cookie(
        _device_cookie_name(),
        value,
        max_age=int(timedelta(days=DEVICE_COOKIE_DAYS).total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )
