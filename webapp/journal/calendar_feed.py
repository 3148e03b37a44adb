"""The private calendar feed: predicted periods and fertile windows at a secret address.

The address holds a random token (``secrets.token_urlsafe(32)``: 256 bits); only its SHA-256
is stored, so the database never holds a working address and the person sees it once, when
they make it. Making a new one replaces the old (one feed per person); turning it off deletes
the row, and the old address answers 404 like any unknown one. Deleting the account deletes
the row (ON DELETE CASCADE).

The feed says nothing but "Period expected" and "Fertile window" on the estimated days: no
temperatures, signs, notes, donors or tests, and no name or email. In pregnancy mode it has no
estimates at all (the journal's pages show none either), and then holds only the neutral
"no estimates" note every empty feed has, which does not say why.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..fertility.render.ical import AllDayEvent, render_calendar
from ..fertility.reading import Forecast
from .models import CalendarFeed

__all__ = [
    "CalendarFeed",
    "SUMMARIES",
    "create_feed",
    "feed_for_token",
    "feed_of",
    "feed_text",
    "hash_token",
    "revoke_feed",
]

SUMMARIES = {"period": "Period expected", "fertile": "Fertile window"}
# A token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 64


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def create_feed(user_id: int) -> str:
    """Make (or replace) the person's feed and return its token; the caller commits."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id)
        db.session.add(feed)
    feed.token_hash = hash_token(token)
    feed.created_at = utcnow()
    return token


def revoke_feed(user_id: int) -> bool:
    """Delete the person's feed; True when there was one. The caller commits."""
    feed = feed_of(user_id)
    if feed is None:
        return False
    db.session.delete(feed)
    return True


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token)))


def event_uid(feed: CalendarFeed, kind: str, anchor: str, cycles_ahead: int) -> str:
    """Stable while the same cycle runs, so a calendar updates an event instead of adding
    one; derived from the stored hash, so it tells nothing about the person."""
    seed = f"{feed.token_hash}:{kind}:{anchor}:{cycles_ahead}".encode()
    return f"{hashlib.sha256(seed).hexdigest()[:32]}@seedling"


def feed_text(feed: CalendarFeed, forecast: Forecast, stamp: datetime | None = None) -> str:
    """The iCalendar text of a feed: one event per estimate, summary only."""
    events = [
        AllDayEvent(
            uid=event_uid(feed, estimate.kind, estimate.anchor.isoformat(), estimate.cycles_ahead),
            summary=SUMMARIES[estimate.kind],
            first=estimate.start,
            last=estimate.end,
        )
        for estimate in forecast.estimates
    ]
    return render_calendar(
        events, stamp or utcnow().replace(microsecond=0), empty_uid=event_uid(feed, "none", "", 0)
    )
