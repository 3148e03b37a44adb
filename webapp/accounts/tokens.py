"""Signed, expiring, single-use tokens: password reset and confirming a new email address.

A token carries the user's id and a fingerprint of their email, password hash and session
token. Resetting the password changes the hash and the session token, so a token works once;
changing the password or the email another way also kills every token already sent.
"""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from ..extensions import db
from .models import User

RESET_SALT = "seedling.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def account_fingerprint(user: User) -> str:
    material = "\x1f".join([user.email, user.password_hash, user.session_token])
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fingerprint": account_fingerprint(user)})


def make_decoy_token() -> str:
    """Signed like a real token, for an email with no account, so both take the same work."""
    return _serializer().dumps({"user": 0, "fingerprint": "0" * 32})


def user_for_reset_token(token: str) -> User | None:
    """The user the token was made for, if it is genuine, unexpired and still unused."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int):
        return None
    user = db.session.scalar(select(User).where(User.id == payload["user"]))
    if user is None:
        return None
    if not hmac.compare_digest(str(payload.get("fingerprint", "")), account_fingerprint(user)):
        return None
    return user


# --------------------------------------------------------------------------- email change

EMAIL_CHANGE_SALT = "seedling.email-change"


def _email_change_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def make_email_change_token(user: User, new_email: str) -> str:
    """A link for the new address. The fingerprint holds the current email, so the link works
    once: confirming it changes the email, and the link no longer matches."""
    return _email_change_serializer().dumps({"user": user.id, "email": new_email, "fingerprint": account_fingerprint(user)})


def email_change_for_token(token: str) -> tuple[User, str] | None:
    """The user and their new address, if the link is genuine, unexpired and unused."""
    try:
        payload = _email_change_serializer().loads(token, max_age=current_app.config["EMAIL_CHANGE_TOKEN_MAX_AGE"])
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), int) or not isinstance(payload.get("email"), str):
        return None
    user = db.session.scalar(select(User).where(User.id == payload["user"]))
    if user is None or not hmac.compare_digest(str(payload.get("fingerprint", "")), account_fingerprint(user)):
        return None
    return user, payload["email"]
