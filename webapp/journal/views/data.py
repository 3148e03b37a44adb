"""Bringing a journal in: the import of Seedling's own export."""

from __future__ import annotations


from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...extensions import db
from .. import queries
from ..blueprints import bp
from ..forms import ImportForm
from ..history import forget_user
from ..portability import ImportRefused, import_journal, read_export

@bp.route("/import", methods=["GET", "POST"])
def import_data():
    uid = current_user.id
    form = ImportForm()
    not_empty = queries.has_entries(uid)
    if form.validate_on_submit():
        if not_empty:
            form.file.errors.append(
                "Your journal already has entries, and an import would mix two journals. "
                "Import into a new, empty account instead, or delete your entries first."
            )
        else:
            try:
                data = read_export(form.file.data.read())
                counts = import_journal(current_user, data)
            except ImportRefused as error:
                db.session.rollback()
                form.file.errors.append(str(error))
            else:
                db.session.commit()
                forget_user(uid)
                flash(f"Your journal is imported: {counts}.", "success")
                return redirect(url_for(".home"))
    return render_template("journal/import.html", form=form, not_empty=not_empty)
