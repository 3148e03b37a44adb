"""The report a fertility clinic reads first: a summary of the cycles, then each cycle's chart
with what the rules found, inseminations (donor, fresh or frozen, vials, motile count, timing),
tests (hCG and doubling times) and how the cycle ended.

Everything is read through the journal's presenters and history (the chart is the cycle page's
own renderer; ovulation and timing are the cycle reading's, never recomputed here). Notes are
left out unless the person asks for them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .local_time import person_today
from ..fertility.chart_days import chart_days
from ..fertility.cycles import CycleSpan
from ..fertility.predictions import doubling_time_hours
from . import queries
from .models import Day, Insemination, PregnancyTest
from .presenters import cycle_context


@dataclass(frozen=True)
class Range:
    count: int
    average: float | None
    shortest: int | None
    longest: int | None


def _range(values: list[int]) -> Range:
    if not values:
        return Range(0, None, None, None)
    return Range(len(values), statistics.fmean(values), min(values), max(values))


@dataclass
class ReportTest:
    test: PregnancyTest
    doubling_hours: float | None  # from the blood test before it in the cycle


@dataclass
class ReportCycle:
    span: CycleSpan
    chart_svg: Any
    findings: list[str]
    ovulation: date | None
    luteal_length: int | None
    inseminations: list[tuple[Insemination, Any]]  # (insemination, its timing or None)
    tests: list[ReportTest]
    outcome: Any
    notes: list[tuple[date, str]] = field(default_factory=list)  # only when asked for
    # The chart's inputs, for a renderer other than the SVG (the PDF): the day mappings of
    # webapp.fertility.render.cycle_chart and the reading's status. Only when asked for.
    chart_days: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    first: date | None
    last: date | None
    include_notes: bool
    cycles: list[ReportCycle]
    lengths: Range
    luteal: Range
    last_period: date | None


def _overlaps(span: CycleSpan, first: date | None, last: date | None) -> bool:
    if last is not None and span.start > last:
        return False
    return first is None or span.end is None or span.end >= first


def build_report(
    user_id: int, first: date | None, last: date | None, *, include_notes: bool, chart_data: bool = False
) -> Report:
    spans = queries.cycle_spans(user_id)
    chosen = [span for span in spans if _overlaps(span, first, last)]
    now = person_today()
    cycles = []
    for span in chosen:
        bundle = queries.load_cycle(user_id, spans, span, now)
        context = cycle_context(user_id, spans, bundle, chart_id=f"report-chart-{span.number}")
        reading = context["reading"]
        days_charted: list[dict[str, Any]] = []
        if chart_data:
            # The same day mappings as the cycle page's chart (presenters.cycle_context).
            ovulation = context["likely_ovulation"]
            days_charted = chart_days(
                span, bundle.last_day, bundle.days, bundle.inseminations, bundle.tests,
                intercourse=bundle.intercourse, medicines=bundle.medicines,
                progesterone_tests=bundle.progesterone_tests,
                trigger_ovulation=ovulation.date if ovulation is not None and ovulation.from_trigger else None,
            )
        cycles.append(ReportCycle(
            span=span,
            chart_svg=context["chart_svg"],
            findings=context["findings"],
            ovulation=reading.ovulation,
            luteal_length=reading.luteal_length,
            inseminations=[(i, context["timings"].get(i.id)) for i in bundle.inseminations],
            tests=_tests_with_doubling(bundle.tests),
            outcome=bundle.outcome,
            notes=_notes(bundle.days, bundle.inseminations, bundle.tests, bundle.outcome) if include_notes else [],
            chart_days=days_charted,
            status=dict(reading.status or {}) if chart_data else {},
        ))
    completed = [c.span.length for c in cycles if c.span.length is not None]
    luteal = [c.luteal_length for c in cycles if c.luteal_length is not None and c.span.length is not None]
    return Report(
        first=first,
        last=last,
        include_notes=include_notes,
        cycles=cycles,
        lengths=_range(completed),
        luteal=_range(luteal),
        last_period=cycles[-1].span.start if cycles else None,
    )


def _tests_with_doubling(tests: list[PregnancyTest]) -> list[ReportTest]:
    rows, previous = [], None
    for test in tests:
        doubling = None
        if test.kind == "blood" and test.hcg_miu is not None:
            if previous is not None and previous.hcg_miu is not None:
                doubling = doubling_time_hours(previous.hcg_miu, previous.taken_at, test.hcg_miu, test.taken_at)
            previous = test
        rows.append(ReportTest(test, doubling))
    return rows


def _notes(days: list[Day], inseminations: list[Insemination], tests: list[PregnancyTest], outcome) -> list[tuple[date, str]]:
    notes = [(day.date, day.note) for day in days if day.note]
    for insemination in inseminations:
        if insemination.note:
            notes.append((insemination.date, insemination.note))
        notes.extend((note.noted_at.date(), note.note) for note in insemination.notes if note.note)
    notes.extend((test.date, test.note) for test in tests if test.note)
    if outcome is not None and outcome.note:
        notes.append((outcome.cycle_start, outcome.note))
    return sorted(notes, key=lambda item: item[0])
