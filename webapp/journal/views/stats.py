"""Statistics across every cycle: lengths, luteal phases, ovulation days, inseminations per
cycle and per donor, vials used and left and money spent (from the vial ledger, worked out by
:func:`webapp.fertility.vials.spending`), how cycles ended, and a small chart of cycle lengths."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ..local_time import person_today
from ...extensions import db
from .. import queries
from ..blueprints import bp
from ...fertility import vocabulary
from ...fertility.formatting import money_text, plural
from ...templating import long_date
from ...fertility.render.lengths_chart import LengthBar, render_lengths_chart
from ...fertility.cycles import CycleSpan, cycle_containing
from ..history import History, remembered
from ...fertility.vials import CycleVials, Spending, VialCount, spending
from ..models import Donor, VialEntry
from ...fertility.predictions import cycle_statistics
from ...fertility.reading import CycleReading, completed_cycle
from ..presenters import forecast_for, secondary_symptom
from ..page import render_journal_page


@dataclass
class CycleRow:
    reading: CycleReading
    day_id: int | None
    inseminations: int = 0
    money: CycleVials | None = None  # vials used and money spent, from the ledger
    outcome: Any = None  # the cycle's outcome: its cycle_start and outcome (queries.outcome_kinds)
    cells: dict[str, str] | None = None  # the table's words (table_cells), once the row is whole

    @property
    def cycle(self) -> CycleSpan:
        return self.reading.span


def table_cells(row: CycleRow) -> dict[str, str]:
    """One cycle's row of the table as words, built in Python: with 64 cycles the template's
    calls per cell were most of the page."""
    reading, span, money = row.reading, row.cycle, row.money
    if reading.ovulation_day:
        ovulation = f"day {reading.ovulation_day}"
    else:
        ovulation = "not detected" if reading.readable else "cannot be read"
    return {
        "number": str(span.number),
        "chart_url": url_for("journal.cycle_chart", day_id=row.day_id) if row.day_id else "",
        "started": long_date(span.start),
        "length": "running" if span.length is None else plural(span.length, "day"),
        "ovulation": ovulation,
        "luteal": plural(reading.luteal_length, "day") if reading.luteal_length else "",
        "inseminations": str(row.inseminations) if row.inseminations else "",
        "vials": str(money.vials_used) if money and money.vials_used else "",
        "spent": money_text(money.total_cents) if money and money.total_cents else "",
        "outcome": vocabulary.label(vocabulary.OUTCOMES, row.outcome.outcome) if row.outcome else "",
    }


@dataclass
class DonorRow:
    name: str
    inseminations: int = 0
    vials: int = 0
    cycles: int = 0
    count: VialCount | None = None  # from the ledger; None: no donor recorded


def ledger_spending(uid: int, spans: list[CycleSpan], inseminations: list[Any]) -> tuple[Spending, dict[int, str]]:
    """The person's vials and money (read-only columns of the ledger and donors, two selects)
    and each donor's name by id."""
    entries = db.session.execute(
        select(VialEntry.donor_id, VialEntry.date, VialEntry.kind, VialEntry.vials, VialEntry.cost_cents)
        .where(VialEntry.user_id == uid)
        .order_by(VialEntry.date, VialEntry.id)
    ).all()
    names = {
        row.id: f"{row.code} ({row.bank})" if row.bank else row.code
        for row in db.session.execute(select(Donor.id, Donor.code, Donor.bank).where(Donor.user_id == uid))
    }
    return spending(spans, entries, inseminations, names), names


def _mean(values) -> float | None:
    values = list(values)
    return statistics.fmean(values) if values else None


@bp.get("/stats")
def stats():
    uid = current_user.id
    today, symptom = person_today(), secondary_symptom()
    # Worked out from the journal alone: kept with the person's journal revision (in process,
    # for this person only), so looking again costs only the rendering.
    context = remembered(uid, ("stats page", today, symptom), lambda: stats_context(uid, today, symptom))
    return render_journal_page("journal/stats.html", **context)


def stats_context(uid: int, today: date, symptom: str) -> dict[str, Any]:
    spans, ids = queries.cycle_spans_and_start_ids(uid)
    history = History.load(uid, symptom, spans)
    readings = history.readings()
    rows = {reading.span.number: CycleRow(reading, ids.get(reading.span.start)) for reading in readings}
    find = queries.span_finder(spans)

    # Core rows of the columns counted (date, donor, vials, cost): no notes read or decrypted.
    inseminations = queries.insemination_uses(uid)
    money, names = ledger_spending(uid, spans, inseminations)
    donors: dict[int | None, DonorRow] = {}
    donor_cycles: dict[int | None, set[int]] = {}
    outside = 0  # inseminations before the first cycle
    for insemination in inseminations:
        span = find(insemination.date)
        if span is None:
            outside += 1
        else:
            rows[span.number].inseminations += 1
        key = insemination.donor_id
        if key not in donors:
            donors[key] = DonorRow(names[key] if key in names else "No donor recorded")
        donors[key].inseminations += 1
        donors[key].vials += insemination.vials_used or 0
        if span is not None:
            donor_cycles.setdefault(key, set()).add(span.number)
    for key, numbers in donor_cycles.items():
        donors[key].cycles = len(numbers)
    for cycle in money.cycles:
        if cycle.number in rows:
            rows[cycle.number].money = cycle
    for key, count in money.donors.items():
        if key not in donors:
            if not (count.counted or count.spent_cents):
                continue
            donors[key] = DonorRow(names.get(key, "A donor"))
        donors[key].count = count

    outcome_counts: Counter[str] = Counter()
    for outcome in queries.outcome_kinds(uid):  # oldest first: a later record for a cycle wins
        span = find(outcome.cycle_start)
        if span is not None:
            rows[span.number].outcome = outcome
    for row in rows.values():
        if row.outcome is not None:
            outcome_counts[row.outcome.outcome] += 1
        row.cells = table_cells(row)

    completed = [done for r in readings if (done := completed_cycle(r)) is not None]
    summary = cycle_statistics(completed)
    bars = [
        LengthBar(c.span.number, c.span.start, c.span.length, c.ovulation_day)
        for c in readings
        if c.span.length is not None
    ]
    # The lengths chart holds only numbers and dates it formats itself, escaped as it writes.
    chart = Markup(render_lengths_chart(bars, summary.average_length)) if bars else None  # nosec B704
    cycles_with_inseminations = [row for row in rows.values() if row.inseminations]
    current = cycle_containing(spans, today)
    return dict(
        rows=list(reversed(rows.values())),
        table=[row.cells for row in reversed(rows.values())],
        summary=summary,
        luteal_average=_mean(summary.luteal_lengths),
        ovulation_average=_mean(summary.ovulation_days),
        lengths_chart=chart,
        inseminations_total=len(inseminations),
        inseminations_outside=outside,
        per_cycle_average=_mean(row.inseminations for row in cycles_with_inseminations),
        cycles_with_inseminations=len(cycles_with_inseminations),
        vials_total=sum(i.vials_used or 0 for i in inseminations),
        spending=money,
        donors=sorted(donors.values(), key=lambda d: (-d.inseminations, d.name)),
        outcome_counts=[(vocabulary.OUTCOMES[key], outcome_counts[key]) for key in vocabulary.OUTCOMES if outcome_counts[key]],
        forecast=forecast_for(uid, spans, today, symptom) if current is not None else None,
    )
