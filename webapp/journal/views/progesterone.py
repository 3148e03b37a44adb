"""Progesterone tests: urine PdG strips and serum progesterone."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, url_for
from flask_login import current_user

from ...extensions import db
from ...fertility.medication import NMOL_PER_NG, progesterone_ng_ml, supports_ovulation
from ...templating import long_date
from .. import queries
from ..blueprints import bp
from ..forms import ConfirmDeleteForm, ProgesteroneTestForm, blank_to_none
from ..models import ProgesteroneTest
from ..page import render_journal_page
from ._helpers import requested_date, validated


def apply_progesterone_form(form: ProgesteroneTestForm, entry: ProgesteroneTest) -> None:
    entry.date = validated(form.date.data)
    entry.time = form.time.data
    entry.kind = form.kind.data
    strip = entry.kind == "pdg_strip"
    entry.result = (form.result.data or None) if strip else None
    entry.value = None if strip or form.value.data is None else float(form.value.data)
    entry.unit = None if strip else (form.unit.data or None)
    entry.brand = blank_to_none(form.brand.data)
    entry.note = blank_to_none(form.note.data)


@bp.get("/progesterone/")
def progesterone_tests():
    rows = list(db.session.scalars(
        queries.mine(ProgesteroneTest).order_by(ProgesteroneTest.date.desc(), ProgesteroneTest.id.desc())
    ))
    return render_journal_page("journal/progesterone_tests.html", tests=rows, supports=supports_ovulation)


@bp.route("/progesterone/new", methods=["GET", "POST"])
def new_progesterone_test():
    form = ProgesteroneTestForm(data={"date": requested_date()})
    if form.validate_on_submit():
        entry = ProgesteroneTest(user_id=current_user.id)
        apply_progesterone_form(form, entry)
        db.session.add(entry)
        db.session.commit()
        flash("Your test is saved.", "success")
        return redirect(url_for(".progesterone_test", progesterone_test_id=entry.id))
    return render_journal_page("journal/progesterone_form.html", form=form, entry=None)


@bp.get("/progesterone/<int:progesterone_test_id>")
def progesterone_test(progesterone_test_id: int):
    entry = queries.owned(ProgesteroneTest, progesterone_test_id)
    converted = None
    if entry.value is not None and entry.unit:
        ng = progesterone_ng_ml(entry.value, entry.unit)
        converted = {"ng_ml": ng, "nmol_l": ng * NMOL_PER_NG}
    return render_journal_page(
        "journal/progesterone_test.html", entry=entry, converted=converted, supports=supports_ovulation(entry)
    )


@bp.route("/progesterone/<int:progesterone_test_id>/edit", methods=["GET", "POST"])
def edit_progesterone_test(progesterone_test_id: int):
    entry = queries.owned(ProgesteroneTest, progesterone_test_id)
    form = ProgesteroneTestForm(data={
        "date": entry.date, "time": entry.time, "kind": entry.kind, "result": entry.result or "",
        "value": None if entry.value is None else Decimal(str(entry.value)), "unit": entry.unit or "",
        "brand": entry.brand or "", "note": entry.note or "",
    })
    if form.validate_on_submit():
        apply_progesterone_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".progesterone_test", progesterone_test_id=entry.id))
    return render_journal_page("journal/progesterone_form.html", form=form, entry=entry)


@bp.route("/progesterone/<int:progesterone_test_id>/delete", methods=["GET", "POST"])
def delete_progesterone_test(progesterone_test_id: int):
    entry = queries.owned(ProgesteroneTest, progesterone_test_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The test is deleted.", "success")
        return redirect(url_for(".progesterone_tests"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your progesterone test of {long_date(entry.date)}?",
        consequences=[],
        cancel_url=url_for(".progesterone_test", progesterone_test_id=entry.id),
    )
