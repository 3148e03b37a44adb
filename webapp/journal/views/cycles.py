"""Cycles: the list, one cycle day by day, and how a cycle ended.

Cycles have no table, so their pages are addressed by the id of a day inside them (usually
the first): an id, never a date, in the URL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from flask import abort, flash, redirect, request, url_for
from markupsafe import Markup
from flask_login import current_user

from ..local_time import person_today
from ...extensions import db
from ...templating import long_date, short_date
from .. import beside, queries
from ..blueprints import bp
from ...fertility import day_words
from ...fertility.cycles import CycleSpan, cycle_containing
from ...fertility.formatting import time_after
from ..forms import ConfirmDeleteForm, CycleOutcomeForm, blank_to_none
from ..models import CycleOutcome, Day
from ..history import History, remembered
from ..presenters import cycle_context, secondary_symptom, temperature_unit
from ...fertility.render.sparkline import render_sparkline, sparkline_words
from ..page import render_journal_page
from ...fertility.render.overlay_chart import (
    ALIGNMENTS, OverlaySeries, aligned_points, render_overlay_chart, series_style,
)
from ._helpers import cycle_and_start_ids, cycle_of


def charted_temperatures(history: History, span) -> dict[int, float]:
    """°C by cycle day of the temperatures the rules use (disturbed ones left out)."""
    return {
        span.day_number(row.date): row.temperature_centi / 100
        for row in history.rows(span)
        if row.temperature_centi is not None and row.temperature_disturbance is None
    }


@bp.get("/cycles/")
def cycles():
    uid = current_user.id
    spans, ids = queries.cycle_spans_and_start_ids(uid)
    outcomes = queries.outcomes_by_start(uid)
    outcome_of = {}
    for outcome in outcomes:  # oldest first: a later record for the same cycle wins
        span = cycle_containing(spans, outcome.cycle_start)
        if span is not None:
            outcome_of[span.number] = outcome
    history = History.load(uid, secondary_symptom(), spans)
    unit = temperature_unit()
    readings = history.readings()
    # One day is as wide in every sparkline, so that cycles compare at a glance.
    widest = max((r.span.length or r.span.day_number(r.span.last_day(person_today())) for r in readings), default=1)
    rows = []
    for reading in reversed(readings):
        span = reading.span
        temperatures = charted_temperatures(history, span)
        rows.append({
            "cycle": span,
            "day_id": ids.get(span.start),
            "outcome": outcome_of.get(span.number),
            "ovulation_day": reading.ovulation_day,
            # Decorative (aria-hidden): the words beside it say what it shows.
            "sparkline": Markup(render_sparkline(temperatures, widest, reading.ovulation_day)),  # nosec B704
            "sparkline_words": sparkline_words(temperatures, unit),
        })
    return render_journal_page("journal/cycles.html", rows=rows)


OVERLAY_CYCLES = 6


@bp.get("/cycles/overlay")
def cycles_overlay():
    """The last six cycles' temperature curves on one chart, lined up on cycle day 1 or on each
    cycle's likely ovulation (as its own reading found it), with the numbers as a table."""
    align = request.args.get("align", "day")
    if align not in ALIGNMENTS:
        align = "day"
    uid = current_user.id
    spans = queries.cycle_spans(uid)
    shown = spans[-OVERLAY_CYCLES:]
    if not shown:
        return render_journal_page("journal/cycles_overlay.html", align=align, series=[], chart=None, table=[])
    history = History.load(uid, secondary_symptom(), spans, first=shown[0])
    series = [
        OverlaySeries(
            reading.span.number, reading.span.start, charted_temperatures(history, reading.span),
            reading.ovulation_day, reading.span.length,
        )
        for reading in history.readings()
    ]
    unit = temperature_unit()
    aligned = {item.number: aligned_points(item, align) for item in series}
    drawable = [item for item in series if aligned[item.number]]
    chart = None
    if drawable:
        title = "Your last cycles, lined up on " + ("likely ovulation" if align == "ovulation" else "cycle day 1")
        # The renderer escapes every text it writes (tests/test_overlay_chart.py checks it).
        chart = Markup(render_overlay_chart(drawable, align, unit, title=title))  # nosec B704
    xs = sorted({x for item in drawable for x in aligned[item.number]})
    table = [(x, [aligned[item.number].get(x) for item in drawable]) for x in xs]
    return render_journal_page(
        "journal/cycles_overlay.html",
        align=align,
        series=series,
        drawable=drawable,
        legend=[(item, *series_style(age)) for age, item in enumerate(reversed(drawable))],
        left_out=[item for item in series if not aligned[item.number]],
        chart=chart,
        table=table,
    )


@bp.get("/cycles/current")
def current_cycle():
    spans, ids = queries.cycle_spans_and_start_ids(current_user.id)
    span = cycle_containing(spans, person_today())
    if span is None:
        flash("Your first cycle starts on the first day of a period you log.", "info")
        return redirect(url_for(".cycles"))
    return redirect(url_for(".cycle", day_id=ids[span.start]))


def table_cells(day: Day, unit: str) -> dict[str, str]:
    """One day's cells for the cycle table (words from fertility.day_words, built in Python:
    a row a day makes macros the slowest part of the page)."""
    extras = [day_words.symptom_words(day).lower(), "note" if day.note else ""]
    return {
        "bleeding": day_words.bleeding_words(day, with_noun=False),
        "temperature": day_words.temperature_words(day, unit),
        "mucus": day_words.mucus_words(day, symbol_only=True),
        "cervix": day_words.cervix_words(day),
        "ovulation_test": day_words.ovulation_test_words(day),
        "extras": " · ".join(extra for extra in extras if extra),
    }


def cycle_rows(span: CycleSpan, bundle: Any, unit: str, now: date) -> list[dict[str, Any]]:
    """Every day of the cycle as a row of the table: its cells (words), links and entries."""
    by_date_inseminations: dict[date, list] = {}
    by_date_notes: dict[date, list] = {}
    for insemination in bundle.inseminations:
        by_date_inseminations.setdefault(insemination.date, []).append(insemination)
        for note in insemination.notes:
            when = note.noted_at.date()
            if not span.contains(when) or when > bundle.last_day:
                when = insemination.date
            phrase = time_after(insemination.starts_at, note.noted_at, insemination.time is not None)
            by_date_notes.setdefault(when, []).append((note, insemination, phrase))
    by_date_tests: dict[date, list] = {}
    for test in bundle.tests:
        by_date_tests.setdefault(test.date, []).append(test)
    by_date_ttc: dict[str, dict[date, list]] = {"intercourse": {}, "medicines_started": {}, "progesterone_tests": {}}
    for kind, items, when_of in (
        ("intercourse", bundle.intercourse, lambda item: item.date),
        ("medicines_started", bundle.medicines, lambda item: max(item.start_date, span.start)),
        ("progesterone_tests", bundle.progesterone_tests, lambda item: item.date),
    ):
        for item in items:
            by_date_ttc[kind].setdefault(when_of(item), []).append(item)

    rows = []
    for when in bundle.dates():
        day = bundle.days_by_date.get(when)
        rows.append({
            "date": when,
            "date_text": short_date(when),
            "href": (
                url_for(".day", day_id=day.id) if day is not None
                else None if when > now else url_for(".new_day", date=when.isoformat())
            ),
            "cycle_day": span.day_number(when),
            "day": day,
            "cells": table_cells(day, unit) if day is not None else None,
            "inseminations": by_date_inseminations.get(when, []),
            "notes": by_date_notes.get(when, []),
            "tests": by_date_tests.get(when, []),
            **{kind: found.get(when, []) for kind, found in by_date_ttc.items()},
            "future": when > now,
        })
    return rows


@bp.get("/cycles/<int:day_id>")
def cycle(day_id: int):
    entry, spans, span, ids = cycle_and_start_ids(day_id)
    if span is None:
        return render_journal_page("journal/no_cycle.html", day=entry)
    uid = current_user.id
    bundle = queries.load_cycle(uid, spans, span, person_today())
    # The Sensiplan reading, the chart and each insemination's timing (see reading_views).
    reading = cycle_context(uid, spans, bundle)
    ovulation = reading["reading"].ovulation
    neighbours = ids

    start_day = bundle.days_by_date.get(span.start)  # a cycle starts on a logged day

    unit = current_user.temperature_unit or "C"
    now = person_today()
    # The table's rows come from the journal alone: kept with the person's journal revision.
    rows = remembered(uid, ("cycle table", span.start, now, unit), lambda: cycle_rows(span, bundle, unit, now))
    return render_journal_page(
        "journal/cycle.html",
        bundle=bundle,
        cycle=span,
        start_day_id=start_day.id if start_day else None,
        rows=rows,
        ovulation=ovulation,
        previous_id=neighbours.get(bundle.previous.start) if bundle.previous else None,
        following_id=neighbours.get(bundle.following.start) if bundle.following else None,
        articles=beside.cycle_articles(uid, spans, bundle, reading["reading"]),
        **reading,
    )


@bp.route("/cycles/<int:day_id>/outcome", methods=["GET", "POST"])
def cycle_outcome(day_id: int):
    entry, spans, span = cycle_of(day_id)
    if span is None:
        abort(404)
    uid = current_user.id
    existing = queries.outcome_for(uid, span)
    data = {"outcome": existing.outcome, "note": existing.note or ""} if existing else {}
    form = CycleOutcomeForm(data=data)
    if form.validate_on_submit():
        record = existing or CycleOutcome(user_id=uid, cycle_start=span.start)
        record.outcome = form.outcome.data
        record.note = blank_to_none(form.note.data)
        if existing is None:
            db.session.add(record)
        try:
            db.session.commit()
        except IntegrityError:
            # Another submit saved this cycle's outcome first: change that one (one per cycle).
            db.session.rollback()
            winner = queries.outcome_for(uid, span)
            if winner is None:
                raise
            winner.outcome = form.outcome.data
            winner.note = blank_to_none(form.note.data)
            db.session.commit()
        flash("Saved. Thank you for recording it.", "success")
        return redirect(url_for(".cycle", day_id=day_id))
    articles = beside.outcome_articles(existing) if existing else []
    return render_journal_page(
        "journal/outcome_form.html", form=form, cycle=span, day_id=day_id, existing=existing,
        articles=articles,
    )


@bp.route("/outcomes/<int:outcome_id>/delete", methods=["GET", "POST"])
def delete_outcome(outcome_id: int):
    outcome = queries.owned(CycleOutcome, outcome_id)
    form = ConfirmDeleteForm()
    spans, ids = queries.cycle_spans_and_start_ids(current_user.id)
    span = cycle_containing(spans, outcome.cycle_start)
    back_id = ids[span.start] if span else None
    back = url_for(".cycle", day_id=back_id) if back_id else url_for(".cycles")
    if form.validate_on_submit():
        db.session.delete(outcome)
        db.session.commit()
        flash("What you recorded about this cycle is deleted.", "success")
        return redirect(back)
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete what you recorded about the cycle that started {long_date(outcome.cycle_start)}?",
        consequences=["The days and entries of the cycle stay as they are."],
        cancel_url=back,
    )
