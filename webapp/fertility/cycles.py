"""Cycles derived from the days a person logged, and days shaped for the Sensiplan engine.

Pure standard-library code: no Flask, no database, no clock.

A cycle starts on the first day of period bleeding after at least two days without period
bleeding (days not logged count as days without). Period bleeding is any bleeding not marked
"not a period". A person may also mark a cycle start by hand: that mark wins, and a derived
start within two days of it (either side) is dropped, so one period never makes two cycles.

Public API
----------
- :func:`is_period_bleeding`
- :func:`derive_cycle_starts` ``(period_days, manual_starts=()) -> list[date]``
- :func:`cycles_from_starts` ``(starts) -> list[CycleSpan]``
- :func:`cycle_containing` ``(cycles, day) -> CycleSpan | None``
- :func:`day_for_engine` ``(day) -> dict`` and :func:`cycle_days_for_engine`
  ``(days) -> list[dict]``: the contract's day mappings for
  :func:`webapp.fertility.sensiplan.sensiplan_status`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol, TypeGuard

from .sensiplan import mucus_code
from .vocabulary import BLEEDING_CODES, CERVIX_FIRMNESS_CODES, CERVIX_OPENING_CODES

__all__ = [
    "CycleSpan",
    "EngineDay",
    "cycle_containing",
    "cycle_days_for_engine",
    "cycles_from_starts",
    "day_for_engine",
    "derive_cycle_starts",
    "is_period_bleeding",
]

# A period restarts a cycle only after at least this many days without period bleeding.
DAYS_WITHOUT_BLEEDING = 2
# A derived start this close (in days) to a start marked by hand belongs to that start.
MANUAL_MARK_REACH = 2


def is_period_bleeding(bleeding: str | None, not_period: bool = False) -> TypeGuard[str]:
    return bleeding is not None and not not_period


def derive_cycle_starts(
    period_days: Iterable[date], manual_starts: Iterable[date] = ()
) -> list[date]:
    """The first days of cycles, oldest first.

    ``period_days``: the dates with period bleeding (any order, duplicates harmless).
    ``manual_starts``: the dates a person marked as a cycle start by hand.
    """
    bleeding = sorted(set(period_days))
    manual = sorted(set(manual_starts))
    derived = []
    previous: date | None = None
    for day in bleeding:
        if previous is None or (day - previous).days > DAYS_WITHOUT_BLEEDING:
            derived.append(day)
        previous = day
    reach = timedelta(days=MANUAL_MARK_REACH)
    kept = [
        start
        for start in derived
        if not any(abs(start - mark) <= reach for mark in _near(manual, start, reach))
    ]
    return sorted(set(kept) | set(manual))


def _near(sorted_dates: Sequence[date], day: date, reach: timedelta) -> Sequence[date]:
    high = bisect_right(sorted_dates, day + reach)
    low = bisect_right(sorted_dates, day - reach - timedelta(days=1))
    return sorted_dates[low:high]


@dataclass(frozen=True)
class CycleSpan:
    """One cycle: ``start`` through ``end`` (both included); ``end`` is None while it runs.

    ``number`` counts cycles from 1, oldest first.
    """

    number: int
    start: date
    end: date | None

    @property
    def length(self) -> int | None:
        """Days in a finished cycle; None for the current one."""
        return None if self.end is None else (self.end - self.start).days + 1

    @property
    def is_current(self) -> bool:
        return self.end is None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def day_number(self, day: date) -> int:
        """The cycle day of ``day``: 1 on the first day of bleeding."""
        return (day - self.start).days + 1

    def last_day(self, today: date) -> date:
        """The last date to show: the end, or for the current cycle today (never before start)."""
        return self.end if self.end is not None else max(today, self.start)


def cycles_from_starts(starts: Iterable[date]) -> list[CycleSpan]:
    """Cycles from their first days: each ends the day before the next one starts."""
    ordered = sorted(set(starts))
    spans = []
    for number, start in enumerate(ordered, start=1):
        following = ordered[number] if number < len(ordered) else None
        end = following - timedelta(days=1) if following else None
        spans.append(CycleSpan(number=number, start=start, end=end))
    return spans


def cycle_containing(cycles: Sequence[CycleSpan], day: date) -> CycleSpan | None:
    """The cycle ``day`` falls in; None before the first cycle. ``cycles`` oldest first."""
    position = bisect_right([cycle.start for cycle in cycles], day)
    return cycles[position - 1] if position else None


# --------------------------------------------------------------------------- engine adapter


class EngineDay(Protocol):
    """What :func:`day_for_engine` reads: a :class:`webapp.journal.models.Day` fits."""

    date: date
    bleeding: str | None
    not_period: bool
    temperature_centi: int | None
    temperature_disturbance: str | None
    mucus_feeling: str | None
    mucus_appearance: str | None
    cervix_firmness: str | None
    cervix_opening: str | None


def day_for_engine(day: EngineDay) -> dict[str, Any]:
    """One logged day as the contract's day mapping.

    ``temperature`` in °C (float, 2 decimals) with ``temperature_excluded`` for a disturbed
    value; ``mucus`` the NFP code 0-4 (None unless feeling and appearance were both noted);
    ``cervix`` ``{"opening", "firmness"}`` ints (None unless both were noted); ``bleeding``
    0-3 for period bleeding only (bleeding marked "not a period" is None).
    """
    cervix = None
    if day.cervix_opening is not None and day.cervix_firmness is not None:
        cervix = {
            "opening": CERVIX_OPENING_CODES[day.cervix_opening],
            "firmness": CERVIX_FIRMNESS_CODES[day.cervix_firmness],
        }
    bleeding = None
    if is_period_bleeding(day.bleeding, day.not_period):
        bleeding = BLEEDING_CODES[day.bleeding]
    temperature = None if day.temperature_centi is None else day.temperature_centi / 100
    return {
        "date": day.date,
        "temperature": temperature,
        "temperature_excluded": day.temperature_disturbance is not None,
        "mucus": mucus_code(day.mucus_feeling, day.mucus_appearance),
        "cervix": cervix,
        "bleeding": bleeding,
    }


def cycle_days_for_engine(days: Iterable[EngineDay | Any]) -> list[dict[str, Any]]:
    """The days of one cycle as contract mappings, in date order.

    The engine requires the cycle's first (earliest) day to have period bleeding; a cycle
    started by hand on a day without logged bleeding does not meet that, and
    ``sensiplan_status`` raises ``ValueError`` for it: callers show no analysis then.
    """
    return [day_for_engine(day) for day in sorted(days, key=lambda day: day.date)]
