"""What the chart pages draw for each day: one cycle's logged rows as
:func:`~webapp.fertility.render.cycle_chart.render_cycle_chart` days, the table cells, and the
marks a reading puts on a day. Rows are read by attribute (journal models or anything shaped
like them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import day_words
from .cycles import CycleSpan, is_period_bleeding
from .medication import PROGESTERONE, TRIGGER, course_covers, progesterone_ng_ml
from .reading import CycleReading
from .vocabulary import BLEEDING_CODES, MEDICINE_SYMBOLS, MEDICINES

__all__ = [
    "CERVIX_KEY",
    "DayMarks",
    "cervix_code",
    "chart_days",
    "day_cells",
    "day_marks",
]

# The cervix row in up to five characters: opening, firmness, position.
_OPENING = {"closed": "c", "medium": "½", "open": "o"}
_FIRMNESS = {"firm": "f", "soft": "s"}
_POSITION = {"low": "↓", "medium": "–", "high": "↑"}
CERVIX_KEY = "Cervix: c closed, ½ a little open, o open; f firm, s soft; ↓ low, – medium, ↑ high"
_INSEMINATION_LABELS = {"ici": "ICI", "iui": "IUI", "ivi": "IVI"}


def cervix_code(day: Any) -> str | None:
    """"os↑" for an open, soft, high cervix (three characters fit a chart column); only the
    parts noted; None when none was."""
    parts = [
        table.get(value)
        for table, value in (
            (_OPENING, day.cervix_opening),
            (_FIRMNESS, day.cervix_firmness),
            (_POSITION, day.cervix_position),
        )
        if value
    ]
    return "".join(part for part in parts if part) or None


def chart_days(
    span: CycleSpan,
    last_day: date,
    days: Iterable[Any],
    inseminations: Iterable[Any] = (),
    tests: Iterable[Any] = (),
    *,
    intercourse: Iterable[Any] = (),
    medicines: Iterable[Any] = (),
    progesterone_tests: Iterable[Any] = (),
    trigger_ovulation: date | None = None,
) -> list[dict[str, Any]]:
    """The chart's day mappings for one cycle, cycle day 1 through ``last_day``.

    Days with nothing logged are left out (the chart draws them as empty columns), except
    the first and the last, which fix the chart's width. Medicines are drawn on every day of
    their course; ``trigger_ovulation`` is the ovulation estimated from a trigger shot (only
    when the cycle has no temperature shift).
    """
    by_date: dict[date, dict[str, Any]] = {}

    def entry(when: date) -> dict[str, Any]:
        if when not in by_date:
            by_date[when] = {"date": when, "cycle_day": span.day_number(when)}
        return by_date[when]

    for day in days:
        if not (span.start <= day.date <= last_day):
            continue
        record = entry(day.date)
        if day.temperature_centi is not None:
            record["temperature_c"] = day.temperature_centi / 100
            record["temperature_excluded"] = day.temperature_disturbance is not None
        if is_period_bleeding(day.bleeding, day.not_period):
            record["bleeding"] = BLEEDING_CODES[day.bleeding]
        if day.mucus_code is not None:
            record["mucus_code"] = day.mucus_code
        cervix = cervix_code(day)
        if cervix:
            record["cervix"] = cervix
        if day.ovulation_test:
            record["ovulation_test"] = day.ovulation_test
    counted: dict[date, list[Any]] = {}
    for insemination in inseminations:
        if span.start <= insemination.date <= last_day:
            counted.setdefault(insemination.date, []).append(insemination)
    for when, items in counted.items():
        label = _INSEMINATION_LABELS.get(items[0].method, True)
        entry(when)["insemination"] = f"{len(items)}×" if len(items) > 1 else label
    for test in tests:
        if span.start <= test.date <= last_day:
            entry(test.date)["pregnancy_test"] = "positive" if test.is_positive else "negative"
    _add_ttc_rows(span, last_day, entry, intercourse, medicines, progesterone_tests, trigger_ovulation)
    entry(span.start)
    entry(last_day)
    return [by_date[when] for when in sorted(by_date)]


def _add_ttc_rows(
    span: CycleSpan,
    last_day: date,
    entry: Any,
    intercourse: Iterable[Any],
    medicines: Iterable[Any],
    progesterone_tests: Iterable[Any],
    trigger_ovulation: date | None,
) -> None:
    """Intercourse, medicine courses, trigger shots and progesterone tests on the chart days."""
    for item in intercourse:
        if span.start <= item.date <= last_day:
            record = entry(item.date)
            label = "protected" if item.sperm == "protected" else "with sperm" if item.sperm else "yes"
            record["intercourse"] = label if "intercourse" not in record else f"{record['intercourse']}, {label}"
    courses = list(medicines)
    when = span.start
    while when <= last_day:
        taking = [m for m in courses if m.medicine != TRIGGER and course_covers(m, when)]
        if taking:
            record = entry(when)
            record["medicine"] = "/".join(MEDICINE_SYMBOLS.get(m.medicine, "Med") for m in taking)
            record["medicine_words"] = ", ".join(m.name or MEDICINES.get(m.medicine, m.medicine) for m in taking)
            if any(m.medicine == PROGESTERONE for m in taking):
                record["progesterone"] = True
        when += timedelta(days=1)
    for shot in courses:
        if shot.medicine == TRIGGER and span.start <= shot.start_date <= last_day:
            entry(shot.start_date)["trigger"] = "hCG trigger shot"
    if trigger_ovulation is not None and span.start <= trigger_ovulation <= last_day:
        record = entry(trigger_ovulation)
        record["trigger"] = (
            f"{record['trigger']}; " if "trigger" in record else ""
        ) + "ovulation estimated from the trigger (about 36 hours after)"
    for test in progesterone_tests:
        if span.start <= test.date <= last_day:
            if test.kind == "pdg_strip":
                label = f"PdG {test.result or 'not noted'}"
            else:
                label = f"{progesterone_ng_ml(test.value, test.unit):.1f} ng/mL" if test.value is not None else "serum"
            entry(test.date)["progesterone_test"] = label


@dataclass(frozen=True)
class DayCells:
    """One logged day in words, for the table beside the chart (the same words as the
    journal's entry macros, from :mod:`webapp.fertility.day_words`; made in Python because the
    table has a row a day and macros are slow in a loop)."""

    temperature: str = ""
    bleeding: str = ""
    mucus: str = ""
    cervix: str = ""
    ovulation_test: str = ""


def day_cells(day: Any, unit: str) -> DayCells:
    return DayCells(
        temperature=day_words.temperature_words(day, unit, disturbed=" (disturbed, left out of the rules)"),
        bleeding=day_words.bleeding_words(day),
        mucus=day_words.mucus_words(day),
        cervix=day_words.cervix_words(day),
        ovulation_test=day_words.ovulation_test_words(day),
    )


@dataclass(frozen=True)
class DayMarks:
    """What the rules say about one date, in words for the table beside the chart."""

    fertile: bool = False
    first_high: bool = False
    ovulation: bool = False
    confirmed: bool = False
    infertile_start: bool = False

    def words(self) -> str:
        found = []
        if self.infertile_start:
            found.append("infertile days at the start")
        if self.fertile:
            found.append("fertile phase")
        if self.ovulation:
            found.append("likely ovulation")
        if self.first_high:
            found.append("first higher temperature")
        if self.confirmed:
            found.append("temperature shift confirmed")
        return ", ".join(found)


def day_marks(reading: CycleReading, when: date) -> DayMarks:
    start, end = reading.fertile_start, reading.fertile_end
    pre_end = reading.pre_ovulatory_end
    return DayMarks(
        fertile=start is not None and start <= when and (end is None or when <= end),
        first_high=reading.first_high == when,
        ovulation=reading.ovulation == when,
        confirmed=reading.confirmed == when,
        infertile_start=pre_end is not None and reading.span.start <= when <= pre_end,
    )
