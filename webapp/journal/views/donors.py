"""Donors, kept once, with the vials in storage that inseminations use."""

from __future__ import annotations


from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...extensions import db
from .. import queries, spec
from ..blueprints import bp
from ..forms import (
    ConfirmDeleteForm,
    DonorForm,
    blank_to_none,
)
from ..models import Donor
from ._helpers import add_error, validated

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
    donor.code = validated(form.code.data).strip()
    donor.bank = blank_to_none(form.bank.data)
    donor.vials_bought = form.vials_bought.data
    donor.vials_in_storage = form.vials_in_storage.data
    donor.note = blank_to_none(form.note.data)


def donor_exists(form: DonorForm, except_id: int | None = None) -> bool:
    key = spec.donor_key(validated(form.code.data), form.bank.data)
    for donor in queries.donors(current_user.id):
        if donor.id != except_id and spec.donor_key(donor.code, donor.bank) == key:
            add_error(form.code, spec.DUPLICATE_DONOR)
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
