"""A person's journal as CSV files for a spreadsheet: days (the cycle page's table, one row a
date), inseminations, pregnancy tests.

Every cell is written by the csv module (quotes, commas and line breaks escaped) and guarded
against formula injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or
carriage return), so such a cell gets a leading apostrophe and is shown as the text it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, time

from sqlalchemy import select

from ..extensions import db
from ..fertility import day_words
from ..fertility import vocabulary as v
from ..fertility.cycles import cycle_containing
from . import queries
from .models import Day, Insemination, PregnancyTest

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The cycle page's table, then what its last columns shorten ("note") in full.
DAY_COLUMNS = (
    "Cycle", "Day", "Date", "Bleeding", "Temperature", "Mucus", "Cervix", "Ovulation test",
    "Inseminations, notes and tests", "Symptoms", "Mood", "Note",
)
INSEMINATION_COLUMNS = (
    "Date", "Time", "Method", "Sperm", "Donor", "Vials used", "Vial numbers",
    "Motile count (millions)", "Performed by", "Location", "Cost", "Note",
)
TEST_COLUMNS = (
    "Date", "Time", "Kind", "Brand", "Sensitivity (mIU/mL)", "Result", "hCG (mIU/mL)", "Note",
)


def safe_cell(value: object) -> str:
    """A value as CSV text, never read by a spreadsheet as a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, time):
        text = value.strftime("%H:%M")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    # A byte order mark, so that spreadsheets read the file as UTF-8 (°C, names, notes).
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _label(words: dict[str, str], value: str | None) -> str:
    return "" if value is None else words.get(value, value)


def days_csv(user_id: int, unit: str) -> str:
    days = list(db.session.scalars(select(Day).where(Day.user_id == user_id).order_by(Day.date)))
    inseminations = _inseminations(user_id)
    tests = _tests(user_id)
    entries: dict[date, list[str]] = {}
    for insemination in inseminations:
        entries.setdefault(insemination.date, []).append(
            "Insemination " + _label(v.INSEMINATION_METHODS, insemination.method)
        )
    for test in tests:
        result = f"{test.hcg_miu:g} mIU/mL" if test.hcg_miu is not None else _label(v.HOME_RESULTS, test.result)
        entries.setdefault(test.date, []).append(f"{_label(v.TEST_KINDS, test.kind)}: {result}")
    by_date = {day.date: day for day in days}
    spans = queries.cycle_spans(user_id)
    rows = []
    for when in sorted(set(by_date) | set(entries)):
        day = by_date.get(when)
        span = cycle_containing(spans, when)
        signs = (
            [
                day_words.bleeding_words(day, with_noun=False),
                day_words.temperature_words(day, unit),
                day_words.mucus_words(day, symbol_only=True),
                day_words.cervix_words(day),
                day_words.ovulation_test_words(day),
            ]
            if day is not None
            else ["", "", "", "", ""]
        )
        rows.append([
            span.number if span else "",
            span.day_number(when) if span else "",
            when,
            *signs,
            "; ".join(entries.get(when, [])),
            day_words.symptom_words(day) if day is not None else "",
            day.mood if day is not None else "",
            day.note if day is not None else "",
        ])
    return write_csv(DAY_COLUMNS, rows)


def _inseminations(user_id: int) -> list[Insemination]:
    return list(db.session.scalars(
        select(Insemination)
        .where(Insemination.user_id == user_id)
        .order_by(Insemination.date, Insemination.time, Insemination.id)
    ))


def _tests(user_id: int) -> list[PregnancyTest]:
    return list(db.session.scalars(
        select(PregnancyTest)
        .where(PregnancyTest.user_id == user_id)
        .order_by(PregnancyTest.date, PregnancyTest.time, PregnancyTest.id)
    ))


def inseminations_csv(user_id: int) -> str:
    donors = {donor.id: donor.name for donor in queries.donors(user_id)}
    rows = [
        [
            i.date, i.time, _label(v.INSEMINATION_METHODS, i.method), _label(v.SPERM_STATES, i.sperm),
            donors.get(i.donor_id, "") if i.donor_id is not None else "", i.vials_used, i.vial_numbers,
            i.motile_count_millions, i.performed_by, i.location,
            None if i.cost_cents is None else f"{i.cost_cents / 100:.2f}", i.note,
        ]
        for i in _inseminations(user_id)
    ]
    return write_csv(INSEMINATION_COLUMNS, rows)


def tests_csv(user_id: int) -> str:
    rows = [
        [
            t.date, t.time, _label(v.TEST_KINDS, t.kind), t.brand, t.sensitivity_miu,
            _label(v.HOME_RESULTS, t.result), t.hcg_miu, t.note,
        ]
        for t in _tests(user_id)
    ]
    return write_csv(TEST_COLUMNS, rows)
