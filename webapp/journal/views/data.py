"""The journal's data page: import (with a preview before anything merges), CSV downloads,
deleting every entry, and the report for a clinic."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from ...accounts import audit
from ...accounts.reauth import recent_authentication_required
from ...errors import render_error
from ...extensions import db, limiter
from ...fertility.formatting import plural
from .. import csv_export, held_uploads, importing, queries, revisions
from ..blueprints import bp
from ..clinic_report import build_report
from ..presenters import temperature_unit
from ..report_pdf import render_report_pdf
from ..data_forms import ApplyForm, CancelForm, DeleteAllForm, ReportForm, UploadForm
from ..history import forget_user
from ..models import JOURNAL_MODELS, CalendarFeed
from ..portability import ImportRefused, import_journal, read_export
from ..page import render_journal_page

# Room for the multipart envelope around a file of the largest allowed size.
_ENVELOPE_BYTES = 64 * 1024


def _import_limit() -> str:
    return current_app.config["RATELIMIT_JOURNAL_IMPORT"]


def _person_key() -> str:
    return f"journal-import:{getattr(current_user, 'id', 'anonymous')}"


# One limit shared by every POST that reads an uploaded file (upload and apply).
import_limit = limiter.shared_limit(_import_limit, scope="journal-import", key_func=_person_key, methods=["POST"])


@bp.errorhandler(429)
def too_many_imports(_error):
    return render_error(
        429,
        "That is a lot of importing",
        "You have imported many files in a short time, so imports are paused for a while. "
        "Nothing from the last file was saved. Please try again in an hour.",
    )


def _too_large_message() -> str:
    cap = current_app.config["IMPORT_MAX_BYTES"]
    return (
        f"This file is larger than {cap // 1_000_000} MB, the most an import reads. "
        "An export of a few years is far smaller: is it the right file? Nothing was imported."
    )


def _data_page(form: UploadForm, status: int = 200):
    return render_journal_page(
        "journal/import.html", form=form, not_empty=queries.has_entries(current_user.id)
    ), status


def _read(held: held_uploads.HeldUpload) -> importing.Plan:
    incoming = importing.read_upload(
        held.filename, held.data, person=current_user,
        budget_seconds=current_app.config["IMPORT_TIME_BUDGET_SECONDS"],
    )
    return importing.plan(current_user.id, incoming)


def _preview(chosen: importing.Plan, form: ApplyForm | None = None, status: int = 200):
    form = form or ApplyForm(formdata=None)
    form.plan.data = chosen.fingerprint()
    return render_journal_page(
        "journal/import_preview.html", plan=chosen, form=form, cancel_form=CancelForm(formdata=None),
        shown=importing.shown,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@import_limit
def import_data():
    held_uploads.purge_stale()
    uid = current_user.id
    cap = current_app.config["IMPORT_MAX_BYTES"]
    request.max_content_length = cap + _ENVELOPE_BYTES
    try:
        form = UploadForm()
        submitted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = UploadForm(formdata=None)
        form.file.errors = [_too_large_message()]
        return _data_page(form, 413)
    if not submitted:
        return _data_page(form)
    upload = form.file.data
    data = upload.read(cap + 1)
    if len(data) > cap:
        form.file.errors.append(_too_large_message())
        return _data_page(form, 413)
    filename = upload.filename or ""
    try:
        if importing.is_seedling_file(data) and not queries.has_entries(uid):
            # Into an empty journal Seedling's own file is restored exactly, settings included.
            counts = import_journal(current_user, read_export(data))
            audit.record(uid, "import", request, commit=False)
            db.session.commit()
            forget_user(uid)
            flash(f"Your journal is imported: {counts}.", "success")
            return redirect(url_for(".home"))
        incoming = importing.read_upload(
            filename, data, person=current_user,
            budget_seconds=current_app.config["IMPORT_TIME_BUDGET_SECONDS"],
        )
        chosen = importing.plan(uid, incoming)
    except ImportRefused as error:
        db.session.rollback()
        form.file.errors.append(str(error))
        return _data_page(form)
    held_uploads.hold(uid, filename, data)
    return _preview(chosen)


@bp.get("/import/preview")
def import_preview():
    held_uploads.purge_stale()
    held = held_uploads.current(current_user.id)
    if held is None:
        flash("There is no file waiting to be imported (a file is kept for an hour). Please choose it again.", "info")
        return redirect(url_for(".import_data"))
    try:
        chosen = _read(held)
    except ImportRefused as error:  # the file was checked on upload: only the time budget can differ
        held_uploads.discard()
        flash(str(error), "error")
        return redirect(url_for(".import_data"))
    return _preview(chosen)


@bp.post("/import/apply")
@import_limit
def import_apply():
    held_uploads.purge_stale()
    uid = current_user.id
    held = held_uploads.current(uid)
    if held is None:
        flash("The file waited more than an hour, so it was deleted and nothing was imported. Please choose it again.", "info")
        return redirect(url_for(".import_data"))
    form = ApplyForm()
    try:
        chosen = _read(held)
    except ImportRefused as error:
        held_uploads.discard()
        flash(str(error), "error")
        return redirect(url_for(".import_data"))
    if not form.validate_on_submit():
        return _preview(chosen, form, 400)
    if form.plan.data != chosen.fingerprint():
        flash("Your journal changed since you saw this preview. Here it is again, as it is now.", "info")
        return _preview(chosen, form, 409)
    try:
        said = importing.apply(uid, chosen, form.resolution.data or "")
        audit.record(uid, "import", request, commit=False)
        db.session.commit()
    except ImportRefused as error:
        db.session.rollback()
        form.resolution.errors = [str(error)]
        return _preview(chosen, form)
    except IntegrityError:  # another tab imported or saved the same day meanwhile
        db.session.rollback()
        flash("Your journal changed while importing, so nothing was imported. Please look at the preview again.", "info")
        return redirect(url_for(".import_preview"))
    forget_user(uid)
    held_uploads.discard()
    flash(f"Imported from {chosen.incoming.source}: {said}.", "success")
    return redirect(url_for(".home"))


@bp.post("/import/cancel")
def import_cancel():
    held_uploads.discard()
    held_uploads.purge_stale()
    flash("Nothing was imported, and the file is deleted from Seedling.", "info")
    return redirect(url_for(".import_data"))


# --------------------------------------------------------------------------- delete every entry


# Every table of journal entries, children before parents; the calendar feed is a setting.
def _entry_tables():
    tables = {model.__table__ for model in JOURNAL_MODELS if model is not CalendarFeed}
    return [table for table in reversed(db.metadata.sorted_tables) if table in tables]


@bp.route("/data/delete", methods=["GET", "POST"])
@recent_authentication_required
def delete_entries():
    uid = current_user.id
    form = DeleteAllForm()
    if form.validate_on_submit():
        days = queries.has_entries(uid)
        for table in _entry_tables():
            db.session.execute(delete(table).where(table.c.user_id == uid))
        revisions.bump(db.session(), [uid])
        audit.record(uid, "journal_deleted", request, commit=False)
        db.session.commit()
        forget_user(uid)
        held_uploads.discard()
        flash(
            "All your journal entries are deleted. Your account and settings stay." if days
            else "Your journal had no entries; nothing was deleted.",
            "success",
        )
        return redirect(url_for(".import_data"))
    return render_journal_page("journal/delete_entries.html", form=form), 400 if form.errors else 200


# --------------------------------------------------------------------------- CSV downloads


def _csv_response(name: str, body: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="seedling-{name}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/export/days.csv")
@recent_authentication_required
def export_days_csv():
    unit = current_user.temperature_unit or "C"
    return _csv_response("days", csv_export.days_csv(current_user.id, unit))


@bp.get("/export/inseminations.csv")
@recent_authentication_required
def export_inseminations_csv():
    return _csv_response("inseminations", csv_export.inseminations_csv(current_user.id))


@bp.get("/export/tests.csv")
@recent_authentication_required
def export_tests_csv():
    return _csv_response("pregnancy-tests", csv_export.tests_csv(current_user.id))


# --------------------------------------------------------------------------- the clinic report


def _report_form() -> tuple[ReportForm, bool]:
    """The report's GET form, and whether its range can be shown (the message is on the form)."""
    form = ReportForm(request.args)
    valid = form.validate() if request.args else True
    if valid and form.start.data and form.end.data and form.start.data > form.end.data:
        form.end.errors = ["The end of the range is before its start. Please swap them."]
        valid = False
    return form, valid


@bp.get("/report")
def clinic_report():
    form, valid = _report_form()
    report = None
    if valid:
        report = build_report(
            current_user.id, form.start.data, form.end.data, include_notes=bool(form.notes.data)
        )
    return render_journal_page("journal/report.html", form=form, report=report, plural=plural)


@bp.get("/report.pdf")
@recent_authentication_required  # a download of the journal, like the CSV files
def clinic_report_pdf():
    form, valid = _report_form()
    if not valid:  # the report page, with the same message, and no file
        return render_journal_page("journal/report.html", form=form, report=None, plural=plural), 400
    report = build_report(
        current_user.id, form.start.data, form.end.data, include_notes=bool(form.notes.data),
        chart_data=True,
    )
    return Response(
        render_report_pdf(report, temperature_unit()),
        mimetype="application/pdf",
        headers={
            # No date and no name in the file's name: it says what it is, nothing more.
            "Content-Disposition": 'attachment; filename="seedling-cycle-report.pdf"',
            "Cache-Control": "no-store",
        },
    )
