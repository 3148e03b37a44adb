"""What the rules found, gathered for the journal's pages: the cycle view and its chart, today
at a glance, the calendar, a day, an insemination. Each helper makes a handful of queries for
the signed-in person (their own rows only) and returns plain values for a template."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_login import current_user
from markupsafe import Markup

from ..templating import long_date
from . import queries
from ..fertility.render.cycle_chart import legend_lines, render_cycle_chart_parts
from ..fertility.chart_days import CERVIX_KEY, chart_days, day_marks
from ..fertility.cycles import CycleSpan, cycle_containing
from .history import History, cycle_ovulation, ovulation_estimate_by, remembered
from .models import Day
from ..fertility.formatting import days_phrase
from ..fertility.medication import (
    TRIGGER_WINDOW_LONGEST,
    medication_findings,
    may_be_trigger,
    trigger_test_window_days,
)
from ..fertility.morning import temperature_meaning
from ..fertility.predictions import InseminationTiming
from ..fertility.predictions import insemination_timing as timing_between
from ..fertility.pregnancy import Dating, HcgSeries, HcgValue, TakenTest, assess_hcg, date_pregnancy, is_pregnant
from ..fertility.reading import PREDICTION_CYCLES, CycleReading, Forecast, findings
from ..fertility.specialist import SpecialistNote, specialist_note
from ..fertility.two_week_wait import Countdown, countdown

__all__ = [
    "Pregnancy",
    "calendar_forecast",
    "cycle_context",
    "entry_timing",
    "forecast_for",
    "home_context",
    "trigger_warnings",
    "insemination_timing",
    "morning_meaning",
    "pregnancy_for",
    "secondary_symptom",
    "specialist_note_for",
    "temperature_unit",
    "two_week_wait_for",
]


def secondary_symptom() -> str:
    return getattr(current_user, "secondary_symptom", None) or "mucus"


def temperature_unit() -> str:
    return "F" if getattr(current_user, "temperature_unit", "C") == "F" else "C"


def recent_history(user_id: int, cycles: list[CycleSpan]) -> History:
    """The current cycle and the completed ones predictions read."""
    return History.load_recent(user_id, secondary_symptom(), cycles, PREDICTION_CYCLES + 1)


# --------------------------------------------------------------------------- a cycle


def cycle_context(user_id: int, spans: list[CycleSpan], bundle: Any, chart_id: str = "cycle-chart") -> dict[str, Any]:
    """The reading, the chart (SVG markup), the words and each insemination's timing.

    ``bundle`` is :func:`webapp.journal.queries.load_cycle`'s result for one of ``spans``.
    Kept with the journal's revision (:func:`history.remembered`) for the cycle, its last day
    shown, the unit, the sign and the chart's id: the bundle is read from the same journal.
    """
    unit, symptom = temperature_unit(), secondary_symptom()
    key = ("cycle context", bundle.cycle, bundle.last_day, unit, symptom, chart_id)
    return dict(remembered(user_id, key, lambda: _cycle_context(user_id, spans, bundle, chart_id, unit, symptom)))


def _cycle_context(
    user_id: int, spans: list[CycleSpan], bundle: Any, chart_id: str, unit: str, symptom: str
) -> dict[str, Any]:
    span = bundle.cycle
    history = History.load(user_id, symptom, spans, last=span)
    reading = history.full(span)
    ovulation = cycle_ovulation(user_id, reading)
    from_trigger = ovulation.date if ovulation is not None and ovulation.from_trigger else None
    days = chart_days(
        span, bundle.last_day, bundle.days, bundle.inseminations, bundle.tests,
        intercourse=bundle.intercourse, medicines=bundle.medicines,
        progesterone_tests=bundle.progesterone_tests, trigger_ovulation=from_trigger,
    )
    chart = render_cycle_chart_parts(
        days,
        reading.status,
        unit,
        chart_id=chart_id,
        title=f"Chart of cycle {span.number}, from {long_date(span.start)}",
    )
    return {
        "reading": reading,
        # render_cycle_chart escapes every text it writes (tests/test_chart.py checks it).
        "chart_svg": Markup(chart.chart),  # nosec B704
        "chart_labels_svg": Markup(chart.labels),  # nosec B704
        "chart_legend": legend_lines(unit),
        "findings": findings(reading, unit) + medication_findings(
            span, ovulation, bundle.medicines, bundle.progesterone_tests, bundle.last_day
        ),
        "likely_ovulation": ovulation,
        "timings": {i.id: _timing(ovulation, i.date) for i in bundle.inseminations},
        "intercourse_timings": {
            i.id: _timing(ovulation, i.date) for i in bundle.intercourse if i.counts_for_timing
        },
        "marks": {when: day_marks(reading, when) for when in bundle.dates()},
        "cervix_key": CERVIX_KEY,
    }


# --------------------------------------------------------------------------- today, a day


def two_week_wait_for(
    user_id: int,
    when: date,
    cycles: list[CycleSpan],
    reading: CycleReading | None = None,
    symptom: str | None = None,
) -> Countdown | None:
    """The one two-week-wait countdown on ``when`` (home, a day's page, the calendar): days past
    the likely ovulation of the cycle ``when`` falls in, else past the last insemination in
    that cycle on or before ``when``; None before either (see
    :func:`webapp.fertility.two_week_wait.countdown`). Kept with the journal's revision for the
    date and the sign (``reading``, the cycle's own, only saves reading it again)."""
    symptom = symptom or secondary_symptom()
    return remembered(
        user_id, ("countdown", when, symptom), lambda: _two_week_wait(user_id, when, cycles, reading, symptom)
    )


def _two_week_wait(
    user_id: int, when: date, cycles: list[CycleSpan], reading: CycleReading | None, symptom: str
) -> Countdown | None:
    span = cycle_containing(cycles, when)
    if span is None:
        return None
    ovulation = ovulation_estimate_by(user_id, symptom, when, cycles, reading)
    insemination = None
    if ovulation is None:
        insemination = queries.last_insemination_between(user_id, span.start, when)
        return countdown(when, None, insemination)
    return countdown(when, ovulation.date, None, from_trigger=ovulation.from_trigger)


# --------------------------------------------------------------------------- pregnancy mode


@dataclass(frozen=True)
class Pregnancy:
    """The journal in pregnancy mode: the cycle it began in, its dating and the hCG series."""

    cycle: CycleSpan
    dating: Dating
    hcg: HcgSeries
    today: date

    @property
    def weeks_and_days(self) -> tuple[int, int]:
        return self.dating.weeks_and_days(self.today)

    @property
    def age_phrase(self) -> str:
        return self.dating.age_phrase(self.today)


def pregnancy_for(
    user_id: int, cycles: list[CycleSpan], today: date, symptom: str | None = None
) -> Pregnancy | None:
    """The journal's mode, from the data alone: a Pregnancy when the current cycle has a
    positive latest test or an outcome "led to a pregnancy" (and no loss recorded), else None
    (cycle mode). Every page that predicts asks here, so predictions and the feed stop together.
    Kept with the journal's revision for the day and the sign (:func:`history.remembered`)."""
    symptom = symptom or secondary_symptom()
    return remembered(user_id, ("pregnancy", today, symptom), lambda: _pregnancy_for(user_id, cycles, today, symptom))


def _pregnancy_for(user_id: int, cycles: list[CycleSpan], today: date, symptom: str) -> Pregnancy | None:
    span = cycle_containing(cycles, today)
    if span is None or not span.is_current:
        return None
    # Read-only rows of what decides the mode (no notes or brands read).
    tests = queries.pregnancy_test_rows_from(user_id, span.start)
    shots = []
    if any(test.is_positive for test in tests):  # only then can a trigger shot matter
        shots = queries.trigger_shots(user_id, span.start - timedelta(days=TRIGGER_WINDOW_LONGEST), today)
    results = [
        TakenTest(test.taken_at, test.is_positive, may_be_trigger(test.date, shots) is not None) for test in tests
    ]
    if not is_pregnant(span.start, today, results, queries.outcome_kind_for(user_id, span)):
        return None
    ovulation = ovulation_estimate_by(user_id, symptom, today, cycles)
    first_positive = next((r.taken_at.date() for r in results if r.positive and not r.may_be_trigger), today)
    insemination = queries.last_insemination_between(user_id, span.start, first_positive)
    dating = date_pregnancy(
        span.start, ovulation.date if ovulation else None, insemination,
        ovulation_from_trigger=ovulation is not None and ovulation.from_trigger,
    )
    series = assess_hcg(
        [HcgValue(test.taken_at, test.hcg_miu) for test in tests if test.kind == "blood" and test.hcg_miu]
    )
    return Pregnancy(span, dating, series, today)


def forecast_for(
    user_id: int, cycles: list[CycleSpan], today: date, symptom: str | None = None
) -> Forecast:
    """The predictions every page and the calendar feed show: none in pregnancy mode."""
    symptom = symptom or secondary_symptom()
    return remembered(
        user_id, ("forecast", today, symptom),
        lambda: _forecast_in_mode(user_id, cycles, today, symptom, pregnancy_for(user_id, cycles, today, symptom)),
    )


def _forecast_in_mode(
    user_id: int, cycles: list[CycleSpan], today: date, symptom: str, pregnancy: Pregnancy | None
) -> Forecast:
    current = cycle_containing(cycles, today)
    if pregnancy is not None or current is None or not current.is_current:
        return Forecast(None)
    history = History.load_recent(user_id, symptom, cycles, PREDICTION_CYCLES + 1)
    return history.forecast(current, today)


# --------------------------------------------------------------------------- seeing a specialist


def specialist_note_for(user_id: int, cycles: list[CycleSpan]) -> SpecialistNote | None:
    """The NICE note after six completed cycles with an insemination and no pregnancy, counted
    since the last cycle that had one (a positive test, or an outcome other than "not pregnant").
    The journal does not know the person's age, so the months rule is not used."""
    return remembered(user_id, ("specialist",), lambda: _specialist_note(user_id, cycles))


def _specialist_note(user_id: int, cycles: list[CycleSpan]) -> SpecialistNote | None:
    completed = [span for span in cycles if not span.is_current]
    if not completed:
        return None
    pregnancies = queries.pregnancy_dates(user_id)
    inseminations = queries.insemination_dates(user_id)
    count = 0
    for span in completed:  # both lists are sorted: a bisection per cycle, years of cycles stay cheap
        if _any_within(pregnancies, span):
            count = 0
        elif _any_within(inseminations, span):
            count += 1
    return specialist_note(count)


def _any_within(sorted_dates: list[date], span: CycleSpan) -> bool:
    position = bisect_left(sorted_dates, span.start)
    return position < len(sorted_dates) and (span.end is None or sorted_dates[position] <= span.end)


# --------------------------------------------------------------------------- the home page


def home_context(user_id: int, cycles: list[CycleSpan], current: CycleSpan | None, today: date) -> dict[str, Any]:
    """The current cycle's reading, its likely ovulation, the predictions, the countdown, the
    pregnancy (None in cycle mode) and the specialist note (cycle mode only). Kept with the
    journal's revision for the day and the chosen sign (:func:`history.remembered`)."""
    return dict(remembered(
        user_id, ("home", today, secondary_symptom()), lambda: _home_context(user_id, cycles, current, today)
    ))


def _home_context(user_id: int, cycles: list[CycleSpan], current: CycleSpan | None, today: date) -> dict[str, Any]:
    pregnancy = pregnancy_for(user_id, cycles, today)
    if pregnancy is not None:
        return {"reading": None, "ovulation": None, "forecast": None, "countdown": None,
                "pregnancy": pregnancy, "specialist": None}
    if current is None:
        return {"reading": None, "ovulation": None, "forecast": None, "countdown": None,
                "pregnancy": None, "specialist": None}
    history = recent_history(user_id, cycles)
    reading = history.alone(current)
    return {
        "reading": reading,
        "ovulation": reading.ovulation,
        "forecast": history.forecast(current, today),
        "countdown": two_week_wait_for(user_id, today, cycles, reading),
        "pregnancy": None,
        "specialist": specialist_note_for(user_id, cycles),
    }


def morning_meaning(context: dict[str, Any], day: Day | None, today: date) -> str | None:
    """What today's saved temperature means in the current cycle's reading (``context`` is
    home_context's answer; in pregnancy mode there is no reading)."""
    if day is None or day.temperature_centi is None:
        return None
    return temperature_meaning(
        context["reading"], today, day.temperature_centi, day.temperature_disturbed, temperature_unit(),
        pregnant=context["pregnancy"] is not None,
    )


def calendar_forecast(
    user_id: int, cycles: list[CycleSpan], today: date, pregnancy: Pregnancy | None
) -> Forecast | None:
    """The calendar's estimates; ``pregnancy`` is :func:`pregnancy_for`'s answer (none then)."""
    symptom = secondary_symptom()
    forecast = remembered(
        user_id, ("calendar forecast", today, symptom, pregnancy is None),
        lambda: _forecast_in_mode(user_id, cycles, today, symptom, pregnancy),
    )
    return forecast if forecast.current_start is not None else None


# --------------------------------------------------------------------------- an insemination


def _timing(ovulation: Any, when: date) -> InseminationTiming | None:
    return None if ovulation is None else timing_between(when, ovulation.date)


def insemination_timing(user_id: int, when: date) -> tuple[InseminationTiming | None, CycleReading | None]:
    """Where an insemination (or intercourse) on ``when`` fell relative to its cycle's likely
    ovulation (from the temperatures, or else from a trigger shot)."""
    cycles = queries.cycle_spans(user_id)
    span = cycle_containing(cycles, when)
    if span is None:
        return None, None
    reading = History.load(user_id, secondary_symptom(), cycles, first=span, last=span).alone(span)
    return _timing(cycle_ovulation(user_id, reading), when), reading


def entry_timing(user_id: int, when: date) -> InseminationTiming | None:
    return insemination_timing(user_id, when)[0]


# --------------------------------------------------------------------------- a trigger shot and tests


@dataclass(frozen=True)
class TriggerWarning:
    """A pregnancy test taken while a trigger shot's hCG may still show."""

    shot_date: date
    days_after: int
    window_days: int

    @property
    def phrase(self) -> str:
        return (
            f"This may still be the trigger, not a pregnancy: taken {days_phrase(self.days_after, 'your hCG trigger shot')}, "
            f"and a trigger's hCG can show on tests for about {self.window_days} days."
        )


def trigger_warnings(user_id: int, tests: list[Any]) -> dict[int, TriggerWarning]:
    """{test id: warning} for the tests taken within a trigger shot's window (one query)."""
    if not tests:
        return {}
    first = min(test.date for test in tests)
    shots = queries.trigger_shots(user_id, first - timedelta(days=30), max(test.date for test in tests))
    warnings = {}
    for test in tests:
        shot = may_be_trigger(test.date, shots)
        if shot is not None:
            warnings[test.id] = TriggerWarning(
                shot.start_date, (test.date - shot.start_date).days,
                trigger_test_window_days(shot.dose, shot.dose_unit),
            )
    return warnings
