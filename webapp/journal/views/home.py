"""The journal home: the morning log, today at a glance, the latest entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user

from ..local_time import person_today
from .. import queries
from ..blueprints import bp
from ...fertility.cycles import CycleSpan, cycle_containing
from ..history import remembered
from ..models import Day
from ..morning import MorningForm, morning_form_data, save_morning
from ..presenters import home_context, morning_meaning, temperature_unit
from ..page import render_journal_page

RECENT = 6


def morning_form(today_entry: Day | Any | None) -> MorningForm:
    unit = temperature_unit()
    return MorningForm(formdata=None, data=morning_form_data(today_entry, unit), unit=unit)


@bp.get("/")
def home(form: MorningForm | None = None):
    uid = current_user.id
    now = person_today()
    if not remembered(uid, ("has entries",), lambda: queries.has_entries(uid)):
        return render_journal_page("journal/welcome.html", now=now, morning=form or morning_form(None), morning_saved=None)
    cycles, start_ids = queries.cycle_spans_and_start_ids(uid)
    current = cycle_containing(cycles, now)
    # Read from the journal alone, so kept with the person's journal revision (in process, for
    # this person only): today's row (without its free text), the latest insemination, vials
    # left per donor and the latest entries.
    glance = remembered(uid, ("home at a glance", now), lambda: at_a_glance(uid, now, current))
    # The likely ovulation (Sensiplan rules), the predictions, the two-week-wait countdown,
    # and pregnancy mode: see presenters.home_context.
    reading = home_context(uid, cycles, current, now)
    current_start_day = None
    if current is not None and current.start in start_ids:  # a cycle starts on a logged day
        current_start_day = queries.DayDate(start_ids[current.start], current.start)
    return render_journal_page(
        "journal/home.html",
        morning=form or morning_form(glance["today_entry"]),
        morning_saved=morning_meaning(reading, glance["today_entry"], now),
        now=now,
        current=current,
        current_start_day=current_start_day,
        ovulation=reading["ovulation"],
        countdown=reading["countdown"],
        pregnancy=reading["pregnancy"],
        specialist=reading["specialist"],
        forecast=reading["forecast"],
        **glance,
    )


def at_a_glance(uid: int, now: date, current: CycleSpan | None) -> dict[str, Any]:
    today_entry = queries.day_row_on(uid, now)
    last_insemination = queries.latest_insemination_row(uid, now)
    if last_insemination and current is not None and last_insemination.date < current.start:
        last_insemination = None  # only this cycle's
    vials = queries.vial_counts(uid)  # in the order the donors were added
    names = queries.donor_names(uid)
    return {
        "today_entry": today_entry,
        "last_insemination": last_insemination,
        "donors": [names[donor_id] for donor_id, count in vials.items() if count.counted],
        "vials": vials,
        "recent": recent_entries(uid),
    }


def recent_entries(uid: int) -> list[dict]:
    """The latest few entries of every kind, newest first."""
    days, inseminations, tests = queries.recent_rows(uid, RECENT)
    entries: list[dict[str, Any]] = [{"kind": "day", "date": d.date, "entry": d} for d in days]
    entries += [{"kind": "insemination", "date": i.date, "entry": i} for i in inseminations]
    entries += [{"kind": "test", "date": t.date, "entry": t} for t in tests]
    order = {"test": 0, "insemination": 1, "day": 2}
    entries.sort(key=lambda e: (e["date"], -order[e["kind"]]), reverse=True)
    return entries[:RECENT]


@bp.post("/today/morning")
def save_morning_log():
    """The short form on the home page: today's row, added or changed (never a second one)."""
    form = MorningForm(unit=temperature_unit())
    if not form.validate_on_submit():
        return home(form), 400
    save_morning(current_user.id, person_today(), form)
    flash("Saved for today.", "success")
    return redirect(url_for(".home"))


@bp.get("/today")
def log_today():
    """The one button on the home page: today's entry, new or existing."""
    existing = queries.day_by_date(current_user.id, person_today())
    if existing:
        return redirect(url_for(".edit_day", day_id=existing.id))
    return redirect(url_for(".new_day"))
