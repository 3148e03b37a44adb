"""A donor's vials from their ledger: bought, used, left, and money spent, in total and per
cycle. Pure standard library; ledger entries and inseminations are read by attribute.

Purchases add vials; corrections add or take away (a count that was off); shipments and
storage are dated costs and places that leave the count alone. Each insemination takes its
``vials_used`` from its donor. A donor with no purchase or correction is "not counted".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "COUNTING_KINDS",
    "CycleVials",
    "Spending",
    "VialCount",
    "opening_entries",
    "per_cycle",
    "spending",
    "vial_count",
]

COUNTING_KINDS = ("purchase", "correction")


@dataclass(frozen=True)
class VialCount:
    counted: bool  # False: the person keeps no count for this donor
    bought: int
    used: int
    left: int
    spent_cents: int


def vial_count(entries: Iterable[Any], inseminations: Iterable[Any]) -> VialCount:
    """One donor's count: ``entries`` are its ledger rows, ``inseminations`` its inseminations."""
    counted = False
    bought = corrected = spent = 0
    for entry in entries:
        if entry.kind in COUNTING_KINDS:
            counted = True
        if entry.kind == "purchase":
            bought += entry.vials or 0
        elif entry.kind == "correction":
            corrected += entry.vials or 0
        spent += entry.cost_cents or 0
    used = sum(i.vials_used or 0 for i in inseminations)
    return VialCount(counted, bought, used, max(0, bought + corrected - used), spent)


def opening_entries(bought: int | None, in_storage: int | None, used: int = 0) -> list[tuple[str, int]]:
    """The ledger entries (kind, vials) that stand for a count kept before the ledger: a
    purchase of the vials bought, and a correction so that ``in_storage`` are left once the
    ``used`` vials of the inseminations already logged are taken off."""
    entries = []
    if bought:
        entries.append(("purchase", bought))
    if in_storage is not None:
        change = in_storage + used - (bought or 0)
        # With nothing bought, a correction of 0 still says "I keep count, and have none".
        if change or not bought:
            entries.append(("correction", change))
    return entries


@dataclass(frozen=True)
class CycleVials:
    """A cycle's vials used, ledger costs (``spent_cents``) and inseminations' own costs."""

    start: date
    number: int
    vials_used: int
    spent_cents: int
    insemination_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.spent_cents + self.insemination_cents


def per_cycle(spans: Sequence[Any], entries: Iterable[Any], inseminations: Iterable[Any]) -> list[CycleVials]:
    """Vials used and money spent in each cycle (by the dates of the entries, and the
    inseminations' own ``cost_cents`` when they have one), oldest first; cycles with none of
    these are left out."""
    used: dict[int, int] = {}
    spent: dict[int, int] = {}
    procedures: dict[int, int] = {}
    for insemination in inseminations:
        number = _cycle_number(spans, insemination.date)
        if number is not None and insemination.vials_used:
            used[number] = used.get(number, 0) + insemination.vials_used
        cost = getattr(insemination, "cost_cents", None)
        if number is not None and cost:
            procedures[number] = procedures.get(number, 0) + cost
    for entry in entries:
        number = _cycle_number(spans, entry.date)
        if number is not None and entry.cost_cents:
            spent[number] = spent.get(number, 0) + entry.cost_cents
    return [
        CycleVials(
            span.start, span.number, used.get(span.number, 0), spent.get(span.number, 0),
            procedures.get(span.number, 0),
        )
        for span in spans
        if span.number in used or span.number in spent or span.number in procedures
    ]


@dataclass(frozen=True)
class Spending:
    """The whole journal's vials and money, every figure from the ledger and the inseminations.

    ``cycles``: :func:`per_cycle`; ``donors``: each donor's :class:`VialCount` (by donor id);
    ``ledger_cents``: every ledger cost (vials, shipping, storage); ``outside_cycles_cents``:
    the part of it dated before the first cycle (a purchase made ahead), counted in the totals
    but in no cycle; ``insemination_cents``: the inseminations' own costs."""

    cycles: list[CycleVials]
    donors: dict[Any, VialCount]
    ledger_cents: int
    outside_cycles_cents: int
    insemination_cents: int

    @property
    def total_cents(self) -> int:
        return self.ledger_cents + self.insemination_cents

    @property
    def vials_used(self) -> int:
        return sum(count.used for count in self.donors.values())


def spending(
    spans: Sequence[Any], entries: Iterable[Any], inseminations: Iterable[Any], donor_ids: Iterable[Any] = ()
) -> Spending:
    """Vials and money for a whole journal: ``entries`` are every ledger row (with
    ``donor_id``), ``inseminations`` every insemination (``donor_id`` None when no donor was
    noted), ``donor_ids`` the donors to count even without an entry or insemination."""
    entries, inseminations = list(entries), list(inseminations)
    by_donor: dict[Any, list[Any]] = {donor_id: [] for donor_id in donor_ids}
    uses: dict[Any, list[Any]] = {}
    for entry in entries:
        by_donor.setdefault(entry.donor_id, []).append(entry)
    for insemination in inseminations:
        if insemination.donor_id is not None:
            by_donor.setdefault(insemination.donor_id, [])
            uses.setdefault(insemination.donor_id, []).append(insemination)
    cycles = per_cycle(spans, entries, inseminations)
    ledger = sum(entry.cost_cents or 0 for entry in entries)
    procedures = sum(getattr(i, "cost_cents", None) or 0 for i in inseminations)
    in_cycles = sum(cycle.spent_cents for cycle in cycles)
    return Spending(
        cycles=cycles,
        donors={key: vial_count(rows, uses.get(key, [])) for key, rows in by_donor.items()},
        ledger_cents=ledger,
        outside_cycles_cents=ledger - in_cycles,
        insemination_cents=procedures,
    )


def _cycle_number(spans: Sequence[Any], when: date) -> int | None:
    for span in spans:
        if span.start <= when and (span.end is None or when <= span.end):
            return span.number
    return None
