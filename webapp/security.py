"""Response headers that hold for every page, and logs that never hold a secret."""

import logging
import re
import traceback

from flask import Flask, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=63072000; includeSubDomains"
# Pages with account or journal data; /calendar serves a person's private calendar feed.
PRIVATE_PREFIXES = ("/accounts", "/journal", "/calendar")


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def shows_private_data() -> bool:
    if request.path.startswith(PRIVATE_PREFIXES):
        return True
    if request.endpoint == "static":  # the same CSS and icons for everyone
        return False
    return bool(getattr(current_user, "is_authenticated", False))


def refuse_cross_site_posts() -> None:
    """A second line behind the CSRF token: browsers say where a request came from.

    Referrer-Policy: no-referrer means no Referer (and Origin: null) on our own forms, so this
    uses Sec-Fetch-Site, which every current browser sends. Clients that do not send it (older
    browsers, the test client) rely on the token alone.
    """
    if request.method in UNSAFE_METHODS and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        raise CSRFError("The request came from another site.")


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    if shows_private_data():
        # Health data must never sit in a browser, proxy or CDN cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    headers.add("Vary", "Cookie")
    return response


# --------------------------------------------------------------------------- logs

# Reset links and calendar feeds carry their secret token in the path; query strings on
# account pages may carry an email address, on journal pages a date. Request logs (the development server's,
# gunicorn's) keep none of them.
RESET_TOKEN_IN_PATH = re.compile(r"(/accounts/(?:reset|confirm-email)/)[^\s?\"'#]+")
CALENDAR_TOKEN_IN_PATH = re.compile(r"(?<![^\s\"'])(/calendar/)[^\s?\"'#/]+?(\.ics)?(?=[\s?\"'#]|$)")
ACCOUNT_QUERY = re.compile(r"(/accounts/[^\s?\"']*)\?[^\s\"']*")
# Journal query strings (?date=, ?day=, ?month=, the report's range) say when a person wrote
# about what (ASVS 8.1.3); the path stays for the operator.
JOURNAL_QUERY = re.compile(r"((?<![^\s\"'])/journal(?:/[^\s?\"']*)?)\?[^\s\"']*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    text = RESET_TOKEN_IN_PATH.sub(r"\1" + REDACTED, text)
    text = CALENDAR_TOKEN_IN_PATH.sub(lambda match: match.group(1) + REDACTED + (match.group(2) or ""), text)
    text = ACCOUNT_QUERY.sub(r"\1?" + REDACTED, text)
    return JOURNAL_QUERY.sub(r"\1?" + REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites a log record's message with tokens and account and journal query strings removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


REDACT_SECRETS = RedactSecrets()


class HideDatabaseValues(logging.Filter):
    """A logged database error shows its statement and the database's primary message only.

    hide_parameters keeps the bound values out of SQLAlchemy's message, but PostgreSQL's own
    DETAIL ("Key (user_id, date)=(2, 2026-11-11) already exists") would still name them, in the
    error and in the driver's error chained to it. So the traceback is written without either.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, DBAPIError):
            record.exc_text = database_error_text(error)
        return True


def database_error_text(error: DBAPIError) -> str:
    original = error.orig
    diagnostics = getattr(original, "diag", None)
    primary = getattr(diagnostics, "message_primary", None) or str(original).split("\n", 1)[0]
    frames = "".join(traceback.format_tb(error.__traceback__))
    return (
        f"Traceback (most recent call last):\n{frames}"
        f"{type(error).__module__}.{type(error).__name__}: ({type(original).__module__}.{type(original).__name__}) {primary}\n"
        f"[SQL: {error.statement}]"
    )


HIDE_DATABASE_VALUES = HideDatabaseValues()
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install_log_redaction(app: Flask) -> None:
    # addFilter ignores a filter that is already there, so many apps in one process are fine.
    for name in REQUEST_LOGGERS:
        logging.getLogger(name).addFilter(REDACT_SECRETS)
    app.logger.addFilter(REDACT_SECRETS)
    app.logger.addFilter(HIDE_DATABASE_VALUES)


def warn_about_missing_site_url(app: Flask) -> None:
    if not (app.debug or app.testing or app.config.get("SITE_URL")):
        app.logger.warning(
            "SITE_URL is not set: only loopback hosts (localhost, 127.0.0.0/8, [::1]) are served. "
            "Set SEEDLING_SITE_URL to this site's public address."
        )


def init_security(app: Flask) -> None:
    app.before_request(refuse_cross_site_posts)
    app.after_request(set_security_headers)
    install_log_redaction(app)
    warn_about_missing_site_url(app)
