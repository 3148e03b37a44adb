"""Password hashing and the rules a new password must meet.

Hashes use Werkzeug's scrypt: slow, salted and memory-hard. Checking a password for an email
that has no account still hashes once against a dummy hash, so sign-in takes the same time
whether or not the address is known.
"""

from functools import cache
from pathlib import Path
import secrets

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12  # ASVS 2.1.1
MAX_LENGTH = 256

def _static_file(name: str) -> Path:
    """A file of static/: inside the package in a wheel, beside it in a checkout (as the app
    factory finds the folder). The list is static so that the strength meter in the browser
    reads the very file the server refuses from."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "static" / name
    return packaged if packaged.exists() else package.parent / "static" / name


COMMON_PASSWORDS_FILE = _static_file("common-passwords.txt")

TOO_SHORT = f"Please use at least {MIN_LENGTH} characters."
TOO_LONG = f"Please use at most {MAX_LENGTH} characters."
IS_EMAIL = "Please do not use your email address as your password: it is the first thing someone would try."
CONTAINS_EMAIL = "Please do not use the first part of your email address in your password: it is easy to guess."
TOO_COMMON = (
    "This is one of the most common passwords, so it is easy to guess. "
    "Please choose another: a few unrelated words make a strong one."
)


# Werkzeug's scrypt: N=2**15, r=8, p=1 (about 32 MiB and 0.1 s a hash). Tests may configure a
# cheap method (PASSWORD_HASH_METHOD); production never does (see config.Defaults).
PRODUCTION_METHOD = "scrypt:32768:8:1"


def hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or PRODUCTION_METHOD
    return PRODUCTION_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def spend_hashing_time(password: str) -> None:
    """Do the work of a password check that cannot succeed, for an email with no account (with
    the same method as real hashes, so the two take the same time)."""
    check_password_hash(_dummy_hash(hash_method()), password)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str | None) -> str | None:
    """Why this password will not do for this email address, in plain words; None if it will."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.strip().casefold()
    email = (email or "").strip().casefold()
    if email and folded == email:
        return IS_EMAIL
    local_part = email.partition("@")[0]
    # Very short local parts ("jo@…") would refuse too much for too little safety.
    if len(local_part) >= 3 and local_part in folded:
        return CONTAINS_EMAIL
    if folded in common_passwords() or folded.replace(" ", "") in common_passwords():
        return TOO_COMMON
    return None
