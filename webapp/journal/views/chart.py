"""One cycle's chart: the sympto-thermal chart as inline SVG, what the rules found in words,
and the same data as a table. Addressed like the cycle view, by the id of a day inside it."""

from __future__ import annotations

from datetime import date

from flask_login import current_user

from ..local_time import person_today
from .. import queries
from ..blueprints import bp
from ...fertility.chart_days import day_cells
from ..presenters import cycle_context
from ..page import render_journal_page
from ._helpers import cycle_of


@bp.get("/cycles/<int:day_id>/chart")
def cycle_chart(day_id: int):
    entry, spans, span = cycle_of(day_id)
    if span is None:
        return render_journal_page("journal/no_cycle.html", day=entry)
    uid = current_user.id
    # The chart page shows no free text (notes, symptoms, brands): none is read.
    bundle = queries.load_cycle(uid, spans, span, person_today(), text=False)
    start_day = bundle.days_by_date.get(span.start)  # a cycle starts on a logged day
    inseminations_by_date: dict[date, list] = {}
    for insemination in bundle.inseminations:
        inseminations_by_date.setdefault(insemination.date, []).append(insemination)
    tests_by_date: dict[date, list] = {}
    for test in bundle.tests:
        tests_by_date.setdefault(test.date, []).append(test)
    return render_journal_page(
        "journal/chart.html",
        bundle=bundle,
        cycle=span,
        cycle_day_id=start_day.id if start_day else day_id,
        inseminations_by_date=inseminations_by_date,
        tests_by_date=tests_by_date,
        day_cells=day_cells,
        **cycle_context(uid, spans, bundle),
    )
