"""Slowing sign-in guesses for one email down without locking its owner out.

Failed sign-ins are refused (429) per email *and* address by a Flask-Limiter limit. Across
addresses, an email's failures only slow every further attempt for it down by a fixed pause: a
guesser spread over many addresses gets very few guesses an hour, and the owner, with the right
password, still gets in, a moment later.
"""

import time

from flask import current_app
from limits import parse_many

from ..extensions import limiter
from . import alerts

NAMESPACE = "login-email-failures"


def pause(seconds: float) -> None:
    time.sleep(seconds)


def _limits():
    return parse_many(current_app.config["RATELIMIT_LOGIN_EMAIL"])


def _identifiers(email_key: str) -> tuple[str, str]:
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or "seedling", f"{NAMESPACE}:{email_key}"


def slow_down_if_guessed(email_key: str) -> None:
    """Pause before checking a password for an email that has had too many failures lately."""
    if not limiter.enabled:
        return
    if any(not limiter.limiter.test(item, *_identifiers(email_key)) for item in _limits()):
        pause(float(current_app.config["LOGIN_SLOWDOWN_SECONDS"]))


def record_failure(email_key: str) -> None:
    """A wrong password for this email; beyond its limit (the slow-down) the operator hears of
    it, as of every spike of failures across the site (accounts.alerts)."""
    if not limiter.enabled:
        return
    over = [item for item in _limits() if not limiter.limiter.hit(item, *_identifiers(email_key))]
    if over:
        alerts.note_breach("RATELIMIT_LOGIN_EMAIL", email_key)
    alerts.note_sign_in_failure()
