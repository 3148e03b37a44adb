"""The one-tap morning log on the journal home: today's temperature, bleeding and mucus.

It saves into the person's one row for today (their own date: local_time), adding it or changing
only what the short form says; anything left blank stays as it was. Two saves of the same
morning never make two rows: the unique (user_id, date) constraint settles a race between two
requests, and the loser changes the winner's row instead.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import RadioField, SelectField, StringField, SubmitField, TimeField
from wtforms import SelectChoice  # type: ignore[attr-defined]  # missing from types-WTForms 3.2.1
from wtforms.validators import Length, Optional

from ..extensions import db
from ..fertility import vocabulary as v
from ..fertility.formatting import TemperatureError, parse_temperature, temperature_value
from . import queries
from .forms import errors_of
from .models import Day

NO_BLEEDING = "none"
SHORT_FEELINGS = {"dry": "Dry", "nothing": "Nothing", "wet": "Wet", "slippery": "Slippery"}
SHORT_APPEARANCES = {"nothing": "Nothing seen", "creamy": "Creamy", "egg_white": "Egg white"}


def optional_str(value) -> str:
    return "" if value is None else str(value)


def chips(label: str, options: dict[str, str]) -> RadioField:
    # Nothing chosen means "leave it as it is", so a chip group starts empty.
    return RadioField(
        label,
        choices=[SelectChoice(value, text) for value, text in options.items()],
        default="",
        coerce=optional_str,
        validate_choice=False,
        validators=[Length(max=20)],
    )


class MorningForm(FlaskForm):
    temperature = StringField(
        "Temperature",
        validators=[Optional(), Length(max=10)],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "size": 6},
    )
    temperature_time = TimeField("Time", validators=[Optional()])
    temperature_disturbance = SelectField(
        "Disturbed?",
        choices=[SelectChoice("", "No"), *(SelectChoice(key, text) for key, text in v.DISTURBANCES.items())],
        default="",
        coerce=optional_str,
        validate_choice=False,
        validators=[Length(max=20)],
    )
    bleeding = chips("Bleeding", {NO_BLEEDING: "None", **v.BLEEDING})
    mucus_feeling = chips("Mucus: how it felt", SHORT_FEELINGS)
    mucus_appearance = chips("Mucus: what you saw", SHORT_APPEARANCES)
    submit = SubmitField("Save")

    temperature_centi: int | None = None

    def __init__(self, *args, unit: str = "C", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.temperature.label.text = f"Temperature (°{unit})"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        allowed = {
            self.bleeding: {NO_BLEEDING, *v.BLEEDING},
            self.mucus_feeling: set(SHORT_FEELINGS),
            self.mucus_appearance: set(SHORT_APPEARANCES),
            self.temperature_disturbance: set(v.DISTURBANCES),
        }
        for field, values in allowed.items():
            if field.data and field.data not in values:
                errors_of(field).append("Please choose one of the options.")
                valid = False
        self.temperature_centi = None
        text = (self.temperature.data or "").strip()
        if text and not self.temperature.errors:
            try:
                self.temperature_centi = parse_temperature(text, self.unit)
            except TemperatureError as error:
                errors_of(self.temperature).append(str(error))
                valid = False
        if not text and (self.temperature_time.data or self.temperature_disturbance.data):
            errors_of(self.temperature).append("Please enter the temperature that goes with the time or the disturbance.")
            valid = False
        if valid and not self.has_something():
            self.form_errors.append("There is nothing to save yet: enter your temperature or tap a chip.")
            valid = False
        return valid

    def has_something(self) -> bool:
        return any(
            (self.temperature_centi is not None, self.bleeding.data, self.mucus_feeling.data, self.mucus_appearance.data)
        )


def morning_form_data(day: Day | None, unit: str) -> dict:
    """Today's entry as the short form shows it (so saving it again changes nothing)."""
    if day is None:
        return {}
    return {
        "temperature": temperature_value(day.temperature_centi, unit),
        "temperature_time": day.temperature_time,
        "temperature_disturbance": day.temperature_disturbance or "",
        "bleeding": day.bleeding or NO_BLEEDING,  # a row without bleeding: none that day
        "mucus_feeling": day.mucus_feeling or "",
        "mucus_appearance": day.mucus_appearance or "",
    }


def apply_morning(form: MorningForm, day: Day) -> None:
    if form.temperature_centi is not None:
        day.temperature_centi = form.temperature_centi
        day.temperature_time = form.temperature_time.data
        day.temperature_disturbance = form.temperature_disturbance.data or None
    if form.bleeding.data == NO_BLEEDING:
        day.bleeding = None
        day.not_period = False
    elif form.bleeding.data:
        day.bleeding = form.bleeding.data
    if form.mucus_feeling.data:
        day.mucus_feeling = form.mucus_feeling.data
    if form.mucus_appearance.data:
        day.mucus_appearance = form.mucus_appearance.data


def save_morning(user_id: int, when: date, form: MorningForm) -> Day:
    """Add today's row or change it; if another request added it first, change that one."""
    day = queries.day_by_date(user_id, when)
    if day is None:
        day = Day(user_id=user_id, date=when)
        db.session.add(day)
    apply_morning(form, day)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        day = queries.day_by_date(user_id, when)
        if day is None:  # not the unique date after all: let the error show
            raise
        apply_morning(form, day)
        db.session.commit()
    return day
