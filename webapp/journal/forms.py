"""The journal's forms. Every field has a length or number limit; messages talk to the person.

The limits, allowed words and "impossible combinations" come from :mod:`.spec`, which the
import of an export file reads too, so that both accept exactly the same entries. Each form's
``validate`` calls spec's cross-field checks; checks that need the database (one entry per
date, vials left) live in the routes and add their message to the field the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms import SelectChoice  # type: ignore[attr-defined]  # missing from types-WTForms 3.2.1
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ..fertility.formatting import TemperatureError, parse_temperature
from . import spec
from .local_time import person_today
from .spec import FUTURE_DAYS_ALLOWED, OLDEST_YEARS, latest_allowed_date  # noqa: F401 (used by views, tests)

NOTE_MAX = spec.NOTE.max_length
SHORT_NOTE_MAX = spec.SHORT_NOTE.max_length
CHOICE_MAX = 20
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def optional_str(value: Any) -> str:
    """Coerce for optional choices: None (nothing chosen yet) becomes "", never "None"."""
    return "" if value is None else str(value)


def choices(vocabulary: Mapping[str, str], empty: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice(value, text) for value, text in vocabulary.items()]
    return [SelectChoice("", empty), *options] if empty is not None else options


def not_in_future(form: Any, field: Field) -> None:
    """The date rule of :func:`spec.date_problem` (the name is older than the lower bound)."""
    if field.data is None:
        return
    problem = spec.date_problem(field.data, person_today())  # the person's own date
    if problem:
        raise ValidationError(problem)


def storable(form: Any, field: Field) -> None:
    problem = spec.unstorable_text_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class Finite:
    """NaN, sNaN and the infinities parse as decimals; refuse them before NumberRange (which
    cannot compare a signalling NaN), with the field's range message."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is not None and not field.data.is_finite():
            raise StopValidation(self.message)


def text(rule: spec.Text) -> list[Any]:
    """The validators of a text field following ``rule``."""
    first = DataRequired(rule.required) if rule.required else Optional()
    return [first, Length(max=rule.max_length), storable]


def whole(rule: spec.Whole) -> list[Any]:
    return [Optional(), NumberRange(rule.low, rule.high, rule.message)]


def amount(rule: spec.Amount) -> list[Any]:
    return [Optional(), Finite(rule.message), NumberRange(rule.low, rule.high, rule.message)]


def choice(label: str, rule: spec.Words, empty: str | None = "Not noted", **kwargs: Any) -> RadioField:
    """A radio group; with ``empty`` it starts on a "not noted" choice that stores None. A rule
    that requires an answer offers no empty choice."""
    validators = [RequiredChoice(rule.required)] if rule.required else []
    return RadioField(
        label,
        choices=choices(rule.allowed, None if rule.required else empty),
        default=None if rule.required else "",
        coerce=optional_str,
        validators=[*validators, Length(max=CHOICE_MAX)],
        **kwargs,
    )


def add_problems(form: FlaskForm, problems: list[spec.Problem]) -> bool:
    """Show spec's cross-field problems under their fields; False when there were any.

    A field whose own value is already refused gets no combination message on top."""
    for problem in problems:
        field = form[problem.field]
        if not field.errors:
            errors_of(field).append(problem.message)
    return not problems


def errors_of(field: Field) -> list[str]:
    """A field's errors, to add to: WTForms keeps a list once validation has begun (its types
    only promise a Sequence)."""
    if not isinstance(field.errors, list):
        raise TypeError("errors can be added to a field only once validation has begun")
    return field.errors


def blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class RequiredChoice(InputRequired):
    """A radio group where one answer is needed (the empty "not noted" is not offered)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.required_message = message

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            errors_of(field).clear()
            raise ValidationError(self.required_message)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered one by one in a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --------------------------------------------------------------------------- days


class DayForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])

    bleeding = choice("Bleeding", spec.BLEEDING, empty="None")
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
        validators=text(spec.TEMPERATURE_TYPED),
        description="Taken when you wake, before getting up. For example 36.45.",
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 8},
    )
    temperature_unit = RadioField(
        "Unit", choices=choices(spec.TEMPERATURE_UNIT.allowed), default="C", validators=[Length(max=1)]
    )
    temperature_time = TimeField("Time taken", validators=[Optional()])
    temperature_disturbance = SelectField(
        "Anything that might have changed it?",
        choices=choices(spec.TEMPERATURE_DISTURBANCE.allowed, empty="No, a normal morning"),
        default="",
        coerce=optional_str,
        validators=[Length(max=CHOICE_MAX)],
        description="A disturbed temperature stays on your chart but is left out of the rules.",
    )

    mucus_feeling = choice("How it felt", spec.MUCUS_FEELING)
    mucus_appearance = choice("What you saw", spec.MUCUS_APPEARANCE)

    cervix_position = choice("Position", spec.CERVIX_POSITION)
    cervix_firmness = choice("Firmness", spec.CERVIX_FIRMNESS)
    cervix_opening = choice("Opening", spec.CERVIX_OPENING)

    ovulation_test = choice("Ovulation test (LH)", spec.OVULATION_TEST, empty="No test")
    ovulation_test_brand = StringField(
        "Brand of ovulation test", validators=text(spec.OVULATION_TEST_BRAND)
    )

    symptoms = MultiCheckboxField(
        "Symptoms", choices=choices(spec.SYMPTOMS.allowed), validators=[Optional()]
    )
    mood = StringField(
        "Mood",
        validators=text(spec.MOOD),
        description="A word or two, if you like.",
    )
    note = TextAreaField("Note", validators=text(spec.DAY_NOTE))
    submit = SubmitField("Save this day")

    temperature_centi: int | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        self.temperature_centi = None
        if self.temperature.data and not self.temperature.errors:
            try:
                self.temperature_centi = parse_temperature(
                    self.temperature.data, self.temperature_unit.data or "C"
                )
            except TemperatureError as error:
                errors_of(self.temperature).append(str(error))
                valid = False
        has_temperature = bool((self.temperature.data or "").strip())
        valid = add_problems(self, spec.day_problems(
            bleeding=self.bleeding.data,
            not_period=bool(self.not_period.data),
            starts_cycle=bool(self.starts_cycle.data),
            has_temperature=has_temperature,
            has_temperature_time=self.temperature_time.data is not None,
            temperature_disturbance=self.temperature_disturbance.data,
            ovulation_test=self.ovulation_test.data,
            ovulation_test_brand=self.ovulation_test_brand.data,
        )) and valid
        if valid and not self.has_something():
            self.form_errors.append(spec.DAY_EMPTY)
            valid = False
        return valid

    def has_something(self) -> bool:
        return not spec.day_is_empty(
            bleeding=self.bleeding.data,
            starts_cycle=bool(self.starts_cycle.data),
            has_temperature=bool((self.temperature.data or "").strip()),
            mucus_feeling=self.mucus_feeling.data,
            mucus_appearance=self.mucus_appearance.data,
            cervix_position=self.cervix_position.data,
            cervix_firmness=self.cervix_firmness.data,
            cervix_opening=self.cervix_opening.data,
            ovulation_test=self.ovulation_test.data,
            symptoms=self.symptoms.data or [],
            mood=self.mood.data,
            note=self.note.data,
        )


# --------------------------------------------------------------------------- donors


class DonorForm(FlaskForm):
    kind = choice("Who is the donor?", spec.DONOR_KIND)
    code = StringField(
        "Donor code or name",
        validators=text(spec.DONOR_CODE),
        description="The bank's donor number, or any name you use for a known donor.",
    )
    bank = StringField("Sperm bank", validators=text(spec.DONOR_BANK))
    note = TextAreaField("Note", validators=text(spec.DONOR_NOTE))
    submit = SubmitField("Save donor")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.donor_problems(
            kind=self.kind.data,
            bank=self.bank.data,
            vials_bought=None,
            vials_in_storage=None,
        )) and valid


class NewDonorForm(DonorForm):
    """A new donor, with the count so far (kept as opening entries of the donor's ledger;
    later changes are ledger entries)."""

    vials_bought = IntegerField("Vials bought so far", validators=whole(spec.VIALS_BOUGHT))
    vials_in_storage = IntegerField(
        "Vials in storage now",
        validators=whole(spec.VIALS_IN_STORAGE),
        description="Leave it empty if you do not keep count. Each insemination with this donor "
        "takes its vials off the count.",
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.donor_problems(
            kind=None,
            bank=None,
            vials_bought=self.vials_bought.data,
            vials_in_storage=self.vials_in_storage.data,
        )) and valid


class VialEntryForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    kind = choice("What happened", spec.VIAL_ENTRY_KIND)
    vials = IntegerField(
        "Vials",
        validators=whole(spec.VIAL_ENTRY_VIALS),
        description="Bought, shipped or stored. A correction adds vials, or takes them away "
        "with a minus sign.",
    )
    cost = DecimalField(
        "Cost",
        places=2,
        validators=amount(spec.VIAL_ENTRY_COST),
        description="Optional, in your own currency.",
        render_kw={"step": "0.01", "inputmode": "decimal"},
    )
    bank = StringField("Bank or shipper", validators=text(spec.VIAL_ENTRY_BANK))
    stored_at = StringField(
        "Where the vials are stored", validators=text(spec.VIAL_ENTRY_STORED_AT),
        description="The bank, a clinic, a home tank…",
    )
    note = TextAreaField("Note", validators=text(spec.VIAL_ENTRY_NOTE))
    submit = SubmitField("Save entry")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.vial_entry_problems(
            kind=self.kind.data, vials=self.vials.data
        )) and valid


# --------------------------------------------------------------------------- inseminations


class InseminationForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField("Time", validators=[Optional()], description="If you know it.")
    method = choice("How", spec.INSEMINATION_METHOD)
    sperm = choice("Sperm", spec.SPERM)
    donor_id = SelectField(
        "Donor", coerce=int, default=0, validators=[NumberRange(min=0)],
    )
    vials_used = IntegerField(
        "Vials used",
        default=0,
        validators=whole(spec.VIALS_USED),
    )
    vial_numbers = StringField("Vial or lot numbers", validators=text(spec.VIAL_NUMBERS))
    motile_count_millions = DecimalField(
        "Motile count (millions)",
        places=None,
        validators=amount(spec.MOTILE_COUNT_MILLIONS),
        description="If you know it. For frozen sperm, the count after thawing.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    performed_by = StringField(
        "Who did it", validators=text(spec.PERFORMED_BY),
        description="You, your partner, a friend, a nurse…",
    )
    location = StringField("Where", validators=text(spec.LOCATION))
    cost = DecimalField(
        "Cost",
        places=2,
        validators=amount(spec.COST),
        description="Optional, in your own currency.",
        render_kw={"step": "0.01", "inputmode": "decimal"},
    )
    note = TextAreaField("Note", validators=text(spec.INSEMINATION_NOTE))
    submit = SubmitField("Save insemination")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.insemination_problems(
            sperm=self.sperm.data,
            vials_used=self.vials_used.data,
            has_donor=bool(self.donor_id.data),
        )) and valid


class InseminationNoteForm(FlaskForm):
    noted_at = DateTimeLocalField(
        "When",
        format=DATETIME_FORMATS,
        validators=[DataRequired("Please enter the date and time of this note.")],
        description="Your own time, when you noticed this.",
    )
    leakage = choice("Leakage", spec.LEAKAGE)
    cramping = choice("Cramping", spec.CRAMPING)
    spotting = BooleanField("Spotting")
    lying_down_minutes = IntegerField(
        "Minutes lying down",
        validators=whole(spec.LYING_DOWN_MINUTES),
    )
    orgasm = BooleanField("Orgasm")
    feelings = StringField(
        "How you feel", validators=text(spec.FEELINGS),
        description="A few words, if you like.",
    )
    note = TextAreaField("Note", validators=text(spec.NOTE_NOTE))
    submit = SubmitField("Save note")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        empty = spec.note_is_empty(
            leakage=self.leakage.data,
            cramping=self.cramping.data,
            spotting=bool(self.spotting.data),
            lying_down_minutes=self.lying_down_minutes.data,
            orgasm=bool(self.orgasm.data),
            feelings=self.feelings.data,
            note=self.note.data,
        )
        if valid and empty:
            self.form_errors.append(spec.NOTE_EMPTY)
            valid = False
        return valid


# --------------------------------------------------------------------------- tests


class PregnancyTestForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField(
        "Time", validators=[Optional()],
        description="For blood tests, it makes the doubling time more exact.",
    )
    kind = choice("Kind of test", spec.TEST_KIND)
    brand = StringField("Brand or lab", validators=text(spec.TEST_BRAND))
    sensitivity_miu = IntegerField(
        "Sensitivity (mIU/mL)",
        validators=whole(spec.SENSITIVITY_MIU),
        description="Home tests only: printed on the box, for example 10 or 25.",
    )
    result = choice("Result", spec.HOME_RESULT)
    hcg_miu = DecimalField(
        "hCG (mIU/mL)",
        places=None,
        validators=amount(spec.HCG_MIU),
        description="Blood tests only: the value on your result.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    note = TextAreaField("Note", validators=text(spec.TEST_NOTE))
    submit = SubmitField("Save test")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.pregnancy_test_problems(
            kind=self.kind.data,
            result=self.result.data,
            hcg_miu=self.hcg_miu.data,
            sensitivity_miu=self.sensitivity_miu.data,
        )) and valid


# --------------------------------------------------------------------------- trying to conceive


class IntercourseForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField("Time", validators=[Optional()], description="If you know it.")
    sperm = choice("Sperm", spec.INTERCOURSE_SPERM)
    note = TextAreaField("Note", validators=text(spec.INTERCOURSE_NOTE))
    submit = SubmitField("Save")


class MedicineForm(FlaskForm):
    medicine = choice("Medicine or supplement", spec.MEDICINE)
    name = StringField(
        "Name or brand", validators=text(spec.MEDICINE_NAME),
        description="For example Ovitrelle, or the name of something else you take.",
    )
    dose = DecimalField(
        "Dose",
        places=None,
        validators=amount(spec.DOSE),
        description="For a trigger shot, the dose decides how long it may show on a pregnancy test.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    dose_unit = choice("Unit", spec.DOSE_UNIT)
    route = choice("How it is taken", spec.ROUTE)
    start_date = DateField(
        "First day", validators=[DataRequired("Please choose the first day."), not_in_future]
    )
    end_date = DateField(
        "Last day", validators=[Optional()],
        description="Leave it empty while you are still taking it. A trigger shot is one day.",
    )
    time = TimeField(
        "Time", validators=[Optional()],
        description="For a trigger shot, the time it was given: ovulation usually follows about 36 hours later.",
    )
    note = TextAreaField("Note", validators=text(spec.MEDICINE_NOTE))
    submit = SubmitField("Save")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.medicine_problems(
            medicine=self.medicine.data,
            name=self.name.data,
            dose=self.dose.data,
            dose_unit=self.dose_unit.data,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
        )) and valid


class ProgesteroneTestForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Please choose the date."), not_in_future])
    time = TimeField("Time", validators=[Optional()])
    kind = choice("Kind of test", spec.PROGESTERONE_TEST_KIND)
    result = choice("Result", spec.PDG_RESULT)
    value = DecimalField(
        "Progesterone",
        places=None,
        validators=amount(spec.PROGESTERONE_VALUE),
        description="Blood tests only: the value on your result.",
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    unit = choice("Unit", spec.PROGESTERONE_UNIT)
    brand = StringField("Brand or lab", validators=text(spec.PROGESTERONE_BRAND))
    note = TextAreaField("Note", validators=text(spec.PROGESTERONE_NOTE))
    submit = SubmitField("Save test")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return add_problems(self, spec.progesterone_test_problems(
            kind=self.kind.data, result=self.result.data, value=self.value.data, unit=self.unit.data
        )) and valid


# --------------------------------------------------------------------------- cycles and more


class CycleOutcomeForm(FlaskForm):
    outcome = choice("How this cycle ended", spec.OUTCOME)
    note = TextAreaField("Note", validators=text(spec.OUTCOME_NOTE))
    submit = SubmitField("Save")


class ConfirmDeleteForm(FlaskForm):
    submit = SubmitField("Yes, delete it")


def decimal_to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())
