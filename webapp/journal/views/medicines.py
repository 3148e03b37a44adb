"""Medicines and supplements: courses with a first and a last day (a trigger shot is one day)."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, url_for
from flask_login import current_user

from ...extensions import db
from ...fertility.medication import TRIGGER, trigger_ovulation, trigger_test_window_days
from ...templating import long_date
from .. import queries
from ..blueprints import bp
from ..forms import ConfirmDeleteForm, MedicineForm, blank_to_none
from ..models import Medicine
from ..page import render_journal_page
from ._helpers import requested_date, validated


def apply_medicine_form(form: MedicineForm, entry: Medicine) -> None:
    entry.medicine = form.medicine.data
    entry.name = blank_to_none(form.name.data)
    entry.dose = None if form.dose.data is None else float(form.dose.data)
    entry.dose_unit = form.dose_unit.data or None
    entry.route = form.route.data or None
    entry.start_date = validated(form.start_date.data)
    entry.end_date = form.end_date.data
    if entry.medicine == TRIGGER:
        entry.end_date = entry.start_date
    entry.time = form.time.data
    entry.note = blank_to_none(form.note.data)


def medicine_form_data(entry: Medicine) -> dict:
    return {
        "medicine": entry.medicine,
        "name": entry.name or "",
        "dose": None if entry.dose is None else Decimal(str(entry.dose)),
        "dose_unit": entry.dose_unit or "",
        "route": entry.route or "",
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "time": entry.time,
        "note": entry.note or "",
    }


@bp.get("/medicines/")
def medicines():
    rows = list(db.session.scalars(
        queries.mine(Medicine).order_by(Medicine.start_date.desc(), Medicine.id.desc())
    ))
    return render_journal_page("journal/medicines.html", medicines=rows)


@bp.route("/medicines/new", methods=["GET", "POST"])
def new_medicine():
    form = MedicineForm(data={"start_date": requested_date()})
    if form.validate_on_submit():
        entry = Medicine(user_id=current_user.id)
        apply_medicine_form(form, entry)
        db.session.add(entry)
        db.session.commit()
        flash("Saved.", "success")
        return redirect(url_for(".medicine", medicine_id=entry.id))
    return render_journal_page("journal/medicine_form.html", form=form, entry=None)


@bp.get("/medicines/<int:medicine_id>")
def medicine(medicine_id: int):
    entry = queries.owned(Medicine, medicine_id)
    trigger = None
    if entry.medicine == TRIGGER:
        trigger = {
            "ovulation": trigger_ovulation(entry),
            "test_days": trigger_test_window_days(entry.dose, entry.dose_unit),
        }
    return render_journal_page("journal/medicine.html", entry=entry, trigger=trigger)


@bp.route("/medicines/<int:medicine_id>/edit", methods=["GET", "POST"])
def edit_medicine(medicine_id: int):
    entry = queries.owned(Medicine, medicine_id)
    form = MedicineForm(data=medicine_form_data(entry))
    if form.validate_on_submit():
        apply_medicine_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".medicine", medicine_id=entry.id))
    return render_journal_page("journal/medicine_form.html", form=form, entry=entry)


@bp.route("/medicines/<int:medicine_id>/delete", methods=["GET", "POST"])
def delete_medicine(medicine_id: int):
    entry = queries.owned(Medicine, medicine_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The medicine is deleted.", "success")
        return redirect(url_for(".medicines"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete this medicine, from {long_date(entry.start_date)}?",
        consequences=[],
        cancel_url=url_for(".medicine", medicine_id=entry.id),
    )
