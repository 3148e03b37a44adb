"""Intercourse: dated entries, with or without sperm, counted against the fertile window."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from ...extensions import db
from ...templating import long_date
from .. import queries
from ..blueprints import bp
from ..forms import ConfirmDeleteForm, IntercourseForm, blank_to_none
from ..models import Intercourse
from ..presenters import entry_timing
from ..page import render_journal_page
from ._helpers import requested_date, validated


def apply_intercourse_form(form: IntercourseForm, entry: Intercourse) -> None:
    entry.date = validated(form.date.data)
    entry.time = form.time.data
    entry.sperm = form.sperm.data or None
    entry.note = blank_to_none(form.note.data)


@bp.get("/intercourse/")
def intercourse_list():
    rows = list(db.session.scalars(
        queries.mine(Intercourse).order_by(Intercourse.date.desc(), Intercourse.time.desc(), Intercourse.id.desc())
    ))
    return render_journal_page("journal/intercourse_list.html", entries=rows)


@bp.route("/intercourse/new", methods=["GET", "POST"])
def new_intercourse():
    form = IntercourseForm(data={"date": requested_date()})
    if form.validate_on_submit():
        entry = Intercourse(user_id=current_user.id)
        apply_intercourse_form(form, entry)
        db.session.add(entry)
        db.session.commit()
        flash("Saved.", "success")
        return redirect(url_for(".intercourse", intercourse_id=entry.id))
    return render_journal_page("journal/intercourse_form.html", form=form, entry=None)


@bp.get("/intercourse/<int:intercourse_id>")
def intercourse(intercourse_id: int):
    entry = queries.owned(Intercourse, intercourse_id)
    timing = entry_timing(current_user.id, entry.date) if entry.counts_for_timing else None
    return render_journal_page("journal/intercourse.html", entry=entry, timing=timing)


@bp.route("/intercourse/<int:intercourse_id>/edit", methods=["GET", "POST"])
def edit_intercourse(intercourse_id: int):
    entry = queries.owned(Intercourse, intercourse_id)
    form = IntercourseForm(data={
        "date": entry.date, "time": entry.time, "sperm": entry.sperm or "", "note": entry.note or "",
    })
    if form.validate_on_submit():
        apply_intercourse_form(form, entry)
        db.session.commit()
        flash("Your changes are saved.", "success")
        return redirect(url_for(".intercourse", intercourse_id=entry.id))
    return render_journal_page("journal/intercourse_form.html", form=form, entry=entry)


@bp.route("/intercourse/<int:intercourse_id>/delete", methods=["GET", "POST"])
def delete_intercourse(intercourse_id: int):
    entry = queries.owned(Intercourse, intercourse_id)
    form = ConfirmDeleteForm()
    if form.validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash("The entry is deleted.", "success")
        return redirect(url_for(".intercourse_list"))
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title=f"Delete your entry of {long_date(entry.date)}?",
        consequences=[],
        cancel_url=url_for(".intercourse", intercourse_id=entry.id),
    )
