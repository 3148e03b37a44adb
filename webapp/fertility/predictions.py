"""Cycle statistics and gentle predictions for the journal.

Pure standard-library functions: no Flask, no database, no clock (``today`` is always passed
in). Inputs and outputs are small frozen dataclasses so that templates and tests read fields by
name. Every prediction here is an estimate from past cycles, shown as a range, never a promise.

Public API
----------
- :func:`cycle_statistics` (:class:`CompletedCycle` in, :class:`CycleStatistics` out)
- :func:`predict_next_period` (:class:`PeriodPrediction` or None)
- :func:`predict_fertile_window` (:class:`FertileWindow` or None)
- :func:`rough_cycle_length`, :func:`rough_next_period`, :func:`rough_fertile_window`: before
  three cycles are complete, the person's own cycles so far blended with typical figures
- :func:`insemination_timing` (:class:`InseminationTiming`)
- :func:`days_past`
- :func:`doubling_time_hours`
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "CompletedCycle",
    "CycleStatistics",
    "FertileWindow",
    "InseminationTiming",
    "PeriodPrediction",
    "cycle_statistics",
    "days_past",
    "doubling_time_hours",
    "insemination_timing",
    "predict_fertile_window",
    "predict_next_period",
    "rough_cycle_length",
    "rough_fertile_window",
    "rough_next_period",
]

# Predictions need a little history: one or two cycles say little about the next one.
MIN_CYCLES_FOR_PREDICTION = 3
# Sperm can survive about five days, so the fertile window opens five days before ovulation.
FERTILE_DAYS_BEFORE_OVULATION = 5
# Typical figures for rough predictions before a person's own cycles are known: a 28-day
# cycle and a luteal phase (ovulation to the next period) of 12 to 14 days.
TYPICAL_CYCLE_LENGTH = 28
TYPICAL_LUTEAL_DAYS = (12, 14)
# Rough ranges are at least this wide either side: most cycles are 24 to 32 days.
ROUGH_SPREAD_DAYS = 4


@dataclass(frozen=True)
class CompletedCycle:
    """One finished cycle.

    ``start``: the first day of bleeding. ``length``: days from ``start`` up to (not including)
    the next cycle's first day. ``ovulation_day``: the cycle day (day 1 = ``start``) of the
    likely ovulation, None when none was detected. ``luteal_length``: days from ovulation to the
    end of the cycle, None when unknown.
    """

    start: date
    length: int
    ovulation_day: int | None = None
    luteal_length: int | None = None

    def __post_init__(self) -> None:
        if not _is_positive_int(self.length):
            raise ValueError(f"cycle starting {self.start}: length must be a positive int")
        if self.ovulation_day is not None and not (
            _is_positive_int(self.ovulation_day) and self.ovulation_day <= self.length
        ):
            raise ValueError(
                f"cycle starting {self.start}: ovulation_day must be an int 1-{self.length}"
            )
        if self.luteal_length is not None and not _is_positive_int(self.luteal_length):
            raise ValueError(f"cycle starting {self.start}: luteal_length must be a positive int")


CycleInput = CompletedCycle | tuple[date, int, int | None, int | None]


@dataclass(frozen=True)
class CycleStatistics:
    """Summary of completed cycles, oldest first.

    Lengths are in days. ``standard_deviation`` is the sample standard deviation of the cycle
    lengths (None with fewer than two cycles). ``luteal_lengths`` and ``ovulation_days`` list
    the known values only, in cycle order. With no cycles, ``count`` is 0 and the rest is None
    or empty.
    """

    count: int
    average_length: float | None
    shortest_length: int | None
    longest_length: int | None
    standard_deviation: float | None
    luteal_lengths: tuple[int, ...]
    ovulation_days: tuple[int, ...]


@dataclass(frozen=True)
class PeriodPrediction:
    """When the next period is likely to start: ``expected`` within ``earliest``..``latest``."""

    expected: date
    earliest: date
    latest: date
    based_on_cycles: int


@dataclass(frozen=True)
class FertileWindow:
    """The likely fertile window of the current cycle, as dates (both ends included).

    ``earliest_ovulation`` and ``latest_ovulation`` are the range of likely ovulation dates;
    ``start`` is five days before the earliest (never before the cycle's first day) and ``end``
    is the latest.
    """

    start: date
    end: date
    earliest_ovulation: date
    latest_ovulation: date
    based_on_cycles: int


@dataclass(frozen=True)
class InseminationTiming:
    """An insemination relative to ovulation.

    ``days_from_ovulation`` is negative before ovulation, 0 on the day, positive after.
    ``in_fertile_window`` is true from five days before ovulation through the ovulation day.
    ``phrase`` says both in plain English, for the journal.
    """

    days_from_ovulation: int
    in_fertile_window: bool
    phrase: str


# --------------------------------------------------------------------------- statistics


def cycle_statistics(cycles: Iterable[CycleInput]) -> CycleStatistics:
    """Summarise completed cycles.

    Each cycle is a :class:`CompletedCycle` or a tuple
    ``(start, length, ovulation_day or None, luteal_length or None)``.
    """
    ordered = sorted((_as_cycle(cycle) for cycle in cycles), key=lambda cycle: cycle.start)
    lengths = [cycle.length for cycle in ordered]
    return CycleStatistics(
        count=len(lengths),
        average_length=statistics.fmean(lengths) if lengths else None,
        shortest_length=min(lengths, default=None),
        longest_length=max(lengths, default=None),
        standard_deviation=statistics.stdev(lengths) if len(lengths) >= 2 else None,
        luteal_lengths=tuple(c.luteal_length for c in ordered if c.luteal_length is not None),
        ovulation_days=tuple(c.ovulation_day for c in ordered if c.ovulation_day is not None),
    )


def _as_cycle(cycle: CycleInput) -> CompletedCycle:
    return cycle if isinstance(cycle, CompletedCycle) else CompletedCycle(*cycle)


# --------------------------------------------------------------------------- predictions


def predict_next_period(
    cycle_starts_or_lengths: Sequence[date] | Sequence[int], current_cycle_start: date
) -> PeriodPrediction | None:
    """Predict the first day of the next period, or None with fewer than 3 completed cycles.

    ``cycle_starts_or_lengths`` is either the start dates of earlier cycles (the lengths are
    the gaps between them and ``current_cycle_start``; listing the current start too is
    harmless) or the lengths in days of completed cycles.
    """
    lengths = _completed_lengths(cycle_starts_or_lengths, current_cycle_start)
    if len(lengths) < MIN_CYCLES_FOR_PREDICTION:
        return None
    expected = current_cycle_start + timedelta(days=_round_half_up(statistics.fmean(lengths)))
    # Mean +- one standard deviation covers about two cycles in three when lengths vary
    # normally: wide enough to be honest, narrow enough to plan around. At least +-1 day,
    # because even perfectly regular cycles are not exact to the day.
    spread = timedelta(days=max(1, _round_half_up(statistics.stdev(lengths))))
    return PeriodPrediction(
        expected=expected,
        earliest=expected - spread,
        latest=expected + spread,
        based_on_cycles=len(lengths),
    )


def _completed_lengths(
    starts_or_lengths: Sequence[date] | Sequence[int], current_cycle_start: date
) -> list[int]:
    values = list(starts_or_lengths)
    dates = [value for value in values if isinstance(value, date)]
    if len(dates) == len(values):
        starts = sorted(set(dates) | {current_cycle_start})
        if starts[-1] != current_cycle_start:
            raise ValueError("cycle starts must be before the current cycle's start")
        return [(later - earlier).days for earlier, later in zip(starts, starts[1:])]
    if all(_is_positive_int(value) for value in values):
        return [value for value in values if isinstance(value, int)]
    raise ValueError("give either cycle start dates or cycle lengths as positive ints, not a mix")


def predict_fertile_window(
    past_ovulation_cycle_days: Iterable[int | None], current_cycle_start: date
) -> FertileWindow | None:
    """Predict this cycle's fertile window from the cycle days past ovulations fell on.

    None entries (cycles without a detected ovulation) are skipped; fewer than 3 detected
    ovulations give None. The likely ovulation range is the earliest through the latest past
    ovulation day: for people trying to conceive, missing the window costs more than a few
    extra days in it, so the whole observed range is kept rather than trimmed to an average.
    The window opens five days before the earliest (sperm survive about that long), clamped to
    cycle day 1, and closes on the latest.
    """
    days = [day for day in past_ovulation_cycle_days if day is not None]
    if any(not _is_positive_int(day) for day in days):
        raise ValueError("ovulation cycle days must be positive ints or None")
    if len(days) < MIN_CYCLES_FOR_PREDICTION:
        return None
    earliest = _cycle_date(current_cycle_start, min(days))
    latest = _cycle_date(current_cycle_start, max(days))
    opens = max(current_cycle_start, earliest - timedelta(days=FERTILE_DAYS_BEFORE_OVULATION))
    return FertileWindow(
        start=opens,
        end=latest,
        earliest_ovulation=earliest,
        latest_ovulation=latest,
        based_on_cycles=len(days),
    )


def rough_cycle_length(lengths: Sequence[int]) -> float:
    """The cycle length to expect from fewer than three completed cycles: each of the person's
    own lengths takes the place of one typical 28-day cycle in an average of three (one cycle
    of 32 days gives (32 + 28 + 28) / 3 = 29.3)."""
    own = list(lengths)[:MIN_CYCLES_FOR_PREDICTION]
    typical = TYPICAL_CYCLE_LENGTH * (MIN_CYCLES_FOR_PREDICTION - len(own))
    return (sum(own) + typical) / MIN_CYCLES_FOR_PREDICTION


def rough_next_period(lengths: Sequence[int], current_cycle_start: date) -> PeriodPrediction:
    """A rough next period from fewer than three completed cycles (see :func:`rough_cycle_length`):
    give or take four days, or more so that every own cycle length so far is inside the range."""
    if any(not _is_positive_int(length) for length in lengths):
        raise ValueError("cycle lengths must be positive ints")
    length = rough_cycle_length(lengths)
    spread = max([ROUGH_SPREAD_DAYS] + [math.ceil(abs(own - length)) for own in lengths])
    expected = current_cycle_start + timedelta(days=_round_half_up(length))
    return PeriodPrediction(
        expected=expected,
        earliest=expected - timedelta(days=spread),
        latest=expected + timedelta(days=spread),
        based_on_cycles=len(lengths),
    )


def rough_fertile_window(
    period: PeriodPrediction,
    current_cycle_start: date,
    past_ovulation_cycle_days: Iterable[int | None] = (),
) -> FertileWindow:
    """A rough fertile window: ovulation 12 to 14 days before the earliest and the latest
    expected period (the typical luteal phase), widened to take in any ovulation day the
    person's own cycles showed; open from five days before the earliest ovulation."""
    shortest_luteal, longest_luteal = TYPICAL_LUTEAL_DAYS
    # The luteal phase is the days after ovulation up to the period (as in CompletedCycle):
    # a 14-day one puts ovulation on day 14 of a 28-day cycle, 15 days before the next day 1.
    earliest = period.earliest - timedelta(days=longest_luteal + 1)
    latest = period.latest - timedelta(days=shortest_luteal + 1)
    own = [_cycle_date(current_cycle_start, day) for day in past_ovulation_cycle_days if day is not None]
    earliest = max(current_cycle_start, min([earliest] + own))
    latest = max([latest] + own)
    opens = max(current_cycle_start, earliest - timedelta(days=FERTILE_DAYS_BEFORE_OVULATION))
    return FertileWindow(
        start=opens,
        end=latest,
        earliest_ovulation=earliest,
        latest_ovulation=latest,
        based_on_cycles=len(own),
    )


def _cycle_date(cycle_start: date, cycle_day: int) -> date:
    return cycle_start + timedelta(days=cycle_day - 1)


# --------------------------------------------------------------------------- timing


def insemination_timing(insemination_date: date, ovulation_date: date) -> InseminationTiming:
    """Where an insemination fell relative to (likely) ovulation."""
    offset = (insemination_date - ovulation_date).days
    in_window = -FERTILE_DAYS_BEFORE_OVULATION <= offset <= 0
    return InseminationTiming(
        days_from_ovulation=offset,
        in_fertile_window=in_window,
        phrase=f"{_relative_to_ovulation(offset)} — {_window_phrase(offset)}",
    )


def _relative_to_ovulation(offset: int) -> str:
    if offset == 0:
        return "on the day of ovulation"
    count = abs(offset)
    unit = "day" if count == 1 else "days"
    return f"{count} {unit} {'before' if offset < 0 else 'after'} ovulation"


def _window_phrase(offset: int) -> str:
    if offset < -FERTILE_DAYS_BEFORE_OVULATION:
        return "before your fertile window"
    if offset > 0:
        return "after your fertile window"
    return "in your fertile window"


def days_past(reference_date: date, today: date) -> int | None:
    """Whole days from ``reference_date`` to ``today`` (9 for "9 days past ovulation").

    0 on the day itself; None when ``today`` is before the reference date, so a future date is
    never shown as a negative count.
    """
    elapsed = (today - reference_date).days
    return elapsed if elapsed >= 0 else None


def doubling_time_hours(
    value1: float, time1: date | datetime, value2: float, time2: date | datetime
) -> float | None:
    """Doubling time in hours of two successive blood hCG values.

    hours between the draws * ln 2 / ln(value2 / value1). None when the level is not rising,
    or a value is not a positive finite number, or ``time2`` is not after ``time1`` (including
    times that cannot be compared, such as a naive and an aware datetime).
    """
    if not (_is_positive_number(value1) and _is_positive_number(value2)) or value2 <= value1:
        return None
    try:
        if isinstance(time1, datetime) and isinstance(time2, datetime):
            elapsed = time2 - time1
        elif not isinstance(time1, datetime) and not isinstance(time2, datetime):
            elapsed = time2 - time1
        else:
            return None  # a date and a datetime cannot be subtracted
    except TypeError:  # a naive and an aware datetime
        return None
    hours = elapsed.total_seconds() / 3600
    if hours <= 0:
        return None
    return hours * math.log(2) / math.log(value2 / value1)


# --------------------------------------------------------------------------- helpers


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_positive_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and value > 0


def _round_half_up(value: float) -> int:
    # round() rounds halves to even (28.5 -> 28); people expect 28.5 -> 29.
    return math.floor(value + 0.5)
