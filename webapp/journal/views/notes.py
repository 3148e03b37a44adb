"""Notes made after an insemination: a timeline of how it went."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, url_for
from flask_login import current_user

from ..local_time import person_now
from ...extensions import db
from ...templating import long_date
from .. import queries, spec
from ..blueprints import bp
from ...fertility.formatting import time_after
from ..forms import (
    ConfirmDeleteForm,
    InseminationNoteForm,
    blank_to_none,
)
from ..models import Insemination, InseminationNote
from ..page import render_journal_page
from ._helpers import add_error, validated

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
    when = long_date(insemination.date)
    if insemination.time is not None:
        when += f" at {insemination.time:%H:%M}"
    problem = spec.note_time_problem(validated(form.noted_at.data), insemination.starts_at, when)
    if problem:
        add_error(form.noted_at, problem)
    return problem is None


def apply_note_form(form: InseminationNoteForm, note: InseminationNote) -> None:
    note.noted_at = validated(form.noted_at.data).replace(second=0, microsecond=0)
    note.leakage = form.leakage.data or None
    note.cramping = form.cramping.data or None
    note.spotting = bool(form.spotting.data)
    note.lying_down_minutes = form.lying_down_minutes.data
    note.orgasm = bool(form.orgasm.data)
    note.feelings = blank_to_none(form.feelings.data)
    note.note = blank_to_none(form.note.data)


def default_note_time(insemination: Insemination) -> datetime:
    """Now (the person's own time) when the insemination was recent, else its own time."""
    now = person_now().replace(second=0)
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
    return render_journal_page("journal/note_form.html", form=form, insemination=entry, note=None)


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
    return render_journal_page("journal/note_form.html", form=form, insemination=entry, note=note)


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
    return render_journal_page(
        "journal/confirm_delete.html",
        form=form,
        title="Delete this note?",
        consequences=[f"It was written {time_after(entry.starts_at, note.noted_at, entry.time is not None).lower()} your insemination of {long_date(entry.date)}."],
        cancel_url=back,
    )
