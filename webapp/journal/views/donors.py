"""Donors, kept once, and each donor's vial ledger (purchases, shipments, storage,
corrections) that the counts of vials left, used and paid for come from."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, url_for
from flask_login import current_user

from ...clock import today
from ...extensions import db
from ...fertility.vials import opening_entries, per_cycle
from ...templating import long_date
from .. import queries, spec
from ..blueprints import bp
from ..forms import (
    ConfirmDeleteForm,
    DonorForm,
    NewDonorForm,
    VialEntryForm,
    blank_to_none,
    decimal_to_cents,
)
from ..models import Donor, VialEntry
from ..page import render_journal_page
from ._helpers import add_error, requested_date, validated

OPENING_NOTE = "The count when you added this donor"


def donor_form_data(donor: Donor) -> dict:
    return {
        "kind": donor.kind,
        "code": donor.code,
        "bank": donor.bank or "",
        "note": donor.note or "",
    }


def apply_donor_form(form: DonorForm, donor: Donor) -> None:
    donor.kind = form.kind.data
    donor.code = validated(form.code.data).strip()
    donor.bank = blank_to_none(form.bank.data)
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
    counts = queries.vial_counts(uid)
    return render_journal_page(
        "journal/donors.html",
        donors=queries.donors(uid),
        usage=queries.donor_usage(uid),
        vials=counts,
        spent_cents=sum(count.spent_cents for count in counts.values()),
    )


@bp.route("/donors/new", methods=["GET", "POST"])
def new_donor():
    form = NewDonorForm()
    if form.validate_on_submit() and not donor_exists(form):
        donor = Donor(user_id=current_user.id)
        apply_donor_form(form, donor)
        db.session.add(donor)
        for kind, vials in opening_entries(form.vials_bought.data, form.vials_in_storage.data):
            db.session.add(VialEntry(
                user_id=current_user.id, donor=donor, date=today(), kind=kind, vials=vials, note=OPENING_NOTE
            ))
        db.session.commit()
        flash("The donor is saved.", "success")
        return redirect(url_for(".donors"))
    return render_journal_page("journal/donor_form.html", form=form, donor=None)


@bp.route("/donors/<int:donor_id>/edit", methods=["GET", "POST"])
def edit_donor(donor_id: int):
    donor = queries.owned(Donor, donor_id)
    form = DonorForm(data=donor_form_data(donor))
    if form.validate_on_submit() and not donor_exists(form, except_id=donor.id):
        apply_donor_form(form, donor)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".donors"))
    return render_journal_page("journal/donor_form.html", form=form, donor=donor)


@bp.route("/donors/<int:donor_id>/delete", methods=["GET", "POST"])
def delete_donor(donor_id: int):
    donor = queries.owned(Donor, donor_id)
    used = queries.donor_usage(current_user.id).get(donor.id, 0)
    form = ConfirmDeleteForm()
    if used:
        return render_journal_page("journal/donor_in_use.html", donor=donor, used=used)
    if form.validate_on_submit():
        db.session.delete(donor)
        db.session.commit()
        flash("The donor is deleted.", "success")
        return redirect(url_for(".donors"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete donor {donor.code}?",
        consequences=["No insemination uses this donor. Their vial ledger is deleted too."],
        cancel_url=url_for(".donors"),
    )


# --------------------------------------------------------------------------- the vial ledger


def apply_vial_entry_form(form: VialEntryForm, entry: VialEntry) -> None:
    entry.date = validated(form.date.data)
    entry.kind = form.kind.data
    entry.vials = form.vials.data
    entry.cost_cents = decimal_to_cents(form.cost.data)
    entry.bank = blank_to_none(form.bank.data)
    entry.stored_at = blank_to_none(form.stored_at.data)
    entry.note = blank_to_none(form.note.data)


def vial_entry_form_data(entry: VialEntry) -> dict:
    return {
        "date": entry.date,
        "kind": entry.kind,
        "vials": entry.vials,
        "cost": None if entry.cost_cents is None else Decimal(entry.cost_cents) / 100,
        "bank": entry.bank or "",
        "stored_at": entry.stored_at or "",
        "note": entry.note or "",
    }


@bp.get("/donors/<int:donor_id>/vials")
def donor_vials(donor_id: int):
    uid = current_user.id
    donor = queries.owned(Donor, donor_id)
    entries = queries.vial_ledger(uid, donor.id)
    inseminations = queries.donor_inseminations(uid, donor.id)
    return render_journal_page(
        "journal/donor_vials.html",
        donor=donor,
        entries=entries,
        count=queries.vial_counts(uid)[donor.id],
        cycles=per_cycle(queries.cycle_spans(uid), entries, inseminations),
    )


@bp.route("/donors/<int:donor_id>/vials/new", methods=["GET", "POST"])
def new_vial_entry(donor_id: int):
    donor = queries.owned(Donor, donor_id)
    form = VialEntryForm(data={"date": requested_date(), "bank": donor.bank or ""})
    if form.validate_on_submit():
        entry = VialEntry(user_id=current_user.id, donor_id=donor.id)
        apply_vial_entry_form(form, entry)
        db.session.add(entry)
        db.session.commit()
        flash("The entry is saved.", "success")
        return redirect(url_for(".donor_vials", donor_id=donor.id))
    return render_journal_page("journal/vial_entry_form.html", form=form, donor=donor, entry=None)


@bp.route("/vials/<int:vial_entry_id>/edit", methods=["GET", "POST"])
def edit_vial_entry(vial_entry_id: int):
    entry = queries.owned(VialEntry, vial_entry_id)
    donor = queries.owned(Donor, entry.donor_id)
    form = VialEntryForm(data=vial_entry_form_data(entry))
    if form.validate_on_submit():
        apply_vial_entry_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".donor_vials", donor_id=donor.id))
    return render_journal_page("journal/vial_entry_form.html", form=form, donor=donor, entry=entry)


@bp.route("/vials/<int:vial_entry_id>/delete", methods=["GET", "POST"])
def delete_vial_entry(vial_entry_id: int):
    entry = queries.owned(VialEntry, vial_entry_id)
    form = ConfirmDeleteForm()
    back = url_for(".donor_vials", donor_id=entry.donor_id)
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The entry is deleted.", "success")
        return redirect(back)
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete this ledger entry of {long_date(entry.date)}?",
        consequences=["The donor's count of vials and money spent changes with it."],
        cancel_url=back,
    )
