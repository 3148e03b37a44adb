"""A minimal iCalendar (RFC 5545) writer for all-day events. Pure standard-library code.

Only what a subscribed calendar needs: VCALENDAR with VEVENTs that have a stable UID, a
DTSTAMP, an all-day DTSTART;VALUE=DATE and an exclusive DTEND, a SUMMARY, and TRANSP
(estimates never block time). Text is escaped, lines end in CRLF and are folded at 75 octets
without splitting a UTF-8 character.

RFC 5545 (3.4, 3.6) requires a VCALENDAR to hold at least one component. With no estimates
the calendar holds one VJOURNAL, a dated note that says so: calendar apps do not show
journal entries as events or tasks (a VEVENT would put a false day in the calendar, a VTODO a
task in a to-do list, and a VTIMEZONE would describe times the feed never uses). It says
nothing about why there are no estimates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["AllDayEvent", "EMPTY_SUMMARY", "escape_text", "fold", "render_calendar"]

CRLF = "\r\n"
EMPTY_SUMMARY = "No estimates to show at the moment"
MAX_OCTETS = 75


@dataclass(frozen=True)
class AllDayEvent:
    """``first`` through ``last``, both included (DTEND is written as the day after ``last``)."""

    uid: str
    summary: str
    first: date
    last: date


def escape_text(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets joined by CRLF and a space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += character
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def render_calendar(
    events: Iterable[AllDayEvent],
    stamp: datetime,
    product: str = "-//Seedling//Calendar feed//EN",
    refresh_hours: int = 12,
    empty_uid: str = "no-estimates@seedling",
) -> str:
    """The whole VCALENDAR object; ``stamp`` (naive UTC) becomes every event's DTSTAMP.
    Without events, one VJOURNAL with ``empty_uid`` keeps the calendar valid (see above)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"REFRESH-INTERVAL;VALUE=DURATION:PT{refresh_hours}H",
        f"X-PUBLISHED-TTL:PT{refresh_hours}H",
    ]
    events = list(events)
    for event in events:
        if event.last < event.first:
            raise ValueError(f"event {event.uid!r} ends before it starts")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{_date(event.first)}",
            f"DTEND;VALUE=DATE:{_date(event.last + timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    if not events:
        lines += [
            "BEGIN:VJOURNAL",
            f"UID:{empty_uid}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{_date(stamp.date())}",
            f"SUMMARY:{escape_text(EMPTY_SUMMARY)}",
            "END:VJOURNAL",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
