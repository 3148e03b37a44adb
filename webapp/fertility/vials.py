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

__all__ = ["COUNTING_KINDS", "CycleVials", "VialCount", "opening_entries", "per_cycle", "vial_count"]

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
    start: date
    number: int
    vials_used: int
    spent_cents: int


def per_cycle(spans: Sequence[Any], entries: Iterable[Any], inseminations: Iterable[Any]) -> list[CycleVials]:
    """Vials used and money spent in each cycle (by the dates of the entries), oldest first;
    cycles with neither are left out."""
    used: dict[int, int] = {}
    spent: dict[int, int] = {}
    for insemination in inseminations:
        number = _cycle_number(spans, insemination.date)
        if number is not None and insemination.vials_used:
            used[number] = used.get(number, 0) + insemination.vials_used
    for entry in entries:
        number = _cycle_number(spans, entry.date)
        if number is not None and entry.cost_cents:
            spent[number] = spent.get(number, 0) + entry.cost_cents
    return [
        CycleVials(span.start, span.number, used.get(span.number, 0), spent.get(span.number, 0))
        for span in spans
        if span.number in used or span.number in spent
    ]


def _cycle_number(spans: Sequence[Any], when: date) -> int | None:
    for span in spans:
        if span.start <= when and (span.end is None or when <= span.end):
            return span.number
    return None
