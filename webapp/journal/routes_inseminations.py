"""Inseminations, the notes made after them, and the donors whose vials they use."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice
from sqlalchemy.orm import selectinload

from ..clock import utcnow
from ..extensions import db
from ..templating import long_date
from . import beside, bp, queries
from ..fertility.formatting import plural, time_after
from .forms import (
    ConfirmDeleteForm,
    DonorForm,
    InseminationForm,
    InseminationNoteForm,
    blank_to_none,
    decimal_to_cents,
)
from .models import Donor, Insemination, InseminationNote
from .reading_views import insemination_timing
from .routes import requested_date

# --------------------------------------------------------------------------- inseminations


def donor_choices(form: InseminationForm) -> dict[int, Donor]:
    own = queries.donors(current_user.id)
    form.donor_id.choices = [SelectChoice(0, "No donor recorded")] + [SelectChoice(d.id, d.name) for d in own]
    return {d.id: d for d in own}


def insemination_form_data(insemination: Insemination) -> dict:
    return {
        "date": insemination.date,
        "time": insemination.time,
        "method": insemination.method,
        "sperm": insemination.sperm or "",
        "donor_id": insemination.donor_id or 0,
        "vials_used": insemination.vials_used,
        "vial_numbers": insemination.vial_numbers or "",
        "motile_count_millions": (
            None if insemination.motile_count_millions is None
            else Decimal(str(insemination.motile_count_millions))
        ),
        "performed_by": insemination.performed_by or "",
        "location": insemination.location or "",
        "cost": None if insemination.cost_cents is None else Decimal(insemination.cost_cents) / 100,
        "note": insemination.note or "",
    }


def vials_fit(form: InseminationForm, donor: Donor | None, returning: int) -> bool:
    """Whether the donor's storage (plus the vials this entry already took) covers the use."""
    wanted = form.vials_used.data or 0
    if donor is None or donor.vials_in_storage is None or wanted == 0:
        return True
    available = donor.vials_in_storage + returning
    if wanted <= available:
        return True
    form.vials_used.errors.append(
        f"Your records show {plural(available, 'vial')} left from donor {donor.code}. "
        "If you have more, update the donor's vials in storage first."
    )
    return False


def move_vials(donor: Donor | None, count: int) -> None:
    """Take ``count`` vials out of storage (a negative count puts them back)."""
    if donor is not None and donor.vials_in_storage is not None and count:
        donor.vials_in_storage = max(0, donor.vials_in_storage - count)


def apply_insemination_form(form: InseminationForm, insemination: Insemination) -> None:
    insemination.date = form.date.data
    insemination.time = form.time.data
    insemination.method = form.method.data
    insemination.sperm = form.sperm.data or None
    insemination.donor_id = form.donor_id.data or None
    insemination.vials_used = form.vials_used.data or 0
    insemination.vial_numbers = blank_to_none(form.vial_numbers.data)
    motile = form.motile_count_millions.data
    insemination.motile_count_millions = None if motile is None else float(motile)
    insemination.performed_by = blank_to_none(form.performed_by.data)
    insemination.location = blank_to_none(form.location.data)
    insemination.cost_cents = decimal_to_cents(form.cost.data)
    insemination.note = blank_to_none(form.note.data)


@bp.get("/inseminations/")
def inseminations():
    uid = current_user.id
    rows = list(
        db.session.scalars(
            select(Insemination)
            .where(Insemination.user_id == uid)
            .options(selectinload(Insemination.donor))
            .order_by(Insemination.date.desc(), Insemination.id.desc())
        )
    )
    counts = dict(
        db.session.execute(
            select(InseminationNote.insemination_id, func.count())
            .where(InseminationNote.user_id == uid)
            .group_by(InseminationNote.insemination_id)
        ).all()
    )
    return render_template("journal/inseminations.html", inseminations=rows, note_counts=counts)


@bp.route("/inseminations/new", methods=["GET", "POST"])
def new_insemination():
    requested = requested_date()
    form = InseminationForm(data={"date": requested})
    own = donor_choices(form)
    if request.method == "GET" and len(own) == 1:
        form.donor_id.data = next(iter(own))
    if form.validate_on_submit():
        donor = own.get(form.donor_id.data)
        if vials_fit(form, donor, returning=0):
            insemination = Insemination(user_id=current_user.id)
            apply_insemination_form(form, insemination)
            move_vials(donor, insemination.vials_used)
            db.session.add(insemination)
            db.session.commit()
            flash("Your insemination is saved.", "success")
            return redirect(url_for(".insemination", insemination_id=insemination.id))
    return render_template("journal/insemination_form.html", form=form, insemination=None, donors=own)


def load_insemination(insemination_id: int) -> Insemination:
    return queries.owned(
        Insemination,
        insemination_id,
        selectinload(Insemination.notes),
        selectinload(Insemination.donor),
    )


@bp.get("/inseminations/<int:insemination_id>")
def insemination(insemination_id: int):
    entry = load_insemination(insemination_id)
    timeline = [
        {
            "note": note,
            "phrase": time_after(entry.starts_at, note.noted_at, entry.time is not None),
            "articles": beside.note_articles(note, entry),
        }
        for note in entry.notes
    ]
    timing, _ = insemination_timing(current_user.id, entry.date)
    return render_template(
        "journal/insemination.html",
        insemination=entry,
        timing=timing,
        timeline=timeline,
        articles=beside.insemination_articles(entry),
    )


@bp.route("/inseminations/<int:insemination_id>/edit", methods=["GET", "POST"])
def edit_insemination(insemination_id: int):
    entry = load_insemination(insemination_id)
    form = InseminationForm(data=insemination_form_data(entry))
    own = donor_choices(form)
    if form.validate_on_submit():
        old_donor, old_vials = own.get(entry.donor_id or 0), entry.vials_used
        new_donor = own.get(form.donor_id.data)
        returning = old_vials if new_donor is not None and new_donor is old_donor else 0
        if vials_fit(form, new_donor, returning):
            move_vials(old_donor, -old_vials)
            apply_insemination_form(form, entry)
            move_vials(new_donor, entry.vials_used)
            db.session.commit()
            flash("Your changes are saved.", "success")
            return redirect(url_for(".insemination", insemination_id=entry.id))
    return render_template("journal/insemination_form.html", form=form, insemination=entry, donors=own)


@bp.route("/inseminations/<int:insemination_id>/delete", methods=["GET", "POST"])
def delete_insemination(insemination_id: int):
    entry = load_insemination(insemination_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        move_vials(entry.donor, -entry.vials_used)
        db.session.delete(entry)
        db.session.commit()
        flash("The insemination is deleted.", "success")
        return redirect(url_for(".inseminations"))
    consequences = []
    if entry.notes:
        consequences.append(f"Its {plural(len(entry.notes), 'note')} will be deleted too.")
    if entry.donor is not None and entry.donor.vials_in_storage is not None and entry.vials_used:
        consequences.append(
            f"The {plural(entry.vials_used, 'vial')} it used go back to donor {entry.donor.code}'s count."
        )
    return render_template(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your insemination of {long_date(entry.date)}?",
        consequences=consequences,
        cancel_url=url_for(".insemination", insemination_id=entry.id),
    )


# --------------------------------------------------------------------------- notes


def note_form_data(note: InseminationNote) -> dict:
    return {
        "noted_at": note.noted_at,
        "leakage": note.leakage or "",
        "cramping": note.cramping or "",
        "spotting": note.spotting,
        "lying_down_minutes": note.lying_down_minutes,
        "orgasm": note.orgasm,
        "feelings": note.feelings or "",
        "note": note.note or "",
    }


def note_time_fits(form: InseminationNoteForm, insemination: Insemination) -> bool:
    noted_at = form.noted_at.data
    earliest = insemination.starts_at
    if noted_at < earliest:
        when = long_date(insemination.date)
        if insemination.time is not None:
            when += f" at {insemination.time:%H:%M}"
        form.noted_at.errors.append(
            f"This is before the insemination ({when}). A note after it needs a later time."
        )
        return False
    if (noted_at - earliest).days > 366:
        form.noted_at.errors.append("Please check the date: that is more than a year after the insemination.")
        return False
    return True


def apply_note_form(form: InseminationNoteForm, note: InseminationNote) -> None:
    note.noted_at = form.noted_at.data.replace(second=0, microsecond=0)
    note.leakage = form.leakage.data or None
    note.cramping = form.cramping.data or None
    note.spotting = bool(form.spotting.data)
    note.lying_down_minutes = form.lying_down_minutes.data
    note.orgasm = bool(form.orgasm.data)
    note.feelings = blank_to_none(form.feelings.data)
    note.note = blank_to_none(form.note.data)


def default_note_time(insemination: Insemination) -> datetime:
    """Now (server time) when the insemination was recent, else its own time."""
    now = utcnow().replace(second=0, microsecond=0)
    start = insemination.starts_at
    return now if start <= now and (now - start).days < 2 else start


@bp.route("/inseminations/<int:insemination_id>/notes/new", methods=["GET", "POST"])
def new_note(insemination_id: int):
    entry = queries.owned(Insemination, insemination_id)
    form = InseminationNoteForm(data={"noted_at": default_note_time(entry)})
    if form.validate_on_submit() and note_time_fits(form, entry):
        note = InseminationNote(user_id=current_user.id, insemination_id=entry.id)
        apply_note_form(form, note)
        db.session.add(note)
        db.session.commit()
        flash("Your note is saved.", "success")
        return redirect(url_for(".insemination", insemination_id=entry.id, _anchor=f"note-{note.id}"))
    return render_template("journal/note_form.html", form=form, insemination=entry, note=None)


def owned_note(note_id: int) -> tuple[InseminationNote, Insemination]:
    note = queries.owned(InseminationNote, note_id)
    return note, queries.owned(Insemination, note.insemination_id)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
def edit_note(note_id: int):
    note, entry = owned_note(note_id)
    form = InseminationNoteForm(data=note_form_data(note))
    if form.validate_on_submit() and note_time_fits(form, entry):
        apply_note_form(form, note)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".insemination", insemination_id=entry.id, _anchor=f"note-{note.id}"))
    return render_template("journal/note_form.html", form=form, insemination=entry, note=note)


@bp.route("/notes/<int:note_id>/delete", methods=["GET", "POST"])
def delete_note(note_id: int):
    note, entry = owned_note(note_id)
    form = ConfirmDeleteForm()
    back = url_for(".insemination", insemination_id=entry.id)
    if form.validate_on_submit():
        db.session.delete(note)
        db.session.commit()
        flash("The note is deleted.", "success")
        return redirect(back)
    return render_template(
        "journal/confirm_delete.html",
        form=form,
        title="Delete this note?",
        consequences=[f"It was written {time_after(entry.starts_at, note.noted_at, entry.time is not None).lower()} your insemination of {long_date(entry.date)}."],
        cancel_url=back,
    )


# --------------------------------------------------------------------------- donors


def donor_form_data(donor: Donor) -> dict:
    return {
        "kind": donor.kind,
        "code": donor.code,
        "bank": donor.bank or "",
        "vials_bought": donor.vials_bought,
        "vials_in_storage": donor.vials_in_storage,
        "note": donor.note or "",
    }


def apply_donor_form(form: DonorForm, donor: Donor) -> None:
    donor.kind = form.kind.data
    donor.code = form.code.data.strip()
    donor.bank = blank_to_none(form.bank.data)
    donor.vials_bought = form.vials_bought.data
    donor.vials_in_storage = form.vials_in_storage.data
    donor.note = blank_to_none(form.note.data)


def donor_exists(form: DonorForm, except_id: int | None = None) -> bool:
    code, bank = form.code.data.strip().lower(), (form.bank.data or "").strip().lower()
    for donor in queries.donors(current_user.id):
        if donor.id != except_id and donor.code.lower() == code and (donor.bank or "").lower() == bank:
            form.code.errors.append("You already have this donor. You can change the one you have.")
            return True
    return False


@bp.get("/donors/")
def donors():
    uid = current_user.id
    return render_template(
        "journal/donors.html", donors=queries.donors(uid), usage=queries.donor_usage(uid)
    )


@bp.route("/donors/new", methods=["GET", "POST"])
def new_donor():
    form = DonorForm()
    if form.validate_on_submit() and not donor_exists(form):
        donor = Donor(user_id=current_user.id)
        apply_donor_form(form, donor)
        db.session.add(donor)
        db.session.commit()
        flash("The donor is saved.", "success")
        return redirect(url_for(".donors"))
    return render_template("journal/donor_form.html", form=form, donor=None)


@bp.route("/donors/<int:donor_id>/edit", methods=["GET", "POST"])
def edit_donor(donor_id: int):
    donor = queries.owned(Donor, donor_id)
    form = DonorForm(data=donor_form_data(donor))
    if form.validate_on_submit() and not donor_exists(form, except_id=donor.id):
        apply_donor_form(form, donor)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".donors"))
    return render_template("journal/donor_form.html", form=form, donor=donor)


@bp.route("/donors/<int:donor_id>/delete", methods=["GET", "POST"])
def delete_donor(donor_id: int):
    donor = queries.owned(Donor, donor_id)
    used = queries.donor_usage(current_user.id).get(donor.id, 0)
    form = ConfirmDeleteForm()
    if used:
        return render_template("journal/donor_in_use.html", donor=donor, used=used)
    if form.validate_on_submit():
        db.session.delete(donor)
        db.session.commit()
        flash("The donor is deleted.", "success")
        return redirect(url_for(".donors"))
    return render_template(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete donor {donor.code}?",
        consequences=["No insemination uses this donor, so nothing else changes."],
        cancel_url=url_for(".donors"),
    )
