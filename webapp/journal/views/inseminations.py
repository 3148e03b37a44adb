"""Inseminations: the list, one insemination with its notes and timing, add, edit, delete."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice  # type: ignore[attr-defined]  # missing from types-WTForms 3.2.1
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...templating import long_date
from .. import beside, queries, spec
from ..blueprints import bp
from ...fertility.formatting import plural, time_after
from ..forms import (
    ConfirmDeleteForm,
    InseminationForm,
    blank_to_none,
    decimal_to_cents,
)
from ..models import Donor, Insemination, InseminationNote
from ..presenters import insemination_timing
from ..page import render_journal_page
from ._helpers import add_error, requested_date, validated

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


def vials_fit(form: InseminationForm, donor: Donor | None, except_insemination: int | None = None) -> bool:
    """Whether the donor's ledger has the vials this insemination uses. Locks the donor's row
    first (see :func:`queries.lock_donor_and_count`), so two saves at once cannot both take
    the last vial; the caller commits right after."""
    wanted = form.vials_used.data or 0
    if donor is None or wanted == 0:
        return True
    count = queries.lock_donor_and_count(current_user.id, donor.id, except_insemination)
    if count is None or not count.counted or wanted <= count.left:
        return True
    # Nothing is saved; the lock ends with the request's session (rolled back at teardown).
    add_error(form.vials_used, spec.no_vial_left_message(left=count.left, wanted=wanted, donor_code=donor.code))
    return False


def apply_insemination_form(form: InseminationForm, insemination: Insemination) -> None:
    insemination.date = validated(form.date.data)
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
    return render_journal_page("journal/inseminations.html", inseminations=rows, note_counts=counts)


@bp.route("/inseminations/new", methods=["GET", "POST"])
def new_insemination():
    requested = requested_date()
    form = InseminationForm(data={"date": requested})
    own = donor_choices(form)
    if request.method == "GET" and len(own) == 1:
        form.donor_id.data = next(iter(own))
    if form.validate_on_submit():
        donor = own.get(form.donor_id.data)
        if vials_fit(form, donor):
            insemination = Insemination(user_id=current_user.id)
            apply_insemination_form(form, insemination)
            db.session.add(insemination)
            db.session.commit()
            flash("Your insemination is saved.", "success")
            return redirect(url_for(".insemination", insemination_id=insemination.id))
    return render_journal_page("journal/insemination_form.html", form=form, insemination=None, donors=own)


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
    return render_journal_page(
        "journal/insemination.html",
        insemination=entry,
        timing=timing,
        donor_vials=queries.vial_counts(current_user.id).get(entry.donor_id or 0),
        timeline=timeline,
        articles=beside.insemination_articles(entry),
    )


@bp.route("/inseminations/<int:insemination_id>/edit", methods=["GET", "POST"])
def edit_insemination(insemination_id: int):
    entry = load_insemination(insemination_id)
    form = InseminationForm(data=insemination_form_data(entry))
    own = donor_choices(form)
    if form.validate_on_submit():
        if vials_fit(form, own.get(form.donor_id.data), except_insemination=entry.id):
            apply_insemination_form(form, entry)
            db.session.commit()
            flash("Your changes are saved.", "success")
            return redirect(url_for(".insemination", insemination_id=entry.id))
    return render_journal_page("journal/insemination_form.html", form=form, insemination=entry, donors=own)


@bp.route("/inseminations/<int:insemination_id>/delete", methods=["GET", "POST"])
def delete_insemination(insemination_id: int):
    entry = load_insemination(insemination_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The insemination is deleted.", "success")
        return redirect(url_for(".inseminations"))
    consequences = []
    if entry.notes:
        consequences.append(f"Its {plural(len(entry.notes), 'note')} will be deleted too.")
    if entry.donor is not None and entry.vials_used:
        consequences.append(
            f"The {plural(entry.vials_used, 'vial')} it used go back to donor {entry.donor.code}'s count."
        )
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your insemination of {long_date(entry.date)}?",
        consequences=consequences,
        cancel_url=url_for(".insemination", insemination_id=entry.id),
    )
