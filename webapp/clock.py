"""One notion of "now" for the whole app: naive UTC, as both SQLite and PostgreSQL store it."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return utcnow().date()
