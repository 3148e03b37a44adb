"""One cycle's chart: the sympto-thermal chart as inline SVG, what the rules found in words,
and the same data as a table. Addressed like the cycle view, by the id of a day inside it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ..clock import today
from . import bp, queries
from .reading_views import cycle_context
from .routes_cycles import cycle_of, start_day_ids


@bp.get("/cycles/<int:day_id>/chart")
def cycle_chart(day_id: int):
    entry, spans, span = cycle_of(day_id)
    if span is None:
        return render_template("journal/no_cycle.html", day=entry)
    uid = current_user.id
    bundle = queries.load_cycle(uid, spans, span, today())
    ids = start_day_ids(uid, [span.start])
    return render_template(
        "journal/chart.html",
        bundle=bundle,
        cycle=span,
        cycle_day_id=ids.get(span.start, day_id),
        **cycle_context(uid, spans, bundle),
    )
