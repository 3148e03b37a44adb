"""Sealing small secrets (authenticator-app secrets) before they reach the database.

AES-256-GCM with a key derived (HKDF-SHA256) from SECRET_KEY, so a copy of the database alone
does not give anyone the codes of every person's authenticator app. Changing SECRET_KEY makes
sealed secrets unreadable: those people sign in with a recovery code and set the app up again.
"""

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

NONCE_BYTES = 12
VERSION = "v1"


class Unsealable(ValueError):
    """The value was sealed with another key, or altered."""


def _key(purpose: str) -> bytes:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"seedling.{purpose}".encode()).derive(secret)


def seal(plain: str, purpose: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plain.encode(), purpose.encode())
    return VERSION + ":" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(value: str, purpose: str) -> str:
    version, _, body = value.partition(":")
    if version != VERSION:
        raise Unsealable("unknown sealing version")
    raw = base64.urlsafe_b64decode(body.encode("ascii"))
    try:
        return AESGCM(_key(purpose)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()).decode()
    except InvalidTag as exc:
        raise Unsealable("the value does not open with this key") from exc
