"""The month calendar, with each day's entries and the estimates ahead."""

from __future__ import annotations

import calendar as calendar_module
import re
from datetime import date, timedelta
from typing import Any

from flask import request
from flask_login import current_user
from sqlalchemy import or_, select

from ..local_time import person_today
from ...extensions import db
from .. import queries
from ..blueprints import bp
from ...fertility.medication import TRIGGER, TRIGGER_WINDOW_LONGEST, courses_on, may_be_trigger
from ...fertility.vocabulary import MEDICINE_SYMBOLS, MEDICINES
from ..models import Medicine, ProgesteroneTest
from ..presenters import calendar_forecast, pregnancy_for, two_week_wait_for
from ..history import remembered
from ..page import render_journal_page

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def month_from_arg(value: str | None, fallback: date) -> date:
    match = MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return date(year, month, 1)
    return fallback.replace(day=1)


def medicine_rows(uid: int, first: date, last: date) -> list:
    """The columns of every course touching ``first`` to ``last`` (one Core select, read-only)."""
    return list(db.session.execute(
        select(
            Medicine.id, Medicine.medicine, Medicine.name, Medicine.dose, Medicine.dose_unit,
            Medicine.start_date, Medicine.end_date, Medicine.time,
        )
        .where(
            Medicine.user_id == uid,
            Medicine.start_date <= last,
            or_(Medicine.end_date.is_(None), Medicine.end_date >= first),
        )
        .order_by(Medicine.start_date, Medicine.id)
    ))


def progesterone_rows(uid: int, first: date, last: date) -> dict[date, list]:
    """The progesterone tests from ``first`` to ``last`` by date (columns only)."""
    found: dict[date, list] = {}
    for row in db.session.execute(
        select(
            ProgesteroneTest.id, ProgesteroneTest.date, ProgesteroneTest.kind, ProgesteroneTest.result,
            ProgesteroneTest.value, ProgesteroneTest.unit,
        )
        .where(ProgesteroneTest.user_id == uid, ProgesteroneTest.date >= first, ProgesteroneTest.date <= last)
        .order_by(ProgesteroneTest.date, ProgesteroneTest.time, ProgesteroneTest.id)
    ):
        found.setdefault(row.date, []).append(row)
    return found


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/calendar")
def calendar():
    uid = current_user.id
    now = person_today()
    first = month_from_arg(request.args.get("month"), now)
    week_start = current_user.week_starts_on or 0
    # Worked out from the journal alone: kept with the person's journal revision.
    context = remembered(
        uid, ("calendar", first, now, week_start), lambda: calendar_context(uid, first, now, week_start)
    )
    return render_journal_page("journal/calendar.html", **context)


def calendar_context(uid: int, first: date, now: date, week_start: int) -> dict[str, Any]:
    """The month's grid of days (each with its entries, cycle day and estimates) and the rest
    of what the calendar page shows."""
    last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
    grid_start = first - timedelta(days=(first.weekday() - week_start) % 7)
    grid_end = last + timedelta(days=(week_start - 1 - last.weekday()) % 7)

    # Read-only rows of the columns the calendar shows (it shows no free text).
    found = queries.calendar_rows(uid, grid_start, grid_end)
    days = {d.date: d for d in found["days"]}
    inseminations: dict[date, list] = {}
    for insemination in found["inseminations"]:
        inseminations.setdefault(insemination.date, []).append(insemination)
    tests: dict[date, list] = {}
    for test in found["tests"]:
        tests.setdefault(test.date, []).append(test)
    intercourse: dict[date, list] = {}
    for entry in found["intercourse"]:
        intercourse.setdefault(entry.date, []).append(entry)
    # Trigger shots up to a test window before the grid can still show on its tests.
    medicines = medicine_rows(uid, grid_start - timedelta(days=TRIGGER_WINDOW_LONGEST), grid_end)
    shots = [m for m in medicines if m.medicine == TRIGGER]
    progesterone = progesterone_rows(uid, grid_start, grid_end)
    cycles = queries.cycle_spans(uid)
    pregnancy = pregnancy_for(uid, cycles, now)
    forecast = calendar_forecast(uid, cycles, now, pregnancy)
    countdown = two_week_wait_for(uid, now, cycles) if pregnancy is None and first == now.replace(day=1) else None
    horizon = max([now] + [estimate.end for estimate in forecast.estimates]) if forecast else now

    weeks: list[list[dict[str, Any]]] = []
    week: list[dict[str, Any]] = []
    find = queries.span_finder(cycles)
    symbols: dict[str, str] = {}  # the medicine symbols this page shows, for its key
    current = grid_start
    while current <= grid_end:
        cycle = find(current)
        courses = courses_on(medicines, current, now)
        for course in courses:
            kind = course.course.medicine
            words = "another medicine" if kind == "other" else MEDICINES.get(kind, kind).split(" (")[0].lower()
            symbols.setdefault(MEDICINE_SYMBOLS.get(kind, "Med"), words)
        week.append(
            {
                "date": current,
                "in_month": current.month == first.month,
                "is_today": current == now,
                "future": current > now,
                "day": days.get(current),
                "cycle_day": cycle.day_number(current) if cycle else None,
                "cycle_start": cycle is not None and cycle.start == current,
                "inseminations": inseminations.get(current, []),
                "tests": [(test, may_be_trigger(test.date, shots) is not None) for test in tests.get(current, [])],
                "courses": courses,
                "triggers": [shot for shot in shots if shot.start_date == current],
                "progesterone": progesterone.get(current, []),
                "intercourse": intercourse.get(current, []),
                "estimates": forecast.on(current) if forecast and current >= now else [],
            }
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
        current += timedelta(days=1)
    weekdays = [calendar_module.day_name[(week_start + i) % 7] for i in range(7)]
    return dict(
        first=first,
        weeks=weeks,
        weekdays=weekdays,
        previous_month=add_months(first, -1),
        next_month=add_months(first, 1),
        show_next=add_months(first, 1) <= horizon.replace(day=1),
        forecast=forecast,
        countdown=countdown,
        medicine_symbols=sorted(symbols.items()),
        any_trigger_warning=any(flag for week in weeks for cell in week for _, flag in cell["tests"]),
        pregnancy=pregnancy,
        this_month=now.replace(day=1),
        today_logged=(days.get(now) if grid_start <= now <= grid_end else queries.day_row_on(uid, now)) is not None,
    )
