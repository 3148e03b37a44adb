"""Validation: future dates, temperatures, impossible combinations, limits on every field;
a failed form keeps what was typed and saves nothing."""

from datetime import datetime, timedelta

import pytest
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, NumberRange

from tests.journal_support import ago, journal  # noqa: F401
from webapp.journal.forms import FUTURE_DAYS_ALLOWED
from webapp.clock import today
from webapp.journal import forms as journal_forms
from webapp.fertility.formatting import (
    TemperatureError,
    days_phrase,
    parse_temperature,
    temperature_text,
    temperature_value,
    time_after,
)

FORMS = [
    journal_forms.DayForm,
    journal_forms.DonorForm,
    journal_forms.InseminationForm,
    journal_forms.InseminationNoteForm,
    journal_forms.PregnancyTestForm,
    journal_forms.CycleOutcomeForm,
    journal_forms.ConfirmDeleteForm,
]


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("typed", "unit", "centi"),
    [
        ("36.45", "C", 3645),
        ("36,45", "C", 3645),
        (" 36.5 ", "C", 3650),
        ("36.456", "C", 3646),
        ("36.455", "C", 3646),  # half up
        ("34", "C", 3400),
        ("43.00", "C", 4300),
        ("36.5°C", "C", 3650),
        ("97.7", "F", 3650),
        ("98.6", "F", 3700),
        ("93.2", "F", 3400),
        ("109.4", "F", 4300),
        ("97,61", "F", 3645),
    ],
)
def test_parse_temperature(typed, unit, centi):
    assert parse_temperature(typed, unit) == centi


@pytest.mark.parametrize(
    ("typed", "unit", "message"),
    [
        ("33.99", "C", "33.99 °C is outside 34–43 °C"),
        ("43.01", "C", "43.01 °C is outside 34–43 °C"),
        ("97.7", "C", "It looks like °F"),
        ("93.1", "F", "93.1 °F is outside 93.2–109.4 °F (34–43 °C)"),
        ("36.5", "F", "36.5 °F is outside"),
        ("warm", "C", "as a number"),
        ("36.5.1", "C", "as a number"),
        ("-36", "C", "as a number"),
        ("", "C", "as a number"),
        ("1e2", "C", "as a number"),
    ],
)
def test_temperatures_outside_the_range_are_refused_with_the_reason(typed, unit, message):
    with pytest.raises(TemperatureError) as raised:
        parse_temperature(typed, unit)
    assert message in str(raised.value)


def test_temperatures_read_back_in_either_unit():
    assert temperature_value(3645, "C") == "36.45"
    assert temperature_value(3650, "F") == "97.70"
    assert temperature_text(3645, "C") == "36.45 °C"
    assert temperature_text(3700, "F") == "98.60 °F"
    assert temperature_text(None, "C") == ""
    for centi in range(3400, 4301, 7):  # °F shown with two decimals converts back exactly
        assert parse_temperature(temperature_value(centi, "F"), "F") == centi


@pytest.mark.parametrize(
    ("minutes", "phrase"),
    [(0, "At the time"), (1, "1 minute after"), (20, "20 minutes after"), (60, "1 hour after"),
     (150, "2 hours after"), (60 * 23 + 59, "23 hours after"), (60 * 24, "1 day after"),
     (60 * 24 * 3 + 5, "3 days after"), (-5, "Before the insemination")],
)
def test_time_after_an_insemination(minutes, phrase):
    start = datetime(2026, 5, 3, 10, 0)
    assert time_after(start, start + timedelta(minutes=minutes)) == phrase


def test_time_after_an_insemination_without_a_time_counts_days():
    start = datetime(2026, 5, 3)
    assert time_after(start, datetime(2026, 5, 3, 22, 0), start_has_time=False) == "The same day"
    assert time_after(start, datetime(2026, 5, 4, 1, 0), start_has_time=False) == "1 day after"
    assert time_after(start, datetime(2026, 5, 6, 1, 0), start_has_time=False) == "3 days after"


def test_days_phrase():
    assert days_phrase(9, "ovulation") == "9 days past ovulation"
    assert days_phrase(1, "insemination") == "1 day past insemination"
    assert days_phrase(0, "insemination") == "the day of insemination"
    assert days_phrase(None, "insemination") == ""


# --------------------------------------------------------------------------- every field has a limit


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_field_has_a_limit(app, form_class):
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        for field in form:
            kinds = {type(v) for v in field.validators}
            if isinstance(field, (StringField, TextAreaField)) and not isinstance(field, (DateField, TimeField, DateTimeLocalField)):
                lengths = [v for v in field.validators if isinstance(v, Length)]
                assert lengths and lengths[0].max > 0, f"{form_class.__name__}.{field.name} needs Length(max=...)"
            if isinstance(field, (IntegerField, DecimalField)):
                assert NumberRange in kinds, f"{form_class.__name__}.{field.name} needs NumberRange"


# --------------------------------------------------------------------------- days


def test_a_future_date_is_refused_and_nothing_is_saved(journal):
    too_far = today() + timedelta(days=FUTURE_DAYS_ALLOWED + 1)
    response = journal.log_day(too_far, expect=200, temperature="36.5", note="typed words stay")
    page = response.get_data(as_text=True)
    assert "That date is in the future" in page
    assert 'class="error-summary"' in page
    assert "typed words stay" in page and 'value="36.5"' in page
    assert journal.counts()["journal_day"] == 0
    journal.log_day(today(), temperature="36.5")  # today itself is fine


def test_a_date_far_in_the_past_is_questioned(journal):
    response = journal.log_day(today().replace(year=today().year - 80), expect=200, temperature="36.5")
    assert "Please check the year" in response.get_data(as_text=True)


def test_a_temperature_outside_34_to_43_is_refused_with_the_reason(journal):
    response = journal.log_day(ago(1), expect=200, temperature="45.2", note="keep me")
    page = response.get_data(as_text=True)
    assert "45.2 °C is outside 34–43 °C" in page
    assert 'aria-invalid="true"' in page
    assert 'id="temperature-error"' in page
    assert "keep me" in page
    assert journal.counts()["journal_day"] == 0


def test_fahrenheit_typed_as_celsius_gets_a_hint(journal):
    page = journal.log_day(ago(1), expect=200, temperature="97.9").get_data(as_text=True)
    assert "It looks like °F" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"temperature_disturbance": "alcohol"}, "There is no temperature to mark as disturbed"),
        ({"temperature_time": "06:30", "bleeding": "light"}, "There is a time but no temperature"),
        ({"not_period": "y"}, "There is no bleeding to mark as not a period"),
        ({"bleeding": "spotting", "not_period": "y", "starts_cycle": "y"}, "cannot also start a cycle"),
        ({"ovulation_test_brand": "Clearblue"}, "There is a brand but no ovulation test result"),
        ({}, "There is nothing to save yet"),
        ({"mucus_feeling": "sticky"}, "Not a valid choice"),
        ({"symptoms": ["cramps", "hiccups"]}, "not a valid choice"),
        ({"temperature_unit": "K", "temperature": "36.5"}, "Not a valid choice"),
        ({"note": "x" * 4001}, "Field cannot be longer than 4000 characters"),
        ({"mood": "x" * 81}, "Field cannot be longer than 80 characters"),
    ],
)
def test_impossible_day_combinations_are_explained(journal, fields, message):
    page = journal.log_day(ago(1), expect=200, **fields).get_data(as_text=True)
    assert message.lower() in page.lower()
    assert journal.counts()["journal_day"] == 0


def test_an_edit_that_fails_changes_nothing(app, journal):
    journal.log_day(ago(1), temperature="36.5", note="original")
    day_id = journal.day_id(ago(1))
    journal.post(
        f"/journal/days/{day_id}/edit",
        {"date": ago(1).isoformat(), "temperature": "50", "temperature_unit": "C", "note": "changed"},
        expect=200,
    )
    page = journal.page(f"/journal/days/{day_id}")
    assert "36.50 °C" in page and "original" in page and "changed" not in page


# --------------------------------------------------------------------------- other entries


def test_insemination_validation(journal):
    future = (today() + timedelta(days=FUTURE_DAYS_ALLOWED + 1)).isoformat()
    page = journal.post("/journal/inseminations/new", {"date": future, "method": "ici", "donor_id": "0"}, expect=200)
    assert "That date is in the future" in page.get_data(as_text=True)
    page = journal.post("/journal/inseminations/new", {"date": ago(1).isoformat(), "donor_id": "0"}, expect=200)
    assert "Please choose how the insemination was done" in page.get_data(as_text=True)
    donor = journal.donor(vials_in_storage=3)
    page = journal.post(
        "/journal/inseminations/new",
        {"date": ago(1).isoformat(), "method": "ici", "sperm": "fresh", "donor_id": str(donor), "vials_used": "1"},
        expect=200,
    )
    assert "Fresh sperm does not come in vials" in page.get_data(as_text=True)
    page = journal.post(
        "/journal/inseminations/new",
        {"date": ago(1).isoformat(), "method": "ici", "donor_id": "0", "vials_used": "1"},
        expect=200,
    )
    assert "Please choose whose vials you used" in page.get_data(as_text=True)
    page = journal.post(
        "/journal/inseminations/new",
        {"date": ago(1).isoformat(), "method": "ici", "donor_id": "0", "motile_count_millions": "5000"},
        expect=200,
    )
    assert "Please enter 0 to 1000 million" in page.get_data(as_text=True)
    assert journal.counts()["insemination"] == 0


def test_a_note_before_its_insemination_is_refused_but_a_later_one_is_fine(journal):
    insemination = journal.insemination(ago(1), time="10:30")
    day = ago(1).isoformat()
    page = journal.note(insemination, f"{day}T10:00", expect=200, leakage="a_little").get_data(as_text=True)
    assert "This is before the insemination" in page
    assert journal.counts()["insemination_note"] == 0
    tomorrow = (today() + timedelta(days=1)).isoformat()
    journal.note(insemination, f"{tomorrow}T08:00", leakage="none")  # notes may be timed ahead
    empty = journal.note(insemination, f"{day}T11:00", expect=200).get_data(as_text=True)
    assert "There is nothing to save yet" in empty
    assert journal.counts()["insemination_note"] == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "home"}, "Please choose the result of the home test"),
        ({"kind": "home", "result": "positive", "hcg_miu": "50"}, "An hCG value comes from a blood test"),
        ({"kind": "blood"}, "Please enter the hCG value"),
        ({"kind": "blood", "hcg_miu": "50", "result": "faint"}, "A blood test gives a value"),
        ({"kind": "blood", "hcg_miu": "50", "sensitivity_miu": "25"}, "Sensitivity is for home tests"),
        ({"kind": "home", "result": "negative", "sensitivity_miu": "500"}, "Please enter 1 to 100 mIU/mL"),
        ({"kind": "blood", "hcg_miu": "-1"}, "Please enter 0 to 500000 mIU/mL"),
        ({"kind": "blood", "hcg_miu": "lots"}, "Not a valid decimal value"),
        ({"kind": ""}, "Please choose a home test or a blood test"),
    ],
)
def test_pregnancy_test_combinations_are_explained(journal, fields, message):
    page = journal.test(ago(1), expect=200, **fields).get_data(as_text=True)
    assert message in page
    assert journal.counts()["pregnancy_test"] == 0


def test_donor_validation(journal):
    response = journal.post("/journal/donors/new", {"kind": "bank", "code": "X1", "bank": ""}, expect=200)
    assert "Please enter the bank" in response.get_data(as_text=True)
    response = journal.post(
        "/journal/donors/new",
        {"kind": "known", "code": "Sam", "vials_bought": "2", "vials_in_storage": "5"},
        expect=200,
    )
    assert "more vials in storage (5) than bought (2)" in response.get_data(as_text=True)
    journal.donor(code="Sam", kind="known", bank="")
    response = journal.post("/journal/donors/new", {"kind": "known", "code": "sam"}, expect=200)
    assert "You already have this donor" in response.get_data(as_text=True)
    assert journal.counts()["donor"] == 1
