"""What the rules found, gathered for the journal's pages: the cycle view and its chart, today
at a glance, the calendar, a day, an insemination. Each helper makes a handful of queries for
the signed-in person (their own rows only) and returns plain values for a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..templating import long_date
from . import queries
from ..fertility.render.cycle_chart import legend_lines, render_cycle_chart_parts
from ..fertility.chart_days import CERVIX_KEY, chart_days, day_marks
from ..fertility.cycles import CycleSpan, cycle_containing
from .history import History, cycle_ovulation, ovulation_estimate_by
from .models import Day, Insemination, Medicine
from ..fertility.formatting import days_phrase
from ..fertility.medication import (
    TRIGGER,
    medication_findings,
    may_be_trigger,
    trigger_test_window_days,
)
from ..fertility.morning import temperature_meaning
from ..fertility.predictions import InseminationTiming, days_past
from ..fertility.predictions import insemination_timing as timing_between
from ..fertility.reading import PREDICTION_CYCLES, CycleReading, Forecast, findings

__all__ = [
    "DaysPast",
    "calendar_forecast",
    "cycle_context",
    "days_past_for",
    "entry_timing",
    "home_context",
    "trigger_warnings",
    "insemination_timing",
    "morning_meaning",
    "secondary_symptom",
    "temperature_unit",
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
    """
    span = bundle.cycle
    unit = temperature_unit()
    history = History.load(user_id, secondary_symptom(), spans, last=span)
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


@dataclass(frozen=True)
class DaysPast:
    """"9 days past ovulation": ``days`` and ``what`` ("ovulation" or "insemination")."""

    days: int
    what: str
    since: date

    @property
    def phrase(self) -> str:
        return days_phrase(self.days, self.what)


def days_past_for(
    user_id: int, when: date, cycles: list[CycleSpan], reading: CycleReading | None = None
) -> DaysPast | None:
    """Days past the likely ovulation of the cycle ``when`` falls in, else past the last
    insemination in that cycle on or before ``when``; None before either."""
    span = cycle_containing(cycles, when)
    if span is None:
        return None
    ovulation = ovulation_estimate_by(user_id, secondary_symptom(), when, cycles, reading)
    if ovulation is not None:  # on or before ``when``: the count is never None
        return DaysPast((when - ovulation.date).days, ovulation.label, ovulation.date)
    last = db.session.scalar(
        select(Insemination.date)
        .where(Insemination.user_id == user_id, Insemination.date >= span.start, Insemination.date <= when)
        .order_by(Insemination.date.desc())
        .limit(1)
    )
    if last is None:
        return None
    days = days_past(last, when)
    return None if days is None else DaysPast(days, "insemination", last)


def home_context(user_id: int, cycles: list[CycleSpan], current: CycleSpan | None, today: date) -> dict[str, Any]:
    """The current cycle's reading, its likely ovulation, and the predictions."""
    if current is None:
        return {"reading": None, "ovulation": None, "forecast": None}
    history = recent_history(user_id, cycles)
    reading = history.alone(current)
    return {"reading": reading, "ovulation": reading.ovulation, "forecast": history.forecast(current, today)}


def morning_meaning(reading: CycleReading | None, day: Day | None, today: date) -> str | None:
    """What today's saved temperature means in the current cycle's reading (home_context's)."""
    if day is None or day.temperature_centi is None:
        return None
    return temperature_meaning(reading, today, day.temperature_centi, day.temperature_disturbed, temperature_unit())


def calendar_forecast(user_id: int, cycles: list[CycleSpan], today: date) -> Forecast | None:
    current = cycle_containing(cycles, today)
    if current is None or not current.is_current:
        return None
    return recent_history(user_id, cycles).forecast(current, today)


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
    shots = list(db.session.scalars(
        select(Medicine).where(
            Medicine.user_id == user_id,
            Medicine.medicine == TRIGGER,
            Medicine.start_date <= max(test.date for test in tests),
            Medicine.start_date >= first - timedelta(days=30),
        )
    ))
    warnings = {}
    for test in tests:
        shot = may_be_trigger(test.date, shots)
        if shot is not None:
            warnings[test.id] = TriggerWarning(
                shot.start_date, (test.date - shot.start_date).days,
                trigger_test_window_days(shot.dose, shot.dose_unit),
            )
    return warnings
