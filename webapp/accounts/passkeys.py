"""Passkeys (WebAuthn): adding one in the settings, and signing in with one instead of a password.

The relying party is this site: its id is SITE_URL's host, or the request's host when SITE_URL
is unset (then only loopback hosts are served, see webapp.urls). Sign-in asks the authenticator
to verify the person (PIN, fingerprint, face), so a passkey is two factors in one: it signs in
without the password or the app's code. Each ceremony's challenge is kept in the signed session
and used once.
"""

import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from flask import current_app, request, session
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..clock import utcnow
from ..extensions import db
from .models import Passkey, User

CHALLENGE_SECONDS = 5 * 60
TIMEOUT_MS = 2 * 60 * 1000
MAX_CREDENTIAL_JSON = 16 * 1024
REGISTERING = "passkey_registration"
SIGNING_IN = "passkey_sign_in"


class PasskeyRefused(ValueError):
    """The browser's answer did not prove what it should; the message is safe to show."""


def relying_party_id() -> str:
    site_url = current_app.config.get("SITE_URL")
    return (urlsplit(site_url).hostname if site_url else request.host.rsplit(":", 1)[0].strip("[]")) or "localhost"


def expected_origin() -> str:
    site_url = current_app.config.get("SITE_URL")
    if site_url:
        parts = urlsplit(site_url)
        return f"{parts.scheme}://{parts.netloc}"
    return request.host_url.rstrip("/")


def user_handle(user: User) -> bytes:
    """A stable id for the authenticator that says nothing about the person (not the email)."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"passkey-user:{user.id}".encode(), hashlib.sha256).digest()


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)))


def _remember_challenge(key: str, challenge: bytes, **extra) -> None:
    session[key] = {"challenge": bytes_to_base64url(challenge), "at": time.time(), **extra}


def _take_challenge(key: str) -> dict:
    state = session.pop(key, None)
    if not isinstance(state, dict) or not 0 <= time.time() - float(state.get("at", 0)) <= CHALLENGE_SECONDS:
        raise PasskeyRefused("That took too long. Please try again.")
    return state


def _credential_json(body: str) -> str:
    if len(body) > MAX_CREDENTIAL_JSON:
        raise PasskeyRefused("That answer from your browser is too large.")
    return body


# --------------------------------------------------------------------------- adding a passkey


def registration_options(user: User, name: str) -> str:
    options = generate_registration_options(
        rp_id=relying_party_id(),
        rp_name=current_app.config["SITE_NAME"],
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.email,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,  # a passkey: found without typing the email
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=key.credential_id) for key in passkeys_of(user)],
    )
    _remember_challenge(REGISTERING, options.challenge, user=user.id, name=name)
    return options_to_json(options)


def add_passkey(user: User, credential: str) -> Passkey:
    state = _take_challenge(REGISTERING)
    if state.get("user") != user.id:
        raise PasskeyRefused("That took too long. Please try again.")
    try:
        verified = verify_registration_response(
            credential=_credential_json(credential),
            expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origin(),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused("Your browser's answer could not be checked. Please try again.") from exc
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)) is not None:
        raise PasskeyRefused("That passkey is already added.")
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=str(state.get("name") or "Passkey")[:60],
    )
    db.session.add(passkey)
    return passkey


def remove_passkey(user: User, passkey_id: int) -> bool:
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        return False
    db.session.delete(passkey)
    return True


# --------------------------------------------------------------------------- signing in


def sign_in_options(next_path: str | None) -> str:
    options = generate_authentication_options(
        rp_id=relying_party_id(),
        timeout=TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    _remember_challenge(SIGNING_IN, options.challenge, next=next_path)
    return options_to_json(options)


def user_for_sign_in(credential: str) -> tuple[User, str | None]:
    """The person whose passkey signed the challenge, and where they were going."""
    state = _take_challenge(SIGNING_IN)
    try:
        parsed = json.loads(_credential_json(credential))
        credential_id = base64url_to_bytes(parsed["rawId"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused("Your browser's answer could not be checked. Please try again.") from exc
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise PasskeyRefused("That passkey is not one of this site's: it may have been removed.")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=relying_party_id(),
            expected_origin=expected_origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused("That passkey could not be checked. Please try again.") from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    user = db.session.get(User, passkey.user_id)
    if user is None:
        raise PasskeyRefused("That passkey is not one of this site's: it may have been removed.")
    next_path = state.get("next")
    return user, next_path if isinstance(next_path, str) else None
