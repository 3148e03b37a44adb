"""Pregnancy tests: home tests with a line, blood tests with an hCG value."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, url_for
from flask_login import current_user

from ...extensions import db
from ...templating import long_date
from .. import beside, queries
from ..blueprints import bp
from ..forms import ConfirmDeleteForm, PregnancyTestForm, blank_to_none
from ..models import PregnancyTest
from ..presenters import trigger_warnings
from ...fertility.predictions import doubling_time_hours
from ..page import render_journal_page
from ._helpers import requested_date, validated


def test_form_data(test: PregnancyTest) -> dict:
    return {
        "date": test.date,
        "time": test.time,
        "kind": test.kind,
        "brand": test.brand or "",
        "sensitivity_miu": test.sensitivity_miu,
        "result": test.result or "",
        "hcg_miu": None if test.hcg_miu is None else Decimal(str(test.hcg_miu)),
        "note": test.note or "",
    }


def apply_test_form(form: PregnancyTestForm, test: PregnancyTest) -> None:
    test.date = validated(form.date.data)
    test.time = form.time.data
    test.kind = form.kind.data
    test.brand = blank_to_none(form.brand.data)
    home = test.kind == "home"
    test.sensitivity_miu = form.sensitivity_miu.data if home else None
    test.result = (form.result.data or None) if home else None
    test.hcg_miu = None if home or form.hcg_miu.data is None else float(form.hcg_miu.data)
    test.note = blank_to_none(form.note.data)


@bp.get("/tests/")
def tests():
    rows = list(
        db.session.scalars(
            queries.mine(PregnancyTest).order_by(
                PregnancyTest.date, PregnancyTest.time, PregnancyTest.id
            )
        )
    )
    doubling: dict[int, float | None] = {}
    previous = None
    for test in sorted(rows, key=lambda t: (t.taken_at, t.id)):
        if test.kind != "blood" or test.hcg_miu is None:
            continue
        if previous is not None and (test.date - previous.date).days <= 30:
            doubling[test.id] = doubling_time_hours(
                previous.hcg_miu, previous.taken_at, test.hcg_miu, test.taken_at
            )
        previous = test
    rows.reverse()
    return render_journal_page(
        "journal/tests.html", tests=rows, doubling=doubling,
        trigger=trigger_warnings(current_user.id, rows),
    )


@bp.route("/tests/new", methods=["GET", "POST"])
def new_test():
    requested = requested_date()
    form = PregnancyTestForm(data={"date": requested})
    if form.validate_on_submit():
        test = PregnancyTest(user_id=current_user.id)
        apply_test_form(form, test)
        db.session.add(test)
        db.session.commit()
        flash("Your test is saved.", "success")
        return redirect(url_for(".test", test_id=test.id))
    return render_journal_page("journal/test_form.html", form=form, test=None)


@bp.get("/tests/<int:test_id>")
def test(test_id: int):
    entry = queries.owned(PregnancyTest, test_id)
    reading = beside.read_test(entry, current_user)
    return render_journal_page(
        "journal/test.html",
        test=entry,
        reading=reading,
        trigger=trigger_warnings(current_user.id, [entry]).get(entry.id),
        articles=beside.pregnancy_test_articles(entry, reading),
    )


@bp.route("/tests/<int:test_id>/edit", methods=["GET", "POST"])
def edit_test(test_id: int):
    entry = queries.owned(PregnancyTest, test_id)
    form = PregnancyTestForm(data=test_form_data(entry))
    if form.validate_on_submit():
        apply_test_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".test", test_id=entry.id))
    return render_journal_page("journal/test_form.html", form=form, test=entry)


@bp.route("/tests/<int:test_id>/delete", methods=["GET", "POST"])
def delete_test(test_id: int):
    entry = queries.owned(PregnancyTest, test_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The test is deleted.", "success")
        return redirect(url_for(".tests"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your test of {long_date(entry.date)}?",
        consequences=[],
        cancel_url=url_for(".test", test_id=entry.id),
    )
