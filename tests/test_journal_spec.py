"""journal/spec.py is the one set of rules: the forms and the import accept and refuse alike.

Every case is a record just inside a rule and the same record just outside it. Each goes in
through the real form (the test client) and through the import of a minimal export file; both
must accept the first and refuse the second, and a refused import must save nothing.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.journal_support import Journal, _errors, ago
from webapp.accounts.data import EXPORT_FORMAT, EXPORT_VERSION
from webapp.accounts.models import User
from webapp.encryption import EncryptedText
from webapp.extensions import db
from webapp.fertility.imports import limits
from webapp.journal import spec
from webapp.journal.models import (
    CycleOutcome, Day, Donor, Insemination, InseminationNote, Intercourse, Medicine, PregnancyTest,
    ProgesteroneTest, VialEntry,
)
from webapp.journal.portability import ImportRefused, import_journal, read_export

MODELS = {
    "day": Day, "donor": Donor, "insemination": Insemination, "note": InseminationNote,
    "test": PregnancyTest, "outcome": CycleOutcome, "intercourse": Intercourse, "medicine": Medicine,
    "ptest": ProgesteroneTest, "vial_entry": VialEntry,
}
LISTS = {"day": "days", "donor": "donors", "insemination": "inseminations", "test": "pregnancy_tests",
         "outcome": "cycle_outcomes", "intercourse": "intercourse", "medicine": "medicines",
         "ptest": "progesterone_tests"}
BASE = {
    "day": {"date": ago(1).isoformat(), "bleeding": "light"},
    "donor": {"ref": 1, "kind": "known", "code": "Sam"},
    "insemination": {"date": ago(1).isoformat(), "method": "ici"},
    "note": {"noted_at": f"{ago(2).isoformat()}T11:00", "cramping": "mild"},
    "test": {"date": ago(1).isoformat(), "kind": "home", "result": "negative"},
    "outcome": {"cycle_start": ago(10).isoformat(), "outcome": "chemical"},
    "intercourse": {"date": ago(1).isoformat()},
    "medicine": {"medicine": "letrozole", "start_date": ago(1).isoformat()},
    "ptest": {"date": ago(1).isoformat(), "kind": "pdg_strip", "result": "negative"},
    "vial_entry": {"date": ago(1).isoformat(), "kind": "purchase", "vials": 2},
}
# What each kind of entry needs before it: a donor for vials, an insemination for its notes,
# a period day for a cycle outcome.
BEFORE = {
    "note": [("insemination", {"date": ago(2).isoformat(), "time": "10:00", "method": "ici"})],
    "outcome": [("day", {"date": ago(10).isoformat(), "bleeding": "heavy"})],
    "vial_entry": [("donor", {"ref": 1, "kind": "known", "code": "Sam"})],
}
A_DONOR = [("donor", {"ref": 1, "kind": "known", "code": "Sam"})]


@dataclass
class Case:
    name: str
    kind: str
    inside: dict[str, Any]
    outside: dict[str, Any]
    form_message: str
    import_message: str
    before: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def case(name, kind, inside, outside, form_message, import_message=None, before=()):
    return Case(name, kind, inside, outside, form_message, import_message or form_message, list(before))


def x(count: int) -> str:
    return "x" * count


# --------------------------------------------------------------------------- the table

TEXTS = [
    ("day", "ovulation_test_brand", spec.OVULATION_TEST_BRAND, {"ovulation_test": "negative"}),
    ("day", "mood", spec.MOOD, {}),
    ("day", "note", spec.DAY_NOTE, {}),
    ("donor", "code", spec.DONOR_CODE, {}),
    ("donor", "bank", spec.DONOR_BANK, {}),
    ("donor", "note", spec.DONOR_NOTE, {}),
    ("insemination", "vial_numbers", spec.VIAL_NUMBERS, {}),
    ("insemination", "performed_by", spec.PERFORMED_BY, {}),
    ("insemination", "location", spec.LOCATION, {}),
    ("insemination", "note", spec.INSEMINATION_NOTE, {}),
    ("note", "feelings", spec.FEELINGS, {}),
    ("note", "note", spec.NOTE_NOTE, {}),
    ("test", "brand", spec.TEST_BRAND, {}),
    ("test", "note", spec.TEST_NOTE, {}),
    ("outcome", "note", spec.OUTCOME_NOTE, {}),
    ("intercourse", "note", spec.INTERCOURSE_NOTE, {}),
    ("medicine", "name", spec.MEDICINE_NAME, {}),
    ("medicine", "note", spec.MEDICINE_NOTE, {}),
    ("ptest", "brand", spec.PROGESTERONE_BRAND, {}),
    ("ptest", "note", spec.PROGESTERONE_NOTE, {}),
    ("vial_entry", "bank", spec.VIAL_ENTRY_BANK, {}),
    ("vial_entry", "stored_at", spec.VIAL_ENTRY_STORED_AT, {}),
    ("vial_entry", "note", spec.VIAL_ENTRY_NOTE, {}),
]
WORDS = [
    ("day", "bleeding", spec.BLEEDING, {}),
    ("day", "temperature_disturbance", spec.TEMPERATURE_DISTURBANCE, {"temperature_c": 36.5}),
    ("day", "mucus_feeling", spec.MUCUS_FEELING, {}),
    ("day", "mucus_appearance", spec.MUCUS_APPEARANCE, {}),
    ("day", "cervix_position", spec.CERVIX_POSITION, {}),
    ("day", "cervix_firmness", spec.CERVIX_FIRMNESS, {}),
    ("day", "cervix_opening", spec.CERVIX_OPENING, {}),
    ("day", "ovulation_test", spec.OVULATION_TEST, {}),
    ("donor", "kind", spec.DONOR_KIND, {}),
    ("insemination", "method", spec.INSEMINATION_METHOD, {}),
    ("insemination", "sperm", spec.SPERM, {}),
    ("note", "leakage", spec.LEAKAGE, {}),
    ("note", "cramping", spec.CRAMPING, {}),
    ("test", "kind", spec.TEST_KIND, {"result": None, "hcg_miu": 50}),
    ("test", "result", spec.HOME_RESULT, {}),
    ("outcome", "outcome", spec.OUTCOME, {}),
    ("intercourse", "sperm", spec.INTERCOURSE_SPERM, {}),
    ("medicine", "medicine", spec.MEDICINE, {"name": "Vitamin D"}),
    ("medicine", "dose_unit", spec.DOSE_UNIT, {"dose": 1}),
    ("medicine", "route", spec.ROUTE, {}),
    ("ptest", "kind", spec.PROGESTERONE_TEST_KIND, {"result": None, "value": 5, "unit": "ng_ml"}),
    ("ptest", "result", spec.PDG_RESULT, {}),
    ("ptest", "unit", spec.PROGESTERONE_UNIT, {"kind": "serum", "result": None, "value": 5}),
    ("vial_entry", "kind", spec.VIAL_ENTRY_KIND, {}),
]
FROZEN_WITH_DONOR = {"sperm": "frozen", "donor": 1}
BLOOD = {"kind": "blood", "result": None}
WHOLES = [
    ("donor", "vials_bought", spec.VIALS_BOUGHT, {}, []),
    ("donor", "vials_in_storage", spec.VIALS_IN_STORAGE, {}, []),
    ("insemination", "vials_used", spec.VIALS_USED, FROZEN_WITH_DONOR, A_DONOR),
    ("note", "lying_down_minutes", spec.LYING_DOWN_MINUTES, {}, []),
    ("test", "sensitivity_miu", spec.SENSITIVITY_MIU, {}, []),
    ("vial_entry", "vials", spec.VIAL_ENTRY_VIALS, {"kind": "correction"}, []),
]
SERUM = {"kind": "serum", "result": None, "unit": "ng_ml"}
AMOUNTS = [  # (kind, export key, rule, extra, export value of a form amount)
    ("insemination", "motile_count_millions", spec.MOTILE_COUNT_MILLIONS, {}, 1),
    ("insemination", "cost_cents", spec.COST, {}, 100),
    ("test", "hcg_miu", spec.HCG_MIU, BLOOD, 1),
    ("medicine", "dose", spec.DOSE, {"dose_unit": "mg"}, 1),
    ("ptest", "value", spec.PROGESTERONE_VALUE, {"kind": "serum", "result": None, "unit": "ng_ml"}, 1),
    ("vial_entry", "cost_cents", spec.VIAL_ENTRY_COST, {}, 100),
]

CASES: list[Case] = []
for kind, key, rule, extra in TEXTS:
    CASES.append(case(
        f"{kind} {key} length", kind, {**extra, key: x(rule.max_length)}, {**extra, key: x(rule.max_length + 1)},
        f"Field cannot be longer than {rule.max_length} characters",
        f"“{key}” is longer than {rule.max_length} characters",
    ))
    CASES.append(case(
        f"{kind} {key} NUL", kind, {**extra, key: "a b"}, {**extra, key: "a\x00b"},
        "invisible NUL character", "invisible NUL character",
    ))
for kind, key, rule, extra in WORDS:
    CASES.append(case(
        f"{kind} {key} word", kind, {**extra, key: list(rule.allowed)[-1]}, {**extra, key: "zzz"},
        "Not a valid choice", f"“{key}” must be one of",
    ))
CASES.append(case(
    "day symptoms words", "day", {"symptoms": list(spec.SYMPTOMS.allowed)}, {"symptoms": ["cramps", "zzz"]},
    "not a valid choice", "“symptoms” must be a list of",
))
for kind, key, rule, extra, before in WHOLES:
    CASES.append(case(
        f"{kind} {key} highest", kind, {**extra, key: rule.high}, {**extra, key: rule.high + 1},
        rule.message, f"“{key}” must be a whole number from {rule.low} to {rule.high}", before,
    ))
    CASES.append(case(
        f"{kind} {key} lowest", kind, {**extra, key: rule.low}, {**extra, key: rule.low - 1},
        rule.message, f"“{key}” must be a whole number from {rule.low} to {rule.high}", before,
    ))
for kind, key, rule, extra, scale in AMOUNTS:
    cents = scale == 100
    refused = f"“{key}” must be a whole number from" if cents else f"“{key}” must be from {rule.low} to {rule.high}"
    CASES.append(case(
        f"{kind} {key} highest", kind, {**extra, key: rule.high * scale},
        {**extra, key: rule.high * scale + 1 if cents else rule.high + 0.01}, rule.message, refused,
    ))
    CASES.append(case(
        f"{kind} {key} lowest", kind, {**extra, key: rule.low * scale},
        {**extra, key: rule.low * scale - 1 if cents else rule.low - 0.01}, rule.message, refused,
    ))
CASES += [
    case("day temperature highest", "day", {"temperature_c": float(spec.TEMPERATURE_HIGH_C)},
         {"temperature_c": float(spec.TEMPERATURE_HIGH_C) + 0.01}, "°C is outside 34–43 °C", "must be from 34 to 43"),
    case("day temperature lowest", "day", {"temperature_c": float(spec.TEMPERATURE_LOW_C)},
         {"temperature_c": float(spec.TEMPERATURE_LOW_C) - 0.01}, "°C is outside 34–43 °C", "must be from 34 to 43"),
    case("day date latest", "day", {"date": spec.latest_allowed_date().isoformat()},
         {"date": (spec.latest_allowed_date() + timedelta(days=1)).isoformat()}, spec.FUTURE_DATE),
    case("day date earliest", "day", {"date": spec.earliest_allowed_date().isoformat()},
         {"date": (spec.earliest_allowed_date() - timedelta(days=1)).isoformat()}, spec.ANCIENT_DATE),
    case("insemination date latest", "insemination", {"date": spec.latest_allowed_date().isoformat()},
         {"date": (spec.latest_allowed_date() + timedelta(days=1)).isoformat()}, spec.FUTURE_DATE),
    case("test date earliest", "test", {"date": spec.earliest_allowed_date().isoformat()},
         {"date": (spec.earliest_allowed_date() - timedelta(days=1)).isoformat()}, spec.ANCIENT_DATE),
    case("donor code required", "donor", {"code": "S"}, {"code": "  "},
         spec.DONOR_CODE.required or "", "“code” is empty"),
    # Cross-field rules: the very same message through both doors.
    case("disturbance needs a temperature", "day", {"temperature_disturbance": "alcohol", "temperature_c": 36.5},
         {"temperature_disturbance": "alcohol"}, "There is no temperature to mark as disturbed"),
    case("temperature time needs a temperature", "day", {"temperature_time": "06:30", "temperature_c": 36.5},
         {"temperature_time": "06:30"}, "There is a time but no temperature"),
    case("not a period needs bleeding", "day", {"not_period": True},
         {"not_period": True, "bleeding": None}, "There is no bleeding to mark as not a period"),
    case("not a period does not start a cycle", "day", {"not_period": True},
         {"not_period": True, "starts_cycle": True}, "cannot also start a cycle"),
    case("brand needs a result", "day", {"ovulation_test_brand": "Clearblue", "ovulation_test": "peak"},
         {"ovulation_test_brand": "Clearblue"}, "There is a brand but no ovulation test result"),
    case("a day needs a sign", "day", {"bleeding": None, "mood": "calm"},
         {"bleeding": None, "ovulation_test_brand": None}, spec.DAY_EMPTY),
    case("a bank donor needs the bank", "donor", {"kind": "bank", "bank": "Nordic"},
         {"kind": "bank"}, "Please enter the bank this donor's vials come from"),
    case("storage at most bought", "donor", {"vials_bought": 5, "vials_in_storage": 5},
         {"vials_bought": 5, "vials_in_storage": 6}, "more vials in storage (6) than bought (5)"),
    case("the same donor twice", "donor", {"ref": 2, "code": "Alex"}, {"ref": 2, "code": "SAM"},
         spec.DUPLICATE_DONOR, "is in the file twice", before=A_DONOR),
    case("fresh sperm has no vials", "insemination", {"sperm": "frozen", "vials_used": 1, "donor": 1},
         {"sperm": "fresh", "vials_used": 1, "donor": 1}, "Fresh sperm does not come in vials", before=A_DONOR),
    case("vials need a donor", "insemination", {"vials_used": 1, "donor": 1},
         {"vials_used": 1}, "Please choose whose vials you used", before=A_DONOR),
    case("a note is after its insemination", "note", {"noted_at": f"{ago(2).isoformat()}T10:00"},
         {"noted_at": f"{ago(2).isoformat()}T09:59"}, "This is before the insemination"),
    case("a note is within a year", "note",
         {"noted_at": f"{(ago(2) + timedelta(days=spec.NOTE_DAYS_AFTER_MAX)).isoformat()}T10:00"},
         {"noted_at": f"{(ago(2) + timedelta(days=spec.NOTE_DAYS_AFTER_MAX + 1)).isoformat()}T10:00"},
         "more than a year after the insemination"),
    case("a note needs something", "note", {"cramping": None, "spotting": True},
         {"cramping": None, "spotting": False}, spec.NOTE_EMPTY),
    case("a home test needs a result", "test", {"result": "faint"}, {"result": None},
         "Please choose the result of the home test"),
    case("a home test has no hCG", "test", {}, {"hcg_miu": 50}, "An hCG value comes from a blood test"),
    case("a blood test needs hCG", "test", {**BLOOD, "hcg_miu": 0}, BLOOD, "Please enter the hCG value"),
    case("a blood test has no line", "test", {**BLOOD, "hcg_miu": 50},
         {**BLOOD, "hcg_miu": 50, "result": "faint"}, "A blood test gives a value rather than a line"),
    case("sensitivity is for home tests", "test", {"sensitivity_miu": 25},
         {**BLOOD, "hcg_miu": 50, "sensitivity_miu": 25}, "Sensitivity is for home tests"),
    # Trying to conceive: intercourse, medicines, progesterone tests, the vial ledger.
    case("intercourse date latest", "intercourse", {"date": spec.latest_allowed_date().isoformat()},
         {"date": (spec.latest_allowed_date() + timedelta(days=1)).isoformat()}, spec.FUTURE_DATE),
    case("medicine first day latest", "medicine", {"start_date": spec.latest_allowed_date().isoformat()},
         {"start_date": (spec.latest_allowed_date() + timedelta(days=1)).isoformat()}, spec.FUTURE_DATE),
    case("something else needs its name", "medicine", {"medicine": "other", "name": "Vitamin D"},
         {"medicine": "other"}, "Please type the name of the medicine"),
    case("a dose needs its unit", "medicine", {"dose": 1, "dose_unit": "mg"}, {"dose": 1},
         "Please choose the unit of the dose"),
    case("a unit needs its dose", "medicine", {"dose": 1, "dose_unit": "mg"}, {"dose_unit": "mg"},
         "There is a unit but no dose"),
    case("a course ends after it starts", "medicine", {"start_date": ago(2).isoformat(), "end_date": ago(2).isoformat()},
         {"start_date": ago(2).isoformat(), "end_date": ago(3).isoformat()}, "The last day is before the first day"),
    case("a course within a year", "medicine", {"end_date": (ago(1) + timedelta(days=spec.COURSE_DAYS_MAX)).isoformat()},
         {"end_date": (ago(1) + timedelta(days=spec.COURSE_DAYS_MAX + 1)).isoformat()}, "more than a year of it"),
    case("a trigger shot is one day", "medicine", {"medicine": "hcg_trigger", "end_date": ago(1).isoformat()},
         {"medicine": "hcg_trigger", "end_date": ago(0).isoformat()}, "A trigger shot is given on one day"),
    case("a PdG strip needs a result", "ptest", {"result": "positive"}, {"result": None},
         "Please choose the result of the PdG strip"),
    case("a PdG strip has no value", "ptest", {}, {"value": 5}, "A progesterone value comes from a blood test"),
    case("serum needs a value", "ptest", {**SERUM, "value": 0}, SERUM, "Please enter the progesterone value"),
    case("serum needs a unit", "ptest", {**SERUM, "value": 5}, {**SERUM, "value": 5, "unit": None},
         "Please choose the unit on your result"),
    case("serum has no line", "ptest", {**SERUM, "value": 5}, {**SERUM, "value": 5, "result": "positive"},
         "A blood test gives a value rather than a line"),
    case("a purchase needs vials", "vial_entry", {"vials": 1}, {"vials": 0}, "Please enter how many vials you bought"),
    case("only a correction takes vials away", "vial_entry", {"kind": "correction", "vials": -1},
         {"kind": "shipment", "vials": -1}, "Only a correction can take vials away"),
    case("a ledger entry is not in the future", "vial_entry", {"date": spec.latest_allowed_date().isoformat()},
         {"date": (spec.latest_allowed_date() + timedelta(days=1)).isoformat()}, spec.FUTURE_DATE),
]


# --------------------------------------------------------------------------- the two doors


def new_person(app, email: str) -> int:
    """A person straight in the database: the table needs many, and hashing a password is slow."""
    with app.app_context():
        user = User(email=email, password_hash="!")  # no password matches "!"
        db.session.add(user)
        db.session.commit()
        return user.id


def signed_in_journal(app, email: str) -> Journal:
    """Registered and signed in through the real form (a server-side session; the tests' hash
    is cheap)."""
    return Journal(app, app.test_client(), email).register()


def form_data(kind: str, record: dict[str, Any], donor_ids: dict[int, int]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "y"
        elif key == "temperature_c":
            data["temperature"], data["temperature_unit"] = f"{value:.2f}", "C"
        elif key == "donor":
            data["donor_id"] = str(donor_ids[value])
        elif key == "cost_cents":
            data["cost"] = f"{value / 100:.2f}"
        elif key == "ref":
            continue
        else:
            data[key] = value if isinstance(value, list) else str(value)
    if kind == "insemination":
        data.setdefault("donor_id", "0")
    if kind == "day":
        data.setdefault("temperature_unit", "C")
    return data


def submit(journal: Journal, kind: str, record: dict[str, Any], made: dict[str, Any]):
    """Post one record through its form; ``made`` holds the ids of what came before."""
    data = form_data(kind, record, made.setdefault("donors", {}))
    if kind == "note":
        url = f"/journal/inseminations/{made['insemination']}/notes/new"
    elif kind == "outcome":
        start = date.fromisoformat(record["cycle_start"])
        url = f"/journal/cycles/{journal.day_id(start)}/outcome"
    elif kind == "vial_entry":
        url = f"/journal/donors/{made['donors'][1]}/vials/new"
    else:
        url = {"day": "/journal/days/new", "donor": "/journal/donors/new", "test": "/journal/tests/new",
               "insemination": "/journal/inseminations/new", "intercourse": "/journal/intercourse/new",
               "medicine": "/journal/medicines/new", "ptest": "/journal/progesterone/new"}[kind]
    response = journal.client.post(url, data=data)
    if response.status_code == 302 and kind == "insemination":
        made["insemination"] = int(response.headers["Location"].rsplit("/", 1)[1])
    if response.status_code == 302 and kind == "donor":
        with journal.app.app_context():
            made["donors"][record["ref"]] = db.session.scalar(
                select(Donor.id).where(Donor.user_id == journal.user_id).order_by(Donor.id.desc())
            )
    return response


def export_file(records: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    journal: dict[str, list] = {name: [] for name in LISTS.values()}
    for kind, record in records:
        record = {key: value for key, value in record.items() if value is not None}
        if kind == "note":
            journal["inseminations"][-1].setdefault("notes", []).append(record)
        elif kind == "vial_entry":
            journal["donors"][-1].setdefault("vial_ledger", []).append(record)
        else:
            journal[LISTS[kind]].append(record)
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "journal": journal}


def rows_of(app, user_id: int, *kinds: str) -> int:
    """A person's rows (of these kinds of entry; of every kind without any)."""
    with app.app_context():
        return sum(
            len(db.session.scalars(select(model.id).where(model.user_id == user_id)).all())
            for kind, model in MODELS.items() if not kinds or kind in kinds
        )


def try_import(app, email: str, data: dict[str, Any]) -> str | None:
    """Import ``data`` for a new person as the import page does; the refusal's message, or None."""
    user_id = new_person(app, email)
    with app.app_context():
        person = db.session.get(User, user_id)
        try:
            import_journal(person, read_export(json.dumps(data).encode()))
        except ImportRefused as refused:
            db.session.rollback()
            assert rows_of(app, user_id) == 0
            return str(refused)
        db.session.commit()
    assert rows_of(app, user_id) > 0
    return None


def full(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {**BASE[kind], **values}


@pytest.mark.parametrize("rule", CASES, ids=[c.name for c in CASES])
def test_forms_and_import_accept_and_refuse_alike(app, rule: Case):
    before = BEFORE.get(rule.kind, []) + rule.before
    inside, outside = full(rule.kind, rule.inside), full(rule.kind, rule.outside)

    journal = signed_in_journal(app, "form@example.org")
    made: dict[str, Any] = {}
    for kind, record in before:
        assert submit(journal, kind, full(kind, record), made).status_code == 302
    saved, own = rows_of(app, journal.user_id), rows_of(app, journal.user_id, rule.kind)
    refused = submit(journal, rule.kind, outside, made)
    assert refused.status_code == 200, f"the form accepted {outside}"
    assert rule.form_message in html.unescape(refused.get_data(as_text=True)), _errors(refused)
    assert rows_of(app, journal.user_id) == saved
    accepted = submit(journal, rule.kind, inside, made)
    assert accepted.status_code == 302, _errors(accepted)
    # One more entry of its kind (a new donor's count so far adds opening ledger entries too).
    assert rows_of(app, journal.user_id, rule.kind) == own + 1

    head = [(kind, full(kind, record)) for kind, record in before]
    message = try_import(app, "refused@example.org", export_file([*head, (rule.kind, outside)]))
    assert message is not None, f"the import accepted {outside}"
    assert rule.import_message in message and message.endswith("Nothing was imported.")
    assert try_import(app, "accepted@example.org", export_file([*head, (rule.kind, inside)])) is None


# --------------------------------------------------------------------------- the rules themselves


def test_the_table_covers_every_rule_in_spec():
    rules = {name for name, value in vars(spec).items() if isinstance(value, (spec.Text, spec.Words, spec.Whole, spec.Amount))}
    covered = {name for name, value in vars(spec).items() if any(
        value is rule for entry in (*TEXTS, *WORDS, *WHOLES, *AMOUNTS) for rule in entry[2:3]
    )}
    # Shared rules are one object under several names. Symptoms have their own case; the
    # typed temperature and its unit are form-only (the export holds °C), covered by the
    # temperature cases.
    form_only = {"SYMPTOMS", "TEMPERATURE_TYPED", "TEMPERATURE_UNIT"}
    aliases = {name for name in rules if any(vars(spec)[name] is vars(spec)[other] for other in covered)}
    assert rules - covered - aliases - form_only == set()


def test_text_limits_fit_their_columns():
    columns = {
        (Day, "ovulation_test_brand"): spec.OVULATION_TEST_BRAND, (Day, "mood"): spec.MOOD,
        (Donor, "code"): spec.DONOR_CODE, (Donor, "bank"): spec.DONOR_BANK,
        (Insemination, "vial_numbers"): spec.VIAL_NUMBERS, (Insemination, "performed_by"): spec.PERFORMED_BY,
        (Insemination, "location"): spec.LOCATION, (InseminationNote, "feelings"): spec.FEELINGS,
        (PregnancyTest, "brand"): spec.TEST_BRAND,
    }
    for (model, name), rule in columns.items():
        column_type = model.__table__.c[name].type
        # Encrypted columns are Text (the ciphertext is longer); the type keeps the plaintext's limit.
        assert isinstance(column_type, EncryptedText) and column_type.max_length == rule.max_length, (model, name)


def test_the_other_apps_importers_use_the_same_limits():
    # webapp.fertility.imports may not import the journal, so it repeats these values.
    assert limits.FUTURE_DAYS_ALLOWED == spec.FUTURE_DAYS_ALLOWED
    assert limits.NOTE_MAX_CHARACTERS == spec.NOTE.max_length
    assert limits.TEMPERATURE_MIN_CENTI == int(spec.TEMPERATURE_LOW_C * 100)
    assert limits.TEMPERATURE_MAX_CENTI == int(spec.TEMPERATURE_HIGH_C * 100)
    # Stricter is fine: whatever they bring in, the journal's own forms would take.
    assert limits.EARLIEST_DATE >= spec.earliest_allowed_date()


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf"])
@pytest.mark.parametrize(
    ("url", "fields", "name", "message"),
    [
        ("/journal/inseminations/new", {"method": "ici", "donor_id": "0"}, "cost", spec.COST.message),
        ("/journal/inseminations/new", {"method": "ici", "donor_id": "0"}, "motile_count_millions",
         spec.MOTILE_COUNT_MILLIONS.message),
        ("/journal/tests/new", {"kind": "blood"}, "hcg_miu", spec.HCG_MIU.message),
    ],
    ids=["cost", "motile", "hcg"],
)
def test_decimal_fields_refuse_nan_and_infinity(app, typed, url, fields, name, message):
    journal = signed_in_journal(app, "decimals@example.org")
    response = journal.client.post(url, data={"date": ago(1).isoformat(), **fields, name: typed})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert rows_of(app, journal.user_id) == 0


def test_the_demo_journal_survives_its_own_export(app):
    from webapp.accounts.data import export_user_data
    from webapp.journal.demo import demo_plan, write_plan

    demo = new_person(app, "demo-copy@example.org")
    with app.app_context():
        write_plan(demo, demo_plan(ago(0)))
        db.session.commit()
        exported = json.loads(json.dumps(export_user_data(db.session.get(User, demo))))
    assert try_import(app, "restored@example.org", exported) is None


def test_a_note_timed_ahead_of_today_is_fine_through_both_doors(app):
    tomorrow = datetime.combine(ago(-1), datetime.min.time()).replace(hour=8)
    rule = case("ahead", "note", {"noted_at": tomorrow.isoformat(timespec="minutes")}, {}, "")
    records = [*BEFORE["note"], ("note", full("note", rule.inside))]
    assert try_import(app, "ahead@example.org", export_file(records)) is None
