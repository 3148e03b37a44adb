"""Journal pages: today at a glance, the month calendar, import. The other pages live in
``routes_days``, ``routes_cycles``, ``routes_inseminations`` and ``routes_tests``.

Privacy rules that hold in every journal view: every query is scoped to the signed-in owner
(:mod:`webapp.journal.queries`); forms POST and redirects carry ids only, so no journal text
reaches a URL; nothing here logs form data; flash messages (kept in the signed, not encrypted,
session cookie) never repeat what a person wrote.
"""

from __future__ import annotations

import calendar as calendar_module
import re
from datetime import date, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import today
from ..extensions import db
from . import bp, queries
from ..fertility import vocabulary
from ..fertility.cycles import cycle_containing
from ..fertility.formatting import (
    days_phrase,
    money_text,
    plural,
    temperature_text,
    temperature_value,
)
from .forms import ImportForm, latest_allowed_date
from .models import Day, Insemination, PregnancyTest
from .portability import ImportRefused, import_journal, read_export
from ..fertility.predictions import days_past
from .reading_views import calendar_forecast, home_context

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
RECENT = 6


@bp.before_request
@login_required
def require_login():
    """Every journal page is for its signed-in owner only."""


SECTIONS = {
    "journal.calendar": (
        "day", "new_day", "edit_day", "delete_day", "calendar", "log_today",
        "calendar_feed_settings", "make_calendar_feed", "revoke_calendar_feed",
    ),
    "journal.cycles": ("cycles", "cycle", "current_cycle", "cycle_outcome", "delete_outcome", "cycle_chart"),
    "journal.stats": ("stats",),
    "journal.inseminations": (
        "inseminations", "insemination", "new_insemination", "edit_insemination",
        "delete_insemination", "new_note", "edit_note", "delete_note",
    ),
    "journal.tests": ("tests", "test", "new_test", "edit_test", "delete_test"),
    "journal.donors": ("donors", "new_donor", "edit_donor", "delete_donor"),
}
SECTION_OF = {f"journal.{name}": section for section, names in SECTIONS.items() for name in names}


@bp.context_processor
def journal_helpers() -> dict:
    unit = getattr(current_user, "temperature_unit", "C") or "C"
    return {
        "journal_section": SECTION_OF.get(request.endpoint or "", "journal.home"),
        "has_endpoint": lambda name: name in current_app.view_functions,
        "v": vocabulary,
        "label": vocabulary.label,
        "unit": unit,
        "temp": lambda centi: temperature_text(centi, unit),
        "temp_value": lambda centi: temperature_value(centi, unit),
        "mucus_symbol": lambda code: "" if code is None else vocabulary.MUCUS_SYMBOLS[code],
        "money": money_text,
        "plural": plural,
        "days_phrase": days_phrase,
        "today": today(),
        "latest_date": latest_allowed_date(),
    }


def parse_date_arg(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def requested_date() -> date:
    """The date a new entry starts on: ``?day=<id>`` of one of the person's own days (an id,
    so no date of an insemination or a test shows in an address), ``?date=`` for a day not
    logged yet, else today."""
    day_id = request.args.get("day", type=int)
    if day_id is not None:
        return queries.owned(Day, day_id).date
    return parse_date_arg(request.args.get("date")) or today()


# --------------------------------------------------------------------------- today


@bp.get("/")
def home():
    uid = current_user.id
    now = today()
    if not queries.has_entries(uid):
        return render_template("journal/welcome.html")
    cycles = queries.cycle_spans(uid)
    current = cycle_containing(cycles, now)
    today_entry = queries.day_by_date(uid, now)
    last_insemination = queries.latest_insemination(uid, now)
    days_past_insemination = None
    if last_insemination and (current is None or last_insemination.date >= current.start):
        days_past_insemination = days_past(last_insemination.date, now)
    # The likely ovulation (Sensiplan rules) and the predictions: see reading_views.
    reading = home_context(uid, cycles, current, now)
    ovulation = reading["ovulation"]
    current_start_day = queries.day_by_date(uid, current.start) if current is not None else None
    days_past_ovulation = days_past(ovulation, now) if ovulation else None
    donors = [d for d in queries.donors(uid) if d.vials_in_storage is not None]
    return render_template(
        "journal/home.html",
        now=now,
        current=current,
        current_start_day=current_start_day,
        today_entry=today_entry,
        last_insemination=last_insemination,
        days_past_insemination=days_past_insemination,
        ovulation=ovulation,
        days_past_ovulation=days_past_ovulation,
        forecast=reading["forecast"],
        donors=donors,
        recent=recent_entries(uid),
    )


def recent_entries(uid: int) -> list[dict]:
    """The latest few entries of every kind, newest first."""
    days = db.session.scalars(
        select(Day).where(Day.user_id == uid).order_by(Day.date.desc()).limit(RECENT)
    )
    inseminations = db.session.scalars(
        select(Insemination)
        .where(Insemination.user_id == uid)
        .order_by(Insemination.date.desc(), Insemination.id.desc())
        .limit(RECENT)
    )
    tests = db.session.scalars(
        select(PregnancyTest)
        .where(PregnancyTest.user_id == uid)
        .order_by(PregnancyTest.date.desc(), PregnancyTest.id.desc())
        .limit(RECENT)
    )
    entries = [{"kind": "day", "date": d.date, "entry": d} for d in days]
    entries += [{"kind": "insemination", "date": i.date, "entry": i} for i in inseminations]
    entries += [{"kind": "test", "date": t.date, "entry": t} for t in tests]
    order = {"test": 0, "insemination": 1, "day": 2}
    entries.sort(key=lambda e: (e["date"], -order[e["kind"]]), reverse=True)
    return entries[:RECENT]


@bp.get("/today")
def log_today():
    """The one button on the home page: today's entry, new or existing."""
    existing = queries.day_by_date(current_user.id, today())
    if existing:
        return redirect(url_for(".edit_day", day_id=existing.id))
    return redirect(url_for(".new_day"))


# --------------------------------------------------------------------------- calendar


def month_from_arg(value: str | None, fallback: date) -> date:
    match = MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return date(year, month, 1)
    return fallback.replace(day=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@bp.get("/calendar")
def calendar():
    uid = current_user.id
    now = today()
    first = month_from_arg(request.args.get("month"), now)
    week_start = current_user.week_starts_on or 0
    last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
    grid_start = first - timedelta(days=(first.weekday() - week_start) % 7)
    grid_end = last + timedelta(days=(week_start - 1 - last.weekday()) % 7)

    days = {d.date: d for d in queries.days_in(uid, grid_start, grid_end)}
    inseminations: dict[date, list[Insemination]] = {}
    for insemination in db.session.scalars(
        select(Insemination)
        .where(Insemination.user_id == uid, Insemination.date >= grid_start, Insemination.date <= grid_end)
        .order_by(Insemination.date, Insemination.id)
    ):
        inseminations.setdefault(insemination.date, []).append(insemination)
    tests: dict[date, list[PregnancyTest]] = {}
    for test in db.session.scalars(
        select(PregnancyTest)
        .where(PregnancyTest.user_id == uid, PregnancyTest.date >= grid_start, PregnancyTest.date <= grid_end)
        .order_by(PregnancyTest.date, PregnancyTest.id)
    ):
        tests.setdefault(test.date, []).append(test)
    cycles = queries.cycle_spans(uid)
    forecast = calendar_forecast(uid, cycles, now)
    horizon = max([now] + [estimate.end for estimate in forecast.estimates]) if forecast else now

    weeks, week = [], []
    current = grid_start
    while current <= grid_end:
        cycle = cycle_containing(cycles, current)
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
                "tests": tests.get(current, []),
                "estimates": forecast.on(current) if forecast and current >= now else [],
            }
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
        current += timedelta(days=1)
    weekdays = [calendar_module.day_name[(week_start + i) % 7] for i in range(7)]
    return render_template(
        "journal/calendar.html",
        first=first,
        weeks=weeks,
        weekdays=weekdays,
        previous_month=add_months(first, -1),
        next_month=add_months(first, 1),
        show_next=add_months(first, 1) <= horizon.replace(day=1),
        forecast=forecast,
        this_month=now.replace(day=1),
    )


# --------------------------------------------------------------------------- import


@bp.route("/import", methods=["GET", "POST"])
def import_data():
    uid = current_user.id
    form = ImportForm()
    not_empty = queries.has_entries(uid)
    if form.validate_on_submit():
        if not_empty:
            form.file.errors.append(
                "Your journal already has entries, and an import would mix two journals. "
                "Import into a new, empty account instead, or delete your entries first."
            )
        else:
            try:
                data = read_export(form.file.data.read())
                counts = import_journal(current_user, data)
            except ImportRefused as error:
                db.session.rollback()
                form.file.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"Your journal is imported: {counts}.", "success")
                return redirect(url_for(".home"))
    return render_template("journal/import.html", form=form, not_empty=not_empty)


from . import routes_cycles, routes_days, routes_inseminations, routes_tests  # noqa: E402,F401
