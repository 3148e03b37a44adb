"""Warnings for the operator when rate limits trip again and again, or when failed sign-ins
spike across the site (ASVS 8.1.4).

A warning names the limit (its setting, e.g. ``RATELIMIT_LOGIN_EMAIL_ADDRESS``) and a
*subject*: 16 hex digits of an HMAC, keyed with ``SECRET_KEY``, of the limit's key (which holds
the client's address or a keyed hash of the email typed). The same client or account gives the
same subject, so repeated lines can be told apart and counted, but nobody reading the log can
get an email address or an address back from it. Nothing from the journal is ever involved.

Each warning is said once per window: it fires when the count for its subject reaches the
setting's number (``ALERT_REPEATED_BREACHES``, ``ALERT_SIGN_IN_FAILURES``), then stays quiet
while the count stays that high. The counts live in the rate limits' shared store, so every
worker counts together. With rate limits off (development, tests) nothing is counted.
"""

import hashlib
import hmac
import logging
from collections.abc import Callable

from flask import current_app
from limits import parse_many

from ..extensions import limiter

log = logging.getLogger(__name__)
NAMESPACE = "alert"


def subject_of(key: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"{NAMESPACE}:{key}".encode(), hashlib.sha256).hexdigest()[:16]


def _reached(event: str, subject: str, setting: str) -> bool:
    """Count one more `event` for `subject`; whether this one just filled one of the windows."""
    if not limiter.enabled:
        return False
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "seedling"
    identifiers = (prefix, NAMESPACE, event, subject)
    filled = False
    for item in parse_many(current_app.config[setting]):
        # A full moving window refuses the hit: so "just filled" happens once per window.
        if limiter.limiter.hit(item, *identifiers) and limiter.limiter.get_window_stats(item, *identifiers).remaining == 0:
            filled = True
    return filled


def note_breach(limit_name: str, key: str) -> None:
    """A request was refused by the limit `limit_name` for `key` (or, for the per-email
    slow-down, went over it)."""
    subject = subject_of(key)
    if _reached(f"breach:{limit_name}", subject, "ALERT_REPEATED_BREACHES"):
        log.warning(
            "Repeated rate-limit refusals: limit=%s subject=%s refusals=%s (ALERT_REPEATED_BREACHES)",
            limit_name,
            subject,
            current_app.config["ALERT_REPEATED_BREACHES"],
        )


def on_breach(limit_name: str) -> Callable[[object], None]:
    """Flask-Limiter's on_breach callback for a limit set by `limit_name`."""

    def breached(request_limit) -> None:
        note_breach(limit_name, request_limit.key)

    return breached


def note_sign_in_failure() -> None:
    """A wrong password at sign-in, from anyone for anyone: warn when they spike site-wide."""
    if _reached("sign-in-failures", "site", "ALERT_SIGN_IN_FAILURES"):
        log.warning("Spike of sign-in failures across the site: %s (ALERT_SIGN_IN_FAILURES)", current_app.config["ALERT_SIGN_IN_FAILURES"])
