"""The journal home: the morning log, today at a glance, the latest entries."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..local_time import person_today
from ...extensions import db
from .. import queries
from ..blueprints import bp
from ...fertility.cycles import cycle_containing
from ..models import Day, Insemination, PregnancyTest
from ..morning import MorningForm, morning_form_data, save_morning
from ..presenters import home_context, morning_meaning, temperature_unit

RECENT = 6


def morning_form(today_entry: Day | None) -> MorningForm:
    unit = temperature_unit()
    return MorningForm(formdata=None, data=morning_form_data(today_entry, unit), unit=unit)


@bp.get("/")
def home(form: MorningForm | None = None):
    uid = current_user.id
    now = person_today()
    if not queries.has_entries(uid):
        return render_template("journal/welcome.html", now=now, morning=form or morning_form(None), morning_saved=None)
    cycles = queries.cycle_spans(uid)
    current = cycle_containing(cycles, now)
    today_entry = queries.day_by_date(uid, now)
    last_insemination = queries.latest_insemination(uid, now)
    if last_insemination and current is not None and last_insemination.date < current.start:
        last_insemination = None  # only this cycle's
    # The likely ovulation (Sensiplan rules), the predictions, the two-week-wait countdown,
    # and pregnancy mode: see presenters.home_context.
    reading = home_context(uid, cycles, current, now)
    current_start_day = queries.day_by_date(uid, current.start) if current is not None else None
    vials = queries.vial_counts(uid)
    donors = [d for d in queries.donors(uid) if vials[d.id].counted]
    return render_template(
        "journal/home.html",
        morning=form or morning_form(today_entry),
        morning_saved=morning_meaning(reading["reading"], today_entry, now),
        now=now,
        current=current,
        current_start_day=current_start_day,
        today_entry=today_entry,
        last_insemination=last_insemination,
        ovulation=reading["ovulation"],
        countdown=reading["countdown"],
        pregnancy=reading["pregnancy"],
        specialist=reading["specialist"],
        forecast=reading["forecast"],
        donors=donors,
        vials=vials,
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
