"""Days: one entry per date, added and changed in one form."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from flask import flash, redirect, request, url_for
from flask_login import current_user

from ...extensions import db
from ...templating import long_date
from .. import beside, queries
from ..blueprints import bp
from ...fertility.cycles import cycle_containing
from ...fertility.formatting import temperature_value
from ..forms import ConfirmDeleteForm, DayForm, blank_to_none
from ..models import Day
from ..presenters import two_week_wait_for
from ..page import render_journal_page
from ._helpers import add_error, requested_date, validated


def day_form_data(day: Day, unit: str) -> dict:
    return {
        "date": day.date,
        "bleeding": day.bleeding or "",
        "not_period": day.not_period,
        "starts_cycle": day.starts_cycle,
        "temperature": temperature_value(day.temperature_centi, unit),
        "temperature_unit": unit,
        "temperature_time": day.temperature_time,
        "temperature_disturbance": day.temperature_disturbance or "",
        "mucus_feeling": day.mucus_feeling or "",
        "mucus_appearance": day.mucus_appearance or "",
        "cervix_position": day.cervix_position or "",
        "cervix_firmness": day.cervix_firmness or "",
        "cervix_opening": day.cervix_opening or "",
        "ovulation_test": day.ovulation_test or "",
        "ovulation_test_brand": day.ovulation_test_brand or "",
        "symptoms": day.symptoms,
        "mood": day.mood or "",
        "note": day.note or "",
    }


def apply_day_form(form: DayForm, day: Day) -> None:
    day.date = validated(form.date.data)
    day.bleeding = form.bleeding.data or None
    day.not_period = bool(form.not_period.data and day.bleeding)
    day.starts_cycle = bool(form.starts_cycle.data)
    day.temperature_centi = form.temperature_centi
    has_temperature = day.temperature_centi is not None
    day.temperature_time = form.temperature_time.data if has_temperature else None
    day.temperature_disturbance = (form.temperature_disturbance.data or None) if has_temperature else None
    day.mucus_feeling = form.mucus_feeling.data or None
    day.mucus_appearance = form.mucus_appearance.data or None
    day.cervix_position = form.cervix_position.data or None
    day.cervix_firmness = form.cervix_firmness.data or None
    day.cervix_opening = form.cervix_opening.data or None
    day.ovulation_test = form.ovulation_test.data or None
    day.ovulation_test_brand = blank_to_none(form.ovulation_test_brand.data) if day.ovulation_test else None
    day.symptoms = form.symptoms.data or []
    day.mood = blank_to_none(form.mood.data)
    day.note = blank_to_none(form.note.data)


def date_taken(form: DayForm, except_id: int | None = None) -> bool:
    when = validated(form.date.data)
    clash = queries.day_by_date(current_user.id, when)
    if clash is not None and clash.id != except_id:
        add_error(form.date, already_logged(when))
        return True
    return False


def already_logged(when) -> str:
    return f"You already have an entry for {long_date(when)}. Open it from the calendar to change it."


def flash_cycle_hint(day: Day) -> None:
    """Spotting that starts a cycle is worth a gentle word: it may not have been a period."""
    if day.bleeding != "spotting" or day.not_period:
        return
    cycle = cycle_containing(queries.cycle_spans(current_user.id), day.date)
    if cycle is not None and cycle.start == day.date:
        flash(
            "This spotting starts a new cycle. If it was not the start of a period, edit the day "
            "and tick “Not a period”.",
            "info",
        )


@bp.route("/days/new", methods=["GET", "POST"])
def new_day():
    unit = current_user.temperature_unit or "C"
    requested = requested_date()
    if request.method == "GET":
        existing = queries.day_by_date(current_user.id, requested)
        if existing is not None:
            return redirect(url_for(".edit_day", day_id=existing.id))
    form = DayForm(data={"date": requested, "temperature_unit": unit})
    if form.validate_on_submit() and not date_taken(form):
        day = Day(user_id=current_user.id)
        apply_day_form(form, day)
        db.session.add(day)
        try:
            db.session.commit()
        except IntegrityError:
            # A second submit of the same day (a double tap) lost the race to the first: one
            # row per date, and the same message as when the day was there before.
            db.session.rollback()
            add_error(form.date, already_logged(validated(form.date.data)))
            return render_journal_page("journal/day_form.html", form=form, day=None)
        flash("Your day is saved.", "success")
        flash_cycle_hint(day)
        return redirect(url_for(".day", day_id=day.id))
    return render_journal_page("journal/day_form.html", form=form, day=None)


@bp.get("/days/<int:day_id>")
def day(day_id: int):
    entry = queries.owned(Day, day_id)
    cycles = queries.cycle_spans(current_user.id)
    cycle = cycle_containing(cycles, entry.date)
    start_day = queries.day_by_date(current_user.id, cycle.start) if cycle else None
    return render_journal_page(
        "journal/day.html",
        day=entry,
        cycle=cycle,
        cycle_day_id=start_day.id if start_day else None,
        countdown=two_week_wait_for(current_user.id, entry.date, cycles),
        articles=beside.day_articles(entry, current_user),
    )


@bp.route("/days/<int:day_id>/edit", methods=["GET", "POST"])
def edit_day(day_id: int):
    entry = queries.owned(Day, day_id)
    unit = current_user.temperature_unit or "C"
    form = DayForm(data=day_form_data(entry, unit))
    if form.validate_on_submit() and not date_taken(form, except_id=entry.id):
        apply_day_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        flash_cycle_hint(entry)
        return redirect(url_for(".day", day_id=entry.id))
    return render_journal_page("journal/day_form.html", form=form, day=entry)


@bp.route("/days/<int:day_id>/delete", methods=["GET", "POST"])
def delete_day(day_id: int):
    entry = queries.owned(Day, day_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The day is deleted.", "success")
        return redirect(url_for(".calendar"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your entry for {long_date(entry.date)}?",
        consequences=[
            "Everything you logged for this day goes: bleeding, temperature, signs and the note.",
            "If this day started a cycle, your cycles are worked out again without it.",
        ],
        cancel_url=url_for(".day", day_id=entry.id),
    )
