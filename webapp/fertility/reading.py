"""What the Sensiplan rules found in a person's cycles: numbers, dates and plain words.

Pure standard-library code: no Flask, no database, no clock (``today`` is always passed in).
:mod:`webapp.journal.history` loads the rows and calls in here; the templates read the
:class:`CycleReading` fields and the sentences of :func:`findings`.

The engine (:func:`webapp.fertility.sensiplan.sensiplan_status`) reads one cycle, with the
previous cycle and every earlier one for the infertile days at the start of the cycle (the
5-day and minus-8 rules). Two facts keep that cheap with years of data:

- A cycle's temperature shift and secondary-sign shift depend on its own days only, so the
  ovulation day of every cycle (statistics, predictions, days past ovulation) comes from
  evaluating each cycle alone, once.
- Earlier cycles reach the result only through the cycle day of their first higher
  measurement (when both shifts are there): the earliest one, and whether at least 12 cycles
  count. :func:`earlier_for_engine` keeps the earliest and enough others to decide the
  12-cycle question, so the engine gets at most 11 earlier cycles and the same answer.

This is a fertility-awareness aid for people trying to conceive, never contraception.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from datetime import date, timedelta
from typing import Any, TypeVar

from .cycles import CycleSpan
from .sensiplan import sensiplan_status
from .predictions import (
    MIN_CYCLES_FOR_PREDICTION,
    CompletedCycle,
    FertileWindow,
    PeriodPrediction,
    InseminationTiming,
    insemination_timing,
    predict_fertile_window,
    predict_next_period,
    rough_cycle_length,
    rough_fertile_window,
    rough_next_period,
)

__all__ = [
    "CycleReading",
    "EngineCycle",
    "Estimate",
    "Forecast",
    "SYMPTOMS",
    "completed_cycle",
    "earlier_for_engine",
    "engine_problem",
    "findings",
    "first_high_cycle_day",
    "forecast",
    "read",
    "timing_for",
]

SYMPTOMS = ("mucus", "cervix")
RULE_NAMES = {0: "regular rule", 1: "first exception rule", 2: "second exception rule"}
# Earlier cycles the minus-8 rule needs at most: the previous cycle plus 11 make 12.
CYCLES_TO_LENGTHEN = 12
# Predictions read the most recent completed cycles only: cycles change over the years.
PREDICTION_CYCLES = 12
# How many cycles ahead the calendar and the feed show estimates for.
CYCLES_AHEAD = 3

EngineCycle = list[dict[str, Any]]
Cycle = TypeVar("Cycle")


# --------------------------------------------------------------------------- engine input


def engine_problem(days: Sequence[Mapping[str, Any]]) -> str | None:
    """Why the engine cannot read these contract day mappings (date order), or None.

    The journal's own values are always well formed; what can be missing is bleeding on the
    first day of a cycle started by hand, or any day at all.
    """
    if not days:
        return "nothing is logged in this cycle yet"
    if days[0].get("bleeding") is None:
        return (
            "its first day has no period bleeding logged, and the rules count a cycle from the "
            "first day of a period"
        )
    return None


def first_high_cycle_day(days: Sequence[Mapping[str, Any]], status: Mapping[str, Any]) -> int | None:
    """The cycle day of the first higher measurement when a cycle has both shifts, else None.

    ``status`` is the cycle evaluated alone. This is what the minus-8 rule reads from a past
    cycle; the cycle day counts calendar days from the cycle's earliest date.
    """
    shift = status.get("temperature_shift")
    if shift is None or status.get("secondary_shift") is None:
        return None
    return (_as_date(shift["first_high_date"]) - _as_date(days[0]["date"])).days + 1


def earlier_for_engine(earlier: Sequence[tuple[Cycle, int | None]]) -> list[Cycle]:
    """The earlier cycles to give the engine: the same pre-ovulatory phase, at most 11 cycles.

    ``earlier`` is (cycle, first higher cycle day or None) per readable cycle before the
    previous one, most recent first. Cycles without both shifts never count, so they are
    left out; of the rest the one with the earliest first higher measurement is kept (the
    minus-8 rule takes the minimum) and then the most recent others up to 11 in all (with the
    previous cycle that makes 12, the number that allows a longer phase). Order stays most
    recent first.
    """
    counting = [(position, first_high) for position, (_, first_high) in enumerate(earlier) if first_high is not None]
    if not counting:
        return []
    earliest = min(counting, key=lambda item: (item[1], item[0]))[0]
    keep = {earliest}
    for position, _ in counting:
        if len(keep) >= CYCLES_TO_LENGTHEN - 1:
            break
        keep.add(position)
    return [earlier[position][0] for position in sorted(keep)]


# --------------------------------------------------------------------------- one cycle read


@dataclass(frozen=True)
class CycleReading:
    """One cycle as the rules read it.

    ``status`` is the engine's dict, or None when it cannot read the cycle (``problem`` says
    why); the properties pages read most (the shift, likely ovulation, the luteal length) are
    computed once per reading (a statistics page asks for each a dozen times a cycle).
    ``symptom`` is the secondary sign the person chose. Dates are ``datetime.date``.
    """

    span: CycleSpan
    symptom: str
    status: Mapping[str, Any] | None = None
    problem: str | None = None
    temperatures: int = 0  # temperatures the rules use (disturbed ones left out)
    disturbed: int = 0
    secondary_observations: int = 0  # days with the chosen secondary sign noted

    @property
    def readable(self) -> bool:
        return self.status is not None

    @cached_property
    def shift(self) -> Mapping[str, Any] | None:
        return None if self.status is None else self.status.get("temperature_shift")

    @property
    def secondary(self) -> Mapping[str, Any] | None:
        return None if self.status is None else self.status.get("secondary_shift")

    @cached_property
    def first_high(self) -> date | None:
        return None if self.shift is None else _as_date(self.shift["first_high_date"])

    @property
    def confirmed(self) -> date | None:
        return None if self.shift is None else _as_date(self.shift["confirmed_date"])

    @cached_property
    def ovulation(self) -> date | None:
        """Likely ovulation: the day before the first higher measurement."""
        first_high = self.first_high
        return None if first_high is None else first_high - timedelta(days=1)

    @cached_property
    def ovulation_day(self) -> int | None:
        """The cycle day of likely ovulation (day 1 is the first day of bleeding)."""
        return None if self.ovulation is None else self.span.day_number(self.ovulation)

    @property
    def rule_name(self) -> str | None:
        return None if self.shift is None else RULE_NAMES[self.shift["rule"]]

    @property
    def coverline_c(self) -> float | None:
        return None if self.shift is None else self.shift["coverline"]

    @property
    def fertile_start(self) -> date | None:
        peri = None if self.status is None else self.status.get("peri_ovulatory")
        return None if peri is None else _as_date(peri["start"])

    @property
    def fertile_end(self) -> date | None:
        """The last day of the fertile phase (infertile from its evening), None while open."""
        peri = None if self.status is None else self.status.get("peri_ovulatory")
        return None if peri is None or peri["end"] is None else _as_date(peri["end"])

    @property
    def pre_ovulatory_end(self) -> date | None:
        pre = None if self.status is None else self.status.get("pre_ovulatory")
        return None if pre is None else _as_date(pre["end"])

    @cached_property
    def luteal_length(self) -> int | None:
        """Days after ovulation to the end of a finished cycle; None when unknown."""
        if self.span.length is None or self.ovulation_day is None:
            return None
        luteal = self.span.length - self.ovulation_day
        return luteal if luteal > 0 else None

    def day(self, when: date) -> int:
        return self.span.day_number(when)


def read(
    span: CycleSpan,
    days: EngineCycle,
    symptom: str,
    previous: EngineCycle | None = None,
    earlier: Sequence[EngineCycle] = (),
) -> CycleReading:
    """Read one cycle: ``days`` are contract mappings in date order (see
    :func:`webapp.fertility.cycles.cycle_days_for_engine`). ``previous`` and ``earlier`` must be
    readable cycles (see :func:`engine_problem`). The likely ovulation is the reading's
    :attr:`CycleReading.ovulation`: the only place it is computed."""
    counts = _counts(days, symptom)
    problem = engine_problem(days)
    if problem is not None:
        return CycleReading(span, symptom, None, problem, **counts)
    status = sensiplan_status(days, previous, list(earlier), secondary_symptom=symptom)
    return CycleReading(span, symptom, status, None, **counts)


def _counts(days: Iterable[Mapping[str, Any]], symptom: str) -> dict[str, int]:
    temperatures = disturbed = secondary = 0
    for day in days:
        if day.get("temperature") is not None:
            if day.get("temperature_excluded"):
                disturbed += 1
            else:
                temperatures += 1
        if day.get(symptom) is not None:
            secondary += 1
    return {"temperatures": temperatures, "disturbed": disturbed, "secondary_observations": secondary}


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# --------------------------------------------------------------------------- plain words


def _day_and_date(reading: CycleReading, when: date) -> str:
    return f"day {reading.day(when)} ({when.day} {when:%B})"


def findings(reading: CycleReading, unit: str = "C") -> list[str]:
    """What the rules found in this cycle, or what is still missing, as short sentences."""
    if not reading.readable:
        return [f"The rules cannot read this cycle: {reading.problem}."]
    sentences = []
    # All three come from the temperature shift: each is None exactly when there is none.
    confirmed, first_high, coverline = reading.confirmed, reading.first_high, reading.coverline_c
    if confirmed is not None and first_high is not None and coverline is not None:
        sentences.append(
            f"Your temperature shift was confirmed on day {reading.day(confirmed)} "
            f"({reading.rule_name}); ovulation most likely on day {reading.ovulation_day}."
        )
        sentences.append(
            f"Your first higher temperature was on {_day_and_date(reading, first_high)}, "
            f"above a coverline of {_temperature(coverline, unit)}."
        )
        sentences.append(_secondary_sentence(reading))
    else:
        sentences.append(_missing_shift_sentence(reading))
    sentences.extend(_phase_sentences(reading))
    return [sentence for sentence in sentences if sentence]


def _temperature(celsius: float, unit: str) -> str:
    value = celsius * 9 / 5 + 32 if unit == "F" else celsius
    return f"{value:.2f} °{'F' if unit == 'F' else 'C'}"


def _missing_shift_sentence(reading: CycleReading) -> str:
    count = reading.temperatures
    left_out = ""
    if reading.disturbed:
        left_out = f" ({reading.disturbed} more left out as disturbed)"
    have = f"you have {count} so far{left_out}"
    if count <= 6:
        return (
            "No temperature shift yet. The rules need six temperatures, then a higher one "
            f"confirmed by the next ones: {have}."
        )
    return (
        "No temperature shift yet: the rules look for a temperature above the six before it, "
        f"confirmed by the next two or three higher ones; {have}."
    )


def _secondary_sentence(reading: CycleReading) -> str:
    secondary = reading.secondary
    if reading.symptom == "cervix":
        if secondary is not None:
            return (
                f"Your cervix was last fertile on {_day_and_date(reading, _as_date(secondary['peak_date']))} "
                f"and closed and firm for three checks by day {reading.day(_as_date(secondary['confirmed_date']))}, "
                "which confirms the shift."
            )
        if reading.secondary_observations == 0:
            return (
                "You chose your cervix as the second sign, and there are no cervix checks in this "
                "cycle, so the rules cannot confirm the shift with it."
            )
        return (
            "Your cervix has not confirmed the shift yet: the rules wait for three checks of a "
            "closed, firm cervix after its last fertile day."
        )
    if secondary is not None:
        return (
            f"Your mucus peak was on {_day_and_date(reading, _as_date(secondary['peak_date']))}, "
            f"confirmed on day {reading.day(_as_date(secondary['confirmed_date']))}."
        )
    if reading.secondary_observations == 0:
        return (
            "There is no mucus noted in this cycle, so the rules cannot confirm the shift with "
            "your mucus (you can choose your cervix instead in your settings)."
        )
    return (
        "Your mucus has not confirmed the shift yet: the rules wait for your mucus peak "
        "followed by three days of drier mucus."
    )


def _phase_sentences(reading: CycleReading) -> list[str]:
    sentences = []
    pre_end = reading.pre_ovulatory_end
    if pre_end is not None:
        last = reading.day(pre_end)
        days = "day 1" if last == 1 else f"days 1 to {last}"
        sentences.append(f"The rules count {days} as the infertile days at the start of the cycle.")
    start, end = reading.fertile_start, reading.fertile_end
    if start is None:
        if pre_end is not None:
            sentences.append("Every day you logged so far is before the fertile phase.")
        return sentences
    if end is not None:
        sentences.append(
            f"Fertile phase: day {reading.day(start)} to day {reading.day(end)}; "
            f"from the evening of day {reading.day(end)} the rules say ovulation has passed."
        )
    else:
        sentences.append(f"Fertile phase: from day {reading.day(start)}, still open.")
    return sentences


# --------------------------------------------------------------------------- timing


def timing_for(reading: CycleReading | None, insemination_date: date) -> InseminationTiming | None:
    """An insemination relative to the likely ovulation of its cycle, when there is one."""
    if reading is None or reading.ovulation is None:
        return None
    return insemination_timing(insemination_date, reading.ovulation)


# --------------------------------------------------------------------------- statistics


def completed_cycle(reading: CycleReading) -> CompletedCycle | None:
    """The statistics input of a finished cycle; None for the current one."""
    if reading.span.length is None:
        return None
    return CompletedCycle(
        start=reading.span.start,
        length=reading.span.length,
        ovulation_day=reading.ovulation_day,
        luteal_length=reading.luteal_length,
    )


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class Estimate:
    """A stretch of predicted days: ``kind`` is "period" or "fertile"; both ends included.

    ``cycles_ahead`` is 0 for the current cycle's fertile window, 1 for the next period and
    the fertile window of the cycle it starts, and so on. ``anchor`` is the first day of the
    current cycle: with ``kind`` and ``cycles_ahead`` it names the estimate stably while the
    dates move with new data.
    """

    kind: str
    start: date
    end: date
    cycles_ahead: int
    anchor: date
    based_on_cycles: int

    def covers(self, when: date) -> bool:
        return self.start <= when <= self.end


@dataclass(frozen=True)
class Forecast:
    """Predictions for the current cycle and a few after it; empty without enough history."""

    current_start: date | None
    estimates: tuple[Estimate, ...] = ()
    lengths_used: int = 0
    ovulations_used: int = 0
    expected_period: date | None = None
    period_earliest: date | None = None
    period_latest: date | None = None
    fertile: Estimate | None = None  # the next fertile window (this cycle's, or the next one's)
    # True before three cycles are complete: typical figures fill in for the person's own.
    rough: bool = False

    @property
    def has_period(self) -> bool:
        return self.expected_period is not None

    def on(self, when: date) -> list[Estimate]:
        return [estimate for estimate in self.estimates if estimate.covers(when)]


def forecast(
    current_start: date | None,
    completed: Sequence[CompletedCycle],
    today: date,
    current_shift_confirmed: bool = False,
    cycles_ahead: int = CYCLES_AHEAD,
) -> Forecast:
    """Estimated periods and fertile windows from the most recent completed cycles.

    From three completed cycles: periods from their lengths, and fertile windows from three
    detected ovulations (see :mod:`webapp.fertility.predictions`). Before that the forecast is
    ``rough``: the cycles so far blended with a typical 28-day cycle and a 12-14 day luteal
    phase, with wider ranges (:func:`~webapp.fertility.predictions.rough_next_period`), so even
    a first cycle has estimates. The current cycle's own fertile window is left out once its
    temperature shift is confirmed, and so is any window already over. Cycle ``k`` ahead starts
    ``k`` average lengths after the current start, give or take the one-cycle spread times the
    square root of ``k`` (the spread of a sum of ``k`` cycles), at least one day. A later cycle's
    fertile window is counted from its expected first day: once that cycle starts, the window is
    worked out again from the real one.
    """
    if current_start is None:
        return Forecast(None)
    recent = sorted(completed, key=lambda cycle: cycle.start)[-PREDICTION_CYCLES:]
    lengths = [cycle.length for cycle in recent]
    detected = [cycle.ovulation_day for cycle in recent if cycle.ovulation_day is not None]
    rough = len(lengths) < MIN_CYCLES_FOR_PREDICTION
    period: PeriodPrediction | None
    if rough:
        period = rough_next_period(lengths, current_start)
        mean = rough_cycle_length(lengths)
        spread_one = float((period.latest - period.expected).days)
    else:
        period = predict_next_period(lengths, current_start)
        mean, spread_one = statistics.fmean(lengths), statistics.stdev(lengths)
    if period is None:  # pragma: no cover - three lengths always predict
        return Forecast(current_start, lengths_used=len(lengths))
    estimates: list[Estimate] = []
    starts: list[tuple[int, date]] = [(0, current_start)]
    for k in range(1, cycles_ahead + 1):
        if k == 1:
            expected, earliest, latest = period.expected, period.earliest, period.latest
        else:
            expected = current_start + timedelta(days=_round_half_up(mean * k))
            spread = timedelta(days=max(1, _round_half_up(spread_one * math.sqrt(k))))
            earliest, latest = expected - spread, expected + spread
        estimates.append(Estimate("period", earliest, latest, k, current_start, len(lengths)))
        starts.append((k, expected))
    if rough or len(detected) >= MIN_CYCLES_FOR_PREDICTION:
        for k, cycle_start in starts:
            if k == 0 and current_shift_confirmed:
                continue
            if rough:
                window: FertileWindow | None = rough_fertile_window(
                    rough_next_period(lengths, cycle_start), cycle_start, detected
                )
            else:
                window = predict_fertile_window(detected, cycle_start)
            if window is None or window.end < today:  # None: guarded by the count above
                continue
            estimates.append(Estimate("fertile", window.start, window.end, k, current_start, len(detected)))
    estimates.sort(key=lambda estimate: (estimate.start, estimate.kind))
    upcoming_fertile = next((e for e in estimates if e.kind == "fertile"), None)
    return Forecast(
        current_start=current_start,
        estimates=tuple(estimates),
        lengths_used=len(lengths),
        ovulations_used=len(detected),
        expected_period=period.expected,
        period_earliest=period.earliest,
        period_latest=period.latest,
        fertile=upcoming_fertile,
        rough=rough,
    )


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)
