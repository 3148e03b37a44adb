"""One notion of "now" for the whole app.

Stored timestamps (``created_at`` and the like) are naive UTC, as both SQLite and PostgreSQL
store them. A person's *dates* are their own: "today" is the date where they live, from the IANA
time zone on their account (:func:`today_for`); a person without one keeps the server's UTC date.
Journal dates and times are stored as the person entered them (their wall-clock time), so they are
shown as they are and never converted.

Tests (and the browser tests' live server, which runs in the same process) fix the clock with
:func:`fixed_utcnow`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "UTC"
_fixed: datetime | None = None


def utcnow() -> datetime:
    return _fixed if _fixed is not None else datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """The server's (UTC) date: for things that belong to no one person (feeds, file names)."""
    return utcnow().date()


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone this machine knows (the only names a person may choose)."""
    return frozenset(available_timezones()) | {DEFAULT_ZONE}


def is_zone(name: object) -> bool:
    return isinstance(name, str) and name in zone_names()


def zone_or_default(name: str | None) -> str:
    return name if name is not None and is_zone(name) else DEFAULT_ZONE


def now_in(zone_name: str | None) -> datetime:
    """The wall-clock time in ``zone_name`` (UTC when unknown), naive, to the second."""
    aware = utcnow().replace(tzinfo=UTC).astimezone(ZoneInfo(zone_or_default(zone_name)))
    return aware.replace(tzinfo=None, microsecond=0)


def today_in(zone_name: str | None) -> date:
    return now_in(zone_name).date()


def today_for(person: object) -> date:
    """A person's own today: anything with a ``time_zone`` attribute (an account), or nothing."""
    return today_in(getattr(person, "time_zone", None))


def now_for(person: object) -> datetime:
    return now_in(getattr(person, "time_zone", None))


@contextmanager
def fixed_utcnow(moment: datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` (naive UTC, or aware in any zone) for the block."""
    global _fixed
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    before, _fixed = _fixed, moment
    try:
        yield
    finally:
        _fixed = before
