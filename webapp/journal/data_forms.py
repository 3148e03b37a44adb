"""The forms of the journal's data page: import and its preview, deleting every entry, the
clinic report's date range."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, RadioField, StringField, SubmitField
from wtforms import SelectChoice  # type: ignore[attr-defined]  # missing from types-WTForms 3.2.1
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .importing import MINE, THEIRS

DELETE_ALL_PHRASE = "delete my journal"


class UploadForm(FlaskForm):
    file = FileField(
        "Your export file",
        validators=[FileRequired("Please choose the file to import.")],
        description=(
            "Seedling’s .json file from “Download my data”, drip’s .csv, Clue’s measurements.json "
            "or old .cluedata backup, or Flo’s .json."
        ),
        render_kw={"accept": ".json,.csv,.cluedata,application/json,text/csv"},
    )
    submit = SubmitField("Check this file")


class ApplyForm(FlaskForm):
    resolution = RadioField(
        "Where your journal and the file disagree",
        choices=[SelectChoice(MINE, "Keep mine: my entries stay as they are"),
                 SelectChoice(THEIRS, "Take theirs: the file’s values replace mine for what the file records")],
        default=MINE,
        validators=[DataRequired("Please choose whose entries win where they disagree.")],
    )
    # Names the plan that was shown: if the journal changed meanwhile, a new preview is shown.
    plan = HiddenField(validators=[Length(max=64)])
    submit = SubmitField("Import it all")


class CancelForm(FlaskForm):
    submit = SubmitField("Cancel, import nothing")


class DeleteAllForm(FlaskForm):
    confirmation = StringField(
        f"Type “{DELETE_ALL_PHRASE}” to confirm",
        validators=[DataRequired("Please type the words to confirm."), Length(max=100)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField("Delete all my journal entries")

    def validate_confirmation(self, field) -> None:
        if " ".join((field.data or "").lower().split()) != DELETE_ALL_PHRASE:
            raise ValidationError(f"Please type “{DELETE_ALL_PHRASE}” exactly, or go back.")


class ReportForm(FlaskForm):
    """Read from the query string (a GET form: nothing changes, no token needed)."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
    notes = BooleanField("Include my notes")
    submit = SubmitField("Show the report")
