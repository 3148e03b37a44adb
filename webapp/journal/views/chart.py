"""One cycle's chart: the sympto-thermal chart as inline SVG, what the rules found in words,
and the same data as a table. Addressed like the cycle view, by the id of a day inside it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_login import current_user

from ..local_time import person_today
from .. import queries
from ..blueprints import bp
from ...fertility.chart_days import DayMarks, day_cells
from ...fertility.cycles import CycleSpan
from ...templating import short_date
from ..history import remembered
from ..presenters import cycle_context, temperature_unit
from ..page import render_journal_page
from ._helpers import cycle_of


@bp.get("/cycles/<int:day_id>/chart")
def cycle_chart(day_id: int):
    entry, spans, span = cycle_of(day_id)
    if span is None:
        return render_journal_page("journal/no_cycle.html", day=entry)
    uid = current_user.id
    now = person_today()
    # The chart page shows no free text (notes, symptoms, brands): none is read.
    bundle = queries.load_cycle(uid, spans, span, now, text=False)
    start_day = bundle.days_by_date.get(span.start)  # a cycle starts on a logged day
    inseminations_by_date: dict[date, list] = {}
    for insemination in bundle.inseminations:
        inseminations_by_date.setdefault(insemination.date, []).append(insemination)
    tests_by_date: dict[date, list] = {}
    for test in bundle.tests:
        tests_by_date.setdefault(test.date, []).append(test)
    reading = cycle_context(uid, spans, bundle)
    unit = temperature_unit()
    # The table's rows come from the journal alone: kept with the person's journal revision.
    rows = remembered(
        uid, ("chart table", span.start, now, unit), lambda: chart_rows(span, bundle, reading["marks"], unit)
    )
    return render_journal_page(
        "journal/chart.html",
        bundle=bundle,
        cycle=span,
        cycle_day_id=start_day.id if start_day else day_id,
        inseminations_by_date=inseminations_by_date,
        tests_by_date=tests_by_date,
        rows=rows,
        **reading,
    )


def chart_rows(span: CycleSpan, bundle: Any, marks: dict[date, DayMarks], unit: str) -> list[dict[str, Any]]:
    """Each date of the cycle as a row of the table beside the chart, in words."""
    rows = []
    for when in bundle.dates():
        day = bundle.days_by_date.get(when)
        mark = marks[when]
        rows.append({
            "date": when,
            "cycle_day": span.day_number(when),
            "date_text": short_date(when),
            "href": url_for(".day", day_id=day.id) if day is not None else None,
            "cells": day_cells(day, unit) if day is not None else None,
            "fertile": mark.fertile,
            "rules": mark.words(),
        })
    return rows
