"""The journal's forms. Every field has a length or number limit; messages talk to the person.

Checks that need more than one field ("impossible combinations") live in each form's
``validate``; checks that need the database (one entry per date, vials left) live in the
routes and add their message to the field the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..clock import today
from ..fertility import vocabulary as v
from ..fertility.formatting import TemperatureError, parse_temperature

NOTE_MAX = 4000
SHORT_NOTE_MAX = 2000
CHOICE_MAX = 20
# How far ahead of the server's date (UTC) a date may be. One day of grace: for someone east
# of UTC (Australia, say) it is already tomorrow while the server's date is still today.
FUTURE_DAYS_ALLOWED = 1
OLDEST_YEARS = 60
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def latest_allowed_date() -> date:
    return today() + timedelta(days=FUTURE_DAYS_ALLOWED)


def optional_str(value) -> str:
    """Coerce for optional choices: None (nothing chosen yet) becomes "", never "None"."""
    return "" if value is None else str(value)


def choices(vocabulary: dict[str, str], empty: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice(value, text) for value, text in vocabulary.items()]
    return [SelectChoice("", empty), *options] if empty is not None else options


def not_in_future(form, field) -> None:
    if field.data is None:
        return
    if field.data > latest_allowed_date():
        raise ValidationError("That date is in the future. You can log it once the day has come.")
    if field.data < today() - timedelta(days=365 * OLDEST_YEARS):
        raise ValidationError("Please check the year: that date is a very long time ago.")


def choice(label: str, vocabulary: dict[str, str], empty: str | None = "Not noted", **kwargs):
    """A radio group; with ``empty`` it starts on a "not noted" choice that stores None."""
    validators = kwargs.pop("validators", [])
    return RadioField(
        label,
        choices=choices(vocabulary, empty),
        default="" if empty is not None else None,
        coerce=optional_str,
        validators=[*validators, Length(max=CHOICE_MAX)],
        **kwargs,
    )


def blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class RequiredChoice(InputRequired):
    """A radio group where one answer is needed (the empty "not noted" is not offered)."""

    def __init__(self, message: str):
        super().__init__(message)

    def __call__(self, form, field):
        if not field.data:
            field.errors[:] = []
            raise ValidationError(self.message)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered one by one in a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --------------------------------------------------------------------------- days


class DayForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])

    bleeding = choice("Bleeding", v.BLEEDING, empty="None")
    not_period = BooleanField(
        "Not a period",
        description="Tick this for spotting between periods, so that it does not start a new cycle.",
    )
    starts_cycle = BooleanField(
        "Start a new cycle on this day",
        description="Your cycle starts by itself on the first day of a period. Tick this only "
        "to mark a start by hand.",
    )

    temperature = StringField(
        "Basal body temperature",
        validators=[Optional(), Length(max=10)],
        description="Taken when you wake, before getting up. For example 36.45.",
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 8},
    )
    temperature_unit = RadioField(
        "Unit", choices=choices(v.TEMPERATURE_UNITS), default="C", validators=[Length(max=1)]
    )
    temperature_time = TimeField("Time taken", validators=[Optional()])
    temperature_disturbance = SelectField(
        "Anything that might have changed it?",
        choices=choices(v.DISTURBANCES, empty="No, a normal morning"),
        default="",
        coerce=optional_str,
        validators=[Length(max=CHOICE_MAX)],
        description="A disturbed temperature stays on your chart but is left out of the rules.",
    )

    mucus_feeling = choice("How it felt", v.MUCUS_FEELINGS)
    mucus_appearance = choice("What you saw", v.MUCUS_APPEARANCES)

    cervix_position = choice("Position", v.CERVIX_POSITIONS)
    cervix_firmness = choice("Firmness", v.CERVIX_FIRMNESS)
    cervix_opening = choice("Opening", v.CERVIX_OPENINGS)

    ovulation_test = choice("Ovulation test (LH)", v.OVULATION_TESTS, empty="No test")
    ovulation_test_brand = StringField(
        "Brand of ovulation test", validators=[Optional(), Length(max=80)]
    )

    symptoms = MultiCheckboxField(
        "Symptoms", choices=choices(v.SYMPTOMS), validators=[Optional()]
    )
    mood = StringField(
        "Mood",
        validators=[Optional(), Length(max=80)],
        description="A word or two, if you like.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField("Save this day")

    temperature_centi: int | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.temperature_centi = None
        if self.temperature.data and not self.temperature.errors:
            try:
                self.temperature_centi = parse_temperature(
                    self.temperature.data, self.temperature_unit.data or "C"
                )
            except TemperatureError as error:
                self.temperature.errors.append(str(error))
                valid = False
        has_temperature = bool((self.temperature.data or "").strip())
        if self.temperature_disturbance.data and not has_temperature:
            self.temperature_disturbance.errors.append(
                "There is no temperature to mark as disturbed. Enter the temperature, or choose "
                "“No, a normal morning”."
            )
            valid = False
        if self.temperature_time.data and not has_temperature:
            self.temperature_time.errors.append(
                "There is a time but no temperature. Enter the temperature, or clear the time."
            )
            valid = False
        if self.not_period.data and not self.bleeding.data:
            self.not_period.errors.append(
                "There is no bleeding to mark as not a period. Choose the bleeding, or untick this."
            )
            valid = False
        if self.not_period.data and self.starts_cycle.data:
            self.starts_cycle.errors.append(
                "A day marked “not a period” cannot also start a cycle. Untick one of the two."
            )
            valid = False
        if self.ovulation_test_brand.data and not self.ovulation_test.data:
            self.ovulation_test_brand.errors.append(
                "There is a brand but no ovulation test result. Choose the result, or clear the brand."
            )
            valid = False
        if valid and not self.has_something():
            self.form_errors.append(
                "There is nothing to save yet. Add at least one sign or a note for this day."
            )
            valid = False
        return valid

    def has_something(self) -> bool:
        fields = (
            self.bleeding, self.starts_cycle, self.temperature, self.mucus_feeling,
            self.mucus_appearance, self.cervix_position, self.cervix_firmness,
            self.cervix_opening, self.ovulation_test, self.symptoms, self.mood, self.note,
        )
        return any(
            (field.data.strip() if isinstance(field.data, str) else field.data) for field in fields
        )


# --------------------------------------------------------------------------- donors


class DonorForm(FlaskForm):
    kind = choice(
        "Who is the donor?", v.DONOR_KINDS, empty=None,
        validators=[RequiredChoice("Please choose a bank donor or a known donor.")],
    )
    code = StringField(
        "Donor code or name",
        validators=[DataRequired("Please enter the donor's code or a name you use."), Length(max=60)],
        description="The bank's donor number, or any name you use for a known donor.",
    )
    bank = StringField("Sperm bank", validators=[Optional(), Length(max=120)])
    vials_bought = IntegerField(
        "Vials bought", validators=[Optional(), NumberRange(0, 200, "Please enter 0 to 200 vials.")]
    )
    vials_in_storage = IntegerField(
        "Vials in storage now",
        validators=[Optional(), NumberRange(0, 200, "Please enter 0 to 200 vials.")],
        description="Leave it empty if you do not keep count. Each insemination with this donor "
        "takes its vials off this number.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=SHORT_NOTE_MAX)])
    submit = SubmitField("Save donor")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "bank" and not (self.bank.data or "").strip():
            self.bank.errors.append("Please enter the bank this donor's vials come from.")
            valid = False
        bought, stored = self.vials_bought.data, self.vials_in_storage.data
        if bought is not None and stored is not None and stored > bought:
            self.vials_in_storage.errors.append(
                f"That is more vials in storage ({stored}) than bought ({bought}). "
                "Please check both numbers."
            )
            valid = False
        return valid


# --------------------------------------------------------------------------- inseminations


class InseminationForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField("Time", validators=[Optional()], description="If you know it.")
    method = choice(
        "How", v.INSEMINATION_METHODS, empty=None,
        validators=[RequiredChoice("Please choose how the insemination was done.")],
    )
    sperm = choice("Sperm", v.SPERM_STATES)
    donor_id = SelectField(
        "Donor", coerce=int, default=0, validators=[NumberRange(min=0)],
    )
    vials_used = IntegerField(
        "Vials used",
        default=0,
        validators=[Optional(), NumberRange(0, 10, "Please enter 0 to 10 vials.")],
    )
    vial_numbers = StringField(
        "Vial or lot numbers", validators=[Optional(), Length(max=200)]
    )
    motile_count_millions = DecimalField(
        "Motile count (millions)",
        places=None,
        validators=[Optional(), NumberRange(0, 1000, "Please enter 0 to 1000 million.")],
        description="If you know it. For frozen sperm, the count after thawing.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    performed_by = StringField(
        "Who did it", validators=[Optional(), Length(max=120)],
        description="You, your partner, a friend, a nurse…",
    )
    location = StringField("Where", validators=[Optional(), Length(max=120)])
    cost = DecimalField(
        "Cost",
        places=2,
        validators=[Optional(), NumberRange(0, 100000, "Please enter an amount up to 100000.")],
        description="Optional, in your own currency.",
        render_kw={"step": "0.01", "inputmode": "decimal"},
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField("Save insemination")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.sperm.data == "fresh" and (self.vials_used.data or 0) > 0:
            self.vials_used.errors.append(
                "Fresh sperm does not come in vials. Choose frozen, or set the vials to 0."
            )
            valid = False
        if (self.vials_used.data or 0) > 0 and not self.donor_id.data:
            self.donor_id.errors.append(
                "Please choose whose vials you used, so the number left stays right."
            )
            valid = False
        return valid


class InseminationNoteForm(FlaskForm):
    noted_at = DateTimeLocalField(
        "When",
        format=DATETIME_FORMATS,
        validators=[DataRequired("Please enter the date and time of this note.")],
        description="Your own time, when you noticed this.",
    )
    leakage = choice("Leakage", v.LEAKAGE)
    cramping = choice("Cramping", v.CRAMPING)
    spotting = BooleanField("Spotting")
    lying_down_minutes = IntegerField(
        "Minutes lying down",
        validators=[Optional(), NumberRange(0, 1440, "Please enter 0 to 1440 minutes.")],
    )
    orgasm = BooleanField("Orgasm")
    feelings = StringField(
        "How you feel", validators=[Optional(), Length(max=300)],
        description="A few words, if you like.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField("Save note")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        something = (
            self.leakage.data, self.cramping.data, self.spotting.data,
            self.lying_down_minutes.data is not None, self.orgasm.data,
            (self.feelings.data or "").strip(), (self.note.data or "").strip(),
        )
        if valid and not any(something):
            self.form_errors.append("There is nothing to save yet. Add at least one thing you noticed.")
            valid = False
        return valid


# --------------------------------------------------------------------------- tests


class PregnancyTestForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField(
        "Time", validators=[Optional()],
        description="For blood tests, it makes the doubling time more exact.",
    )
    kind = choice(
        "Kind of test", v.TEST_KINDS, empty=None,
        validators=[RequiredChoice("Please choose a home test or a blood test.")],
    )
    brand = StringField("Brand or lab", validators=[Optional(), Length(max=80)])
    sensitivity_miu = IntegerField(
        "Sensitivity (mIU/mL)",
        validators=[Optional(), NumberRange(1, 100, "Please enter 1 to 100 mIU/mL.")],
        description="Home tests only: printed on the box, for example 10 or 25.",
    )
    result = choice("Result", v.HOME_RESULTS)
    hcg_miu = DecimalField(
        "hCG (mIU/mL)",
        places=None,
        validators=[Optional(), NumberRange(0, 500000, "Please enter 0 to 500000 mIU/mL.")],
        description="Blood tests only: the value on your result.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=NOTE_MAX)])
    submit = SubmitField("Save test")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "home":
            if not self.result.data:
                self.result.errors.append("Please choose the result of the home test.")
                valid = False
            if self.hcg_miu.data is not None:
                self.hcg_miu.errors.append(
                    "An hCG value comes from a blood test. Choose “Blood test”, or clear the value."
                )
                valid = False
        elif self.kind.data == "blood":
            if self.hcg_miu.data is None and not self.hcg_miu.errors:
                self.hcg_miu.errors.append("Please enter the hCG value from your blood test.")
                valid = False
            if self.result.data:
                self.result.errors.append(
                    "A blood test gives a value rather than a line. Choose “Not noted” here, "
                    "or choose “Home test”."
                )
                valid = False
            if self.sensitivity_miu.data is not None:
                self.sensitivity_miu.errors.append(
                    "Sensitivity is for home tests. Clear it, or choose “Home test”."
                )
                valid = False
        return valid


# --------------------------------------------------------------------------- cycles and more


class CycleOutcomeForm(FlaskForm):
    outcome = choice(
        "How this cycle ended", v.OUTCOMES, empty=None,
        validators=[RequiredChoice("Please choose one, or go back if you would rather not.")],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=SHORT_NOTE_MAX)])
    submit = SubmitField("Save")


class ImportForm(FlaskForm):
    file = FileField(
        "Your Seedling data file",
        validators=[FileRequired("Please choose the file you downloaded from Seedling.")],
        description="The .json file from “Download my data”.",
        render_kw={"accept": ".json,application/json"},
    )
    submit = SubmitField("Import my journal")


class ConfirmDeleteForm(FlaskForm):
    submit = SubmitField("Yes, delete it")


def decimal_to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())
