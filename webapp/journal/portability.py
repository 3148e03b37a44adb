"""Export a person's whole account and journal as JSON, and import that JSON back.

"Download my data" in the account settings serves :func:`webapp.accounts.data.export_user_data`;
the journal registers its section there (:func:`export_journal`). Import restores a journal from
such a file exactly.

Import is all or nothing: :func:`read_export` and :func:`import_journal` check every value
against the rules the forms use, from :mod:`.spec` (allowed words, lengths, ranges, dates, the
same impossible combinations and messages), refuse any value of the wrong JSON type, and raise
:class:`ImportRefused` with a message for the person at the first problem; the caller then
rolls back, so nothing is saved. Unknown keys are ignored (a newer
file may carry more); a missing or malformed known key is refused. Derived parts of the export
(``cycles``, ``mucus_code``) are there for the person reading the file and are not imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from ..accounts.data import EXPORT_FORMAT, EXPORT_VERSION
from ..accounts.models import User
from ..clock import today_for, utcnow
from ..extensions import db
from ..fertility import vocabulary as v
from ..fertility.cycles import cycles_from_starts, derive_cycle_starts
from ..fertility.formatting import plural
from . import revisions, spec
from ..fertility.vials import opening_entries
from .models import (
    CycleOutcome,
    Day,
    Donor,
    Insemination,
    InseminationNote,
    Intercourse,
    Medicine,
    PregnancyTest,
    ProgesteroneTest,
    VialEntry,
)



def _stamp(value: datetime) -> str:
    """A naive UTC timestamp as ISO 8601 with Z, microseconds kept when present."""
    return value.isoformat() + "Z"


# --------------------------------------------------------------------------- export


def _iso(value: date | time | None) -> str | None:
    return None if value is None else value.isoformat()


def _scalars(query) -> list:
    return list(db.session.scalars(query))


def export_journal(user_id: int) -> dict:
    donors = _scalars(select(Donor).where(Donor.user_id == user_id).order_by(Donor.created_at, Donor.id))
    refs = {donor.id: number for number, donor in enumerate(donors, start=1)}
    days = _scalars(select(Day).where(Day.user_id == user_id).order_by(Day.date))
    inseminations = _scalars(
        select(Insemination)
        .where(Insemination.user_id == user_id)
        .order_by(Insemination.date, Insemination.time, Insemination.id)
    )
    notes: dict[int, list[InseminationNote]] = {}
    for note in _scalars(
        select(InseminationNote)
        .where(InseminationNote.user_id == user_id)
        .order_by(InseminationNote.noted_at, InseminationNote.id)
    ):
        notes.setdefault(note.insemination_id, []).append(note)
    tests = _scalars(
        select(PregnancyTest)
        .where(PregnancyTest.user_id == user_id)
        .order_by(PregnancyTest.date, PregnancyTest.time, PregnancyTest.id)
    )
    outcomes = _scalars(
        select(CycleOutcome).where(CycleOutcome.user_id == user_id).order_by(CycleOutcome.cycle_start)
    )
    starts = derive_cycle_starts(
        [d.date for d in days if d.is_period], [d.date for d in days if d.starts_cycle]
    )
    ledger: dict[int, list[VialEntry]] = {}
    for entry in _scalars(
        select(VialEntry).where(VialEntry.user_id == user_id).order_by(VialEntry.date, VialEntry.id)
    ):
        ledger.setdefault(entry.donor_id, []).append(entry)
    return {
        "temperatures": "°C",
        "cycles": [
            {"start": _iso(c.start), "end": _iso(c.end), "length": c.length}
            for c in cycles_from_starts(starts)
        ],
        "donors": [_export_donor(donor, refs[donor.id], ledger.get(donor.id, [])) for donor in donors],
        "days": [_export_day(day) for day in days],
        "inseminations": [
            _export_insemination(i, refs.get(i.donor_id), notes.get(i.id, [])) for i in inseminations
        ],
        "pregnancy_tests": [_export_test(test) for test in tests],
        "cycle_outcomes": [
            {
                "cycle_start": _iso(o.cycle_start),
                "outcome": o.outcome,
                "note": o.note,
                "created_at": _stamp(o.created_at),
                "updated_at": _stamp(o.updated_at),
            }
            for o in outcomes
        ],
        **_export_ttc(user_id),
    }


def _export_donor(donor: Donor, ref: int, ledger: list[VialEntry]) -> dict:
    return {
        "ref": ref,
        "kind": donor.kind,
        "code": donor.code,
        "bank": donor.bank,
        "note": donor.note,
        "created_at": _stamp(donor.created_at),
        "updated_at": _stamp(donor.updated_at),
        "vial_ledger": [
            {
                "date": _iso(entry.date),
                "kind": entry.kind,
                "vials": entry.vials,
                "cost_cents": entry.cost_cents,
                "bank": entry.bank,
                "stored_at": entry.stored_at,
                "note": entry.note,
                "created_at": _stamp(entry.created_at),
                "updated_at": _stamp(entry.updated_at),
            }
            for entry in ledger
        ],
    }


def _dated(model, user_id: int) -> list:
    return _scalars(select(model).where(model.user_id == user_id).order_by(model.date, model.time, model.id))


def _export_ttc(user_id: int) -> dict:
    """Intercourse, medicines and progesterone tests."""
    medicines = _scalars(
        select(Medicine).where(Medicine.user_id == user_id).order_by(Medicine.start_date, Medicine.id)
    )
    return {
        "intercourse": [
            {
                "date": _iso(i.date), "time": _iso(i.time), "sperm": i.sperm, "note": i.note,
                "created_at": _stamp(i.created_at), "updated_at": _stamp(i.updated_at),
            }
            for i in _dated(Intercourse, user_id)
        ],
        "medicines": [
            {
                "medicine": m.medicine, "name": m.name, "dose": m.dose, "dose_unit": m.dose_unit,
                "route": m.route, "start_date": _iso(m.start_date), "end_date": _iso(m.end_date),
                "time": _iso(m.time), "note": m.note,
                "created_at": _stamp(m.created_at), "updated_at": _stamp(m.updated_at),
            }
            for m in medicines
        ],
        "progesterone_tests": [
            {
                "date": _iso(t.date), "time": _iso(t.time), "kind": t.kind, "result": t.result,
                "value": t.value, "unit": t.unit, "brand": t.brand, "note": t.note,
                "created_at": _stamp(t.created_at), "updated_at": _stamp(t.updated_at),
            }
            for t in _dated(ProgesteroneTest, user_id)
        ],
    }


def _export_day(day: Day) -> dict:
    return {
        "date": _iso(day.date),
        "bleeding": day.bleeding,
        "not_period": day.not_period,
        "starts_cycle": day.starts_cycle,
        "temperature_c": None if day.temperature_centi is None else day.temperature_centi / 100,
        "temperature_time": _iso(day.temperature_time),
        "temperature_disturbance": day.temperature_disturbance,
        "mucus_feeling": day.mucus_feeling,
        "mucus_appearance": day.mucus_appearance,
        "mucus_code": None if day.mucus_code is None else v.MUCUS_SYMBOLS[day.mucus_code],
        "cervix_position": day.cervix_position,
        "cervix_firmness": day.cervix_firmness,
        "cervix_opening": day.cervix_opening,
        "ovulation_test": day.ovulation_test,
        "ovulation_test_brand": day.ovulation_test_brand,
        "symptoms": day.symptoms,
        "mood": day.mood,
        "note": day.note,
        "created_at": _stamp(day.created_at),
        "updated_at": _stamp(day.updated_at),
    }


def _export_insemination(insemination: Insemination, donor_ref: int | None, notes: list) -> dict:
    return {
        "date": _iso(insemination.date),
        "time": _iso(insemination.time),
        "method": insemination.method,
        "sperm": insemination.sperm,
        "donor": donor_ref,
        "vials_used": insemination.vials_used,
        "vial_numbers": insemination.vial_numbers,
        "motile_count_millions": insemination.motile_count_millions,
        "performed_by": insemination.performed_by,
        "location": insemination.location,
        "cost_cents": insemination.cost_cents,
        "note": insemination.note,
        "created_at": _stamp(insemination.created_at),
        "updated_at": _stamp(insemination.updated_at),
        "notes": [
            {
                "noted_at": note.noted_at.isoformat(),
                "leakage": note.leakage,
                "cramping": note.cramping,
                "spotting": note.spotting,
                "lying_down_minutes": note.lying_down_minutes,
                "orgasm": note.orgasm,
                "feelings": note.feelings,
                "note": note.note,
                "created_at": _stamp(note.created_at),
                "updated_at": _stamp(note.updated_at),
            }
            for note in notes
        ],
    }


def _export_test(test: PregnancyTest) -> dict:
    return {
        "date": _iso(test.date),
        "time": _iso(test.time),
        "kind": test.kind,
        "brand": test.brand,
        "sensitivity_miu": test.sensitivity_miu,
        "result": test.result,
        "hcg_miu": test.hcg_miu,
        "note": test.note,
        "created_at": _stamp(test.created_at),
        "updated_at": _stamp(test.updated_at),
    }


# --------------------------------------------------------------------------- import


class ImportRefused(ValueError):
    """The file cannot be imported; the message says why, for the person."""


NOTHING_IMPORTED = " Nothing was imported."
TTC_LISTS = ("intercourse", "medicines", "progesterone_tests")
# References between records of the file (a donor's number): not a journal field, only a bound.
MAX_REF = 10**6


def read_export(raw: bytes) -> dict:
    """Parse an uploaded file and check its envelope (format, version, journal lists)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: brackets nested thousands deep; ValueError also covers integers
        # longer than Python reads (sys.int_max_str_digits).
        raise ImportRefused(
            "This file is not a Seedling data file: it could not be read as JSON." + NOTHING_IMPORTED
        ) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportRefused(
            "This file is not a Seedling data file. Please choose the file from "
            "“Download my data”." + NOTHING_IMPORTED
        )
    version = data.get("version")
    if isinstance(version, bool) or version != EXPORT_VERSION:
        shown = repr(version)[:40] if isinstance(version, (int, float, str)) else "unknown"
        raise ImportRefused(
            f"This file is version {shown} of the Seedling format, and this "
            f"Seedling reads version {EXPORT_VERSION}." + NOTHING_IMPORTED
        )
    journal = data.get("journal")
    if not isinstance(journal, dict):
        raise ImportRefused("This file has no journal in it." + NOTHING_IMPORTED)
    for key in ("donors", "days", "inseminations", "pregnancy_tests", "cycle_outcomes", *TTC_LISTS):
        if not isinstance(journal.get(key, []), list):
            raise ImportRefused(f"The file's “{key}” is not a list." + NOTHING_IMPORTED)
    return data


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# The importing person's own date (their time zone), for the checks of every record's dates.
_PERSON_TODAY: ContextVar[date | None] = ContextVar("person_today", default=None)


class _Record:
    """Typed reads of one record against the rules of :mod:`.spec`, with messages that say
    where the problem is. Every read refuses a value of the wrong JSON type."""

    def __init__(self, raw: Any, where: str):
        if not isinstance(raw, dict):
            raise ImportRefused(f"{where} is not a record." + NOTHING_IMPORTED)
        self.raw: dict[str, Any] = raw
        self.where = where

    def refuse(self, message: str) -> ImportRefused:
        end = "" if message.endswith((".", "?", "!")) else "."
        return ImportRefused(f"{self.where}: {message}{end}" + NOTHING_IMPORTED)

    def check(self, problems: list[spec.Problem]) -> None:
        """Refuse the record at the first of spec's cross-field problems."""
        if problems:
            raise self.refuse(problems[0].message)

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.raw:
            if required:
                raise self.refuse(f"“{key}” is missing")
            return None
        value = self.raw[key]
        if value is None and required:
            raise self.refuse(f"“{key}” is empty")
        return value

    def text(self, key: str, rule: spec.Text) -> str | None:
        """Text as the forms keep it: stripped, None when blank."""
        value = self._get(key, rule.required is not None)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.refuse(f"“{key}” must be text")
        if len(value) > rule.max_length:
            raise self.refuse(f"“{key}” is longer than {rule.max_length} characters")
        problem = spec.unstorable_text_problem(value)
        if problem:
            raise self.refuse(f"“{key}”: {problem}")
        if rule.required and not value.strip():
            raise self.refuse(f"“{key}” is empty")
        return value.strip() or None

    def required_text(self, key: str, rule: spec.Text) -> str:
        value = self.text(key, rule)
        if value is None:  # pragma: no cover - text() refuses a blank required value
            raise self.refuse(f"“{key}” is empty")
        return value

    def word(self, key: str, rule: spec.Words) -> str | None:
        value = self._get(key, rule.required is not None)
        if value is None:
            return None
        if not isinstance(value, str) or value not in rule.allowed:
            # Only a string is echoed (escaped by repr, cut short): a nested list could be
            # too deep even to print.
            shown = f", not {value!r}"[:200] if isinstance(value, str) else ", as text"
            raise self.refuse(f"“{key}” must be one of {', '.join(rule.allowed)}{shown}")
        return value

    def required_word(self, key: str, rule: spec.Words) -> str:
        value = self.word(key, rule)
        if value is None:  # pragma: no cover - word() refuses a missing required value
            raise self.refuse(f"“{key}” is empty")
        return value

    def words(self, key: str, rule: spec.Words) -> list[str]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or any(
            not isinstance(word, str) or word not in rule.allowed for word in value
        ):
            raise self.refuse(f"“{key}” must be a list of: {', '.join(rule.allowed)}")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.refuse(f"“{key}” must be true or false")
        return value

    def integer(self, key: str, low: int, high: int, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        # A bool is an int in Python, and true is no number of vials.
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.refuse(f"“{key}” must be a whole number from {low} to {high}")
        return value

    def required_integer(self, key: str, low: int, high: int) -> int:
        value = self.integer(key, low, high, required=True)
        if value is None:  # pragma: no cover - integer() refuses a missing required value
            raise self.refuse(f"“{key}” is empty")
        return value

    def whole(self, key: str, rule: spec.Whole) -> int | None:
        return self.integer(key, rule.low, rule.high)

    def number(self, key: str, low: int | Decimal, high: int | Decimal) -> float | None:
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.refuse(f"“{key}” must be a number")
        # Compared before any float(): an integer of hundreds of digits would overflow it.
        if isinstance(value, float) and not math.isfinite(value):
            raise self.refuse(f"“{key}” must be a number")
        if not low <= value <= high:
            raise self.refuse(f"“{key}” must be from {low:g} to {high:g}")
        return float(value)

    def amount(self, key: str, rule: spec.Amount) -> float | None:
        return self.number(key, rule.low, rule.high)

    def day(self, key: str) -> date:
        """A date, within :func:`spec.date_problem`'s range."""
        value = self._get(key, True)
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.refuse(f"“{key}” must be a date such as 2026-05-03")
        problem = spec.date_problem(parsed, _PERSON_TODAY.get())
        if problem:
            raise self.refuse(f"the date {parsed.isoformat()}: {problem}")
        return parsed

    def optional_day(self, key: str) -> date | None:
        """A date that may be missing (the last day of a medicine still taken). Unlike the
        date of an entry, it may be ahead of today: a course can be planned to its end."""
        if self._get(key, False) is None:
            return None
        value = self.raw[key]
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.refuse(f"“{key}” must be a date such as 2026-05-03")
        return parsed

    def clock_time(self, key: str) -> time | None:
        value = self._get(key, False)
        if value is None:
            return None
        try:
            parsed = time.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is not None:
            raise self.refuse(f"“{key}” must be a time such as 07:30")
        return parsed

    def local_datetime(self, key: str) -> datetime:
        value = self._get(key, True)
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is not None:
            raise self.refuse(f"“{key}” must be a date and time such as 2026-05-03T14:30:00")
        return parsed

    def stamp(self, key: str) -> datetime | None:
        """A UTC timestamp ("…Z"); None when absent (the default, now, is then used)."""
        value = self._get(key, False)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            if parsed is not None and parsed.tzinfo is not None:
                parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):  # OverflowError: an offset past year 1 or 9999
            parsed = None
        if parsed is None:
            raise self.refuse(f"“{key}” must be a timestamp such as 2026-05-03T14:30:00Z")
        return parsed

    def stamps(self) -> dict[str, datetime]:
        found = {"created_at": self.stamp("created_at"), "updated_at": self.stamp("updated_at")}
        return {key: value for key, value in found.items() if value is not None}


def _temperature_centi(record: _Record) -> int | None:
    value = record.number("temperature_c", spec.TEMPERATURE_LOW_C, spec.TEMPERATURE_HIGH_C)
    if value is None:
        return None
    hundredths = Decimal(str(value)).scaleb(spec.TEMPERATURE_DECIMALS)
    if hundredths != hundredths.to_integral_value():
        raise record.refuse("“temperature_c” has more than two decimals")
    return int(hundredths)


def _import_donor(record: _Record) -> tuple[Donor, list[VialEntry], tuple[int | None, int | None] | None]:
    """A donor, their vial ledger, and, from a file made before the ledger, the donor's
    (``vials_bought``, ``vials_in_storage``) to turn into opening entries once the file's
    inseminations are known (:func:`_opening_ledger`)."""
    bought = record.whole("vials_bought", spec.VIALS_BOUGHT)
    in_storage = record.whole("vials_in_storage", spec.VIALS_IN_STORAGE)
    donor = Donor(
        kind=record.required_word("kind", spec.DONOR_KIND),
        code=record.required_text("code", spec.DONOR_CODE),
        bank=record.text("bank", spec.DONOR_BANK),
        note=record.text("note", spec.DONOR_NOTE),
        **record.stamps(),
    )
    record.check(spec.donor_problems(
        kind=donor.kind, bank=donor.bank, vials_bought=bought, vials_in_storage=in_storage,
    ))
    raw_ledger = record.raw.get("vial_ledger")
    if raw_ledger is None:
        return donor, [], (bought, in_storage)
    if not isinstance(raw_ledger, list):
        raise record.refuse("“vial_ledger” must be a list")
    entries = [
        _import_vial_entry(_Record(raw, f"{record.where}, ledger entry {number}"), donor)
        for number, raw in enumerate(raw_ledger, start=1)
    ]
    return donor, entries, None


def _opening_ledger(donor: Donor, counts: tuple[int | None, int | None], inseminations: list[Insemination]) -> list[VialEntry]:
    """The opening entries of a donor from a file made before the ledger, as the migration
    made them: its ``vials_in_storage`` was the count left after the file's inseminations.
    Dated the day the donor was added."""
    used = sum(i.vials_used for i in inseminations if i.donor is donor)
    opened = (donor.created_at or utcnow()).date()
    return [
        VialEntry(donor=donor, date=opened, kind=kind, vials=vials, note="The count kept before the ledger")
        for kind, vials in opening_entries(*counts, used=used)
    ]


def _import_vial_entry(record: _Record, donor: Donor) -> VialEntry:
    entry = VialEntry(
        date=record.day("date"),
        kind=record.required_word("kind", spec.VIAL_ENTRY_KIND),
        vials=record.whole("vials", spec.VIAL_ENTRY_VIALS),
        cost_cents=record.integer("cost_cents", spec.VIAL_ENTRY_COST.low * 100, spec.VIAL_ENTRY_COST.high * 100),
        bank=record.text("bank", spec.VIAL_ENTRY_BANK),
        stored_at=record.text("stored_at", spec.VIAL_ENTRY_STORED_AT),
        note=record.text("note", spec.VIAL_ENTRY_NOTE),
        **record.stamps(),
    )
    record.check(spec.vial_entry_problems(kind=entry.kind, vials=entry.vials))
    entry.donor = donor
    return entry


def _import_intercourse(record: _Record) -> Intercourse:
    return Intercourse(
        date=record.day("date"),
        time=record.clock_time("time"),
        sperm=record.word("sperm", spec.INTERCOURSE_SPERM),
        note=record.text("note", spec.INTERCOURSE_NOTE),
        **record.stamps(),
    )


def _import_medicine(record: _Record) -> Medicine:
    medicine = Medicine(
        medicine=record.required_word("medicine", spec.MEDICINE),
        name=record.text("name", spec.MEDICINE_NAME),
        dose=record.amount("dose", spec.DOSE),
        dose_unit=record.word("dose_unit", spec.DOSE_UNIT),
        route=record.word("route", spec.ROUTE),
        start_date=record.day("start_date"),
        end_date=record.optional_day("end_date"),
        time=record.clock_time("time"),
        note=record.text("note", spec.MEDICINE_NOTE),
        **record.stamps(),
    )
    record.check(spec.medicine_problems(
        medicine=medicine.medicine, name=medicine.name, dose=medicine.dose, dose_unit=medicine.dose_unit,
        start_date=medicine.start_date, end_date=medicine.end_date,
    ))
    return medicine


def _import_progesterone_test(record: _Record) -> ProgesteroneTest:
    test = ProgesteroneTest(
        date=record.day("date"),
        time=record.clock_time("time"),
        kind=record.required_word("kind", spec.PROGESTERONE_TEST_KIND),
        result=record.word("result", spec.PDG_RESULT),
        value=record.amount("value", spec.PROGESTERONE_VALUE),
        unit=record.word("unit", spec.PROGESTERONE_UNIT),
        brand=record.text("brand", spec.PROGESTERONE_BRAND),
        note=record.text("note", spec.PROGESTERONE_NOTE),
        **record.stamps(),
    )
    record.check(spec.progesterone_test_problems(
        kind=test.kind, result=test.result, value=test.value, unit=test.unit
    ))
    return test


def _day_values(record: _Record) -> dict[str, Any]:
    """A day's column values by attribute name, every one checked (plain values, no ORM object:
    an import of years of days builds thousands, and ORM construction was most of its time)."""
    symptoms = set(record.words("symptoms", spec.SYMPTOMS))
    day: dict[str, Any] = {
        "date": record.day("date"),
        "bleeding": record.word("bleeding", spec.BLEEDING),
        "not_period": record.flag("not_period"),
        "starts_cycle": record.flag("starts_cycle"),
        "temperature_centi": _temperature_centi(record),
        "temperature_time": record.clock_time("temperature_time"),
        "temperature_disturbance": record.word("temperature_disturbance", spec.TEMPERATURE_DISTURBANCE),
        "mucus_feeling": record.word("mucus_feeling", spec.MUCUS_FEELING),
        "mucus_appearance": record.word("mucus_appearance", spec.MUCUS_APPEARANCE),
        "cervix_position": record.word("cervix_position", spec.CERVIX_POSITION),
        "cervix_firmness": record.word("cervix_firmness", spec.CERVIX_FIRMNESS),
        "cervix_opening": record.word("cervix_opening", spec.CERVIX_OPENING),
        "ovulation_test": record.word("ovulation_test", spec.OVULATION_TEST),
        "ovulation_test_brand": record.text("ovulation_test_brand", spec.OVULATION_TEST_BRAND),
        # Stored as Day.symptoms stores them: comma-separated, in the vocabulary's order.
        "symptoms_text": ",".join(word for word in v.SYMPTOMS if word in symptoms),
        "mood": record.text("mood", spec.MOOD),
        "note": record.text("note", spec.DAY_NOTE),
        **record.stamps(),
    }
    has_temperature = day["temperature_centi"] is not None
    record.check(spec.day_problems(
        bleeding=day["bleeding"],
        not_period=day["not_period"],
        starts_cycle=day["starts_cycle"],
        has_temperature=has_temperature,
        has_temperature_time=day["temperature_time"] is not None,
        temperature_disturbance=day["temperature_disturbance"],
        ovulation_test=day["ovulation_test"],
        ovulation_test_brand=day["ovulation_test_brand"],
    ))
    if spec.day_is_empty(
        bleeding=day["bleeding"],
        starts_cycle=day["starts_cycle"],
        has_temperature=has_temperature,
        mucus_feeling=day["mucus_feeling"],
        mucus_appearance=day["mucus_appearance"],
        cervix_position=day["cervix_position"],
        cervix_firmness=day["cervix_firmness"],
        cervix_opening=day["cervix_opening"],
        ovulation_test=day["ovulation_test"],
        symptoms=sorted(symptoms),
        mood=day["mood"],
        note=day["note"],
    ):
        raise record.refuse(spec.DAY_EMPTY)
    return day


def _import_insemination(record: _Record, donors: dict[int, Donor]) -> Insemination:
    donor_ref = record.integer("donor", 1, MAX_REF)
    if donor_ref is not None and donor_ref not in donors:
        raise record.refuse(f"donor {donor_ref} is not among the file's donors")
    insemination = Insemination(
        date=record.day("date"),
        time=record.clock_time("time"),
        method=record.required_word("method", spec.INSEMINATION_METHOD),
        sperm=record.word("sperm", spec.SPERM),
        vials_used=record.whole("vials_used", spec.VIALS_USED) or 0,
        vial_numbers=record.text("vial_numbers", spec.VIAL_NUMBERS),
        motile_count_millions=record.amount("motile_count_millions", spec.MOTILE_COUNT_MILLIONS),
        performed_by=record.text("performed_by", spec.PERFORMED_BY),
        location=record.text("location", spec.LOCATION),
        cost_cents=record.integer("cost_cents", spec.COST.low * 100, spec.COST_CENTS_HIGH),
        note=record.text("note", spec.INSEMINATION_NOTE),
        **record.stamps(),
    )
    insemination.donor = donors.get(donor_ref) if donor_ref is not None else None
    record.check(spec.insemination_problems(
        sperm=insemination.sperm,
        vials_used=insemination.vials_used,
        has_donor=donor_ref is not None,
    ))
    raw_notes = record.raw.get("notes", [])
    if not isinstance(raw_notes, list):
        raise record.refuse("“notes” must be a list")
    insemination.notes = [
        _import_note(_Record(raw, f"{record.where}, note {number}"), insemination)
        for number, raw in enumerate(raw_notes, start=1)
    ]
    return insemination


def _import_note(record: _Record, insemination: Insemination) -> InseminationNote:
    note = InseminationNote(
        noted_at=record.local_datetime("noted_at"),
        leakage=record.word("leakage", spec.LEAKAGE),
        cramping=record.word("cramping", spec.CRAMPING),
        spotting=record.flag("spotting"),
        lying_down_minutes=record.whole("lying_down_minutes", spec.LYING_DOWN_MINUTES),
        orgasm=record.flag("orgasm"),
        feelings=record.text("feelings", spec.FEELINGS),
        note=record.text("note", spec.NOTE_NOTE),
        **record.stamps(),
    )
    when = insemination.date.isoformat()
    if insemination.time is not None:
        when += f" at {insemination.time:%H:%M}"
    problem = spec.note_time_problem(note.noted_at, insemination.starts_at, when)
    if problem:
        raise record.refuse(problem)
    if spec.note_is_empty(
        leakage=note.leakage,
        cramping=note.cramping,
        spotting=note.spotting,
        lying_down_minutes=note.lying_down_minutes,
        orgasm=note.orgasm,
        feelings=note.feelings,
        note=note.note,
    ):
        raise record.refuse(spec.NOTE_EMPTY)
    return note


def _import_test(record: _Record) -> PregnancyTest:
    test = PregnancyTest(
        date=record.day("date"),
        time=record.clock_time("time"),
        kind=record.required_word("kind", spec.TEST_KIND),
        brand=record.text("brand", spec.TEST_BRAND),
        sensitivity_miu=record.whole("sensitivity_miu", spec.SENSITIVITY_MIU),
        result=record.word("result", spec.HOME_RESULT),
        hcg_miu=record.amount("hcg_miu", spec.HCG_MIU),
        note=record.text("note", spec.TEST_NOTE),
        **record.stamps(),
    )
    record.check(spec.pregnancy_test_problems(
        kind=test.kind, result=test.result, hcg_miu=test.hcg_miu, sensitivity_miu=test.sensitivity_miu
    ))
    return test


def _import_outcome(record: _Record) -> CycleOutcome:
    return CycleOutcome(
        cycle_start=record.day("cycle_start"),
        outcome=record.required_word("outcome", spec.OUTCOME),
        note=record.text("note", spec.OUTCOME_NOTE),
        **record.stamps(),
    )


def _import_account(user: User, account: Any) -> None:
    if not isinstance(account, dict):
        return
    record = _Record(account, "The account settings")
    unit = record.word("temperature_unit", spec.TEMPERATURE_UNIT)
    week = record.integer("week_starts_on", 0, 6)
    symptom = record.word("secondary_symptom", spec.Words({"mucus": "", "cervix": ""}))
    if unit:
        user.temperature_unit = unit
    if week is not None:
        user.week_starts_on = week
    if symptom:
        user.secondary_symptom = symptom


@dataclass
class CheckedJournal:
    """Every record of a file's journal, checked and built but in no session yet."""

    donors: dict[int, Donor]
    days: list[dict[str, Any]]  # column values by attribute name (see _day_values)
    inseminations: list[Insemination]
    tests: list[PregnancyTest]
    outcomes: list[CycleOutcome]
    ledger: list[VialEntry] = field(default_factory=list)
    intercourse: list[Intercourse] = field(default_factory=list)
    medicines: list[Medicine] = field(default_factory=list)
    progesterone_tests: list[ProgesteroneTest] = field(default_factory=list)


@contextmanager
def dates_judged_for(person: User) -> Iterator[None]:
    """Within it, every check of a date judges the future by ``person``'s own today."""
    token = _PERSON_TODAY.set(today_for(person))
    try:
        yield
    finally:
        _PERSON_TODAY.reset(token)


def check_journal(data: dict) -> CheckedJournal:
    """Check every record of :func:`read_export`'s ``data`` and build its rows (no session);
    raise :class:`ImportRefused` at the first problem. Call it within :func:`dates_judged_for`."""
    journal = data["journal"]

    donors: dict[int, Donor] = {}
    ledger: list[VialEntry] = []
    old_style: dict[int, tuple[int | None, int | None]] = {}
    donor_keys: set[tuple[str, str]] = set()
    for number, raw in enumerate(journal.get("donors", []), start=1):
        record = _Record(raw, f"Donor {number}")
        ref = record.required_integer("ref", 1, MAX_REF)
        if ref in donors:
            raise record.refuse(f"the reference {ref} is used twice")
        donor, entries, old_counts = _import_donor(record)
        ledger.extend(entries)
        if old_counts is not None:
            old_style[ref] = old_counts
        key = spec.donor_key(donor.code, donor.bank)
        if key in donor_keys:
            raise record.refuse(f"the donor “{donor.code}” is in the file twice")
        donor_keys.add(key)
        donors[ref] = donor

    days: list[dict[str, Any]] = []
    seen: set[date] = set()
    for number, raw in enumerate(journal.get("days", []), start=1):
        day = _day_values(_Record(raw, f"Day {number} of the file"))
        if day["date"] in seen:
            raise ImportRefused(f"The file has two entries for {day['date'].isoformat()}." + NOTHING_IMPORTED)
        seen.add(day["date"])
        days.append(day)

    inseminations = [
        _import_insemination(_Record(raw, f"Insemination {number} of the file"), donors)
        for number, raw in enumerate(journal.get("inseminations", []), start=1)
    ]
    for ref, counts in old_style.items():
        ledger.extend(_opening_ledger(donors[ref], counts, inseminations))
    tests = [
        _import_test(_Record(raw, f"Pregnancy test {number} of the file"))
        for number, raw in enumerate(journal.get("pregnancy_tests", []), start=1)
    ]
    outcomes = []
    starts: set[date] = set()
    for number, raw in enumerate(journal.get("cycle_outcomes", []), start=1):
        outcome = _import_outcome(_Record(raw, f"Cycle outcome {number} of the file"))
        if outcome.cycle_start in starts:
            raise ImportRefused(
                f"The file records two outcomes for the cycle of {outcome.cycle_start.isoformat()}."
                + NOTHING_IMPORTED
            )
        starts.add(outcome.cycle_start)
        outcomes.append(outcome)
    intercourse = [
        _import_intercourse(_Record(raw, f"Intercourse {number} of the file"))
        for number, raw in enumerate(journal.get("intercourse", []), start=1)
    ]
    medicines = [
        _import_medicine(_Record(raw, f"Medicine {number} of the file"))
        for number, raw in enumerate(journal.get("medicines", []), start=1)
    ]
    progesterone_tests = [
        _import_progesterone_test(_Record(raw, f"Progesterone test {number} of the file"))
        for number, raw in enumerate(journal.get("progesterone_tests", []), start=1)
    ]
    return CheckedJournal(
        donors, days, inseminations, tests, outcomes, ledger, intercourse, medicines, progesterone_tests
    )


def check_day(raw: dict, where: str) -> dict[str, Any]:
    """One day record in the export's shape, checked as the import checks it, as column values
    (for the importers of other apps' files, which build such records)."""
    return _day_values(_Record(raw, where))


def check_test(raw: dict, where: str) -> PregnancyTest:
    return _import_test(_Record(raw, where))


def check_intercourse(raw: dict, where: str) -> Intercourse:
    return _import_intercourse(_Record(raw, where))


def day_rows(days: list[dict[str, Any]], user_id: int) -> list[dict[str, Any]]:
    """Checked day values as rows for one bulk insert (timestamps now unless the file had them)."""
    now = utcnow()
    return [{"created_at": now, "updated_at": now, **day, "user_id": user_id} for day in days]


def import_journal(user: User, data: dict) -> str:
    """Add the file's journal to ``user`` (whose journal must be empty) in the session.

    Returns a short summary of what was added (counts only). The caller commits; on
    :class:`ImportRefused` it rolls back.
    """
    with dates_judged_for(user):
        checked = check_journal(data)
    donors, days, inseminations = checked.donors, checked.days, checked.inseminations
    tests, outcomes = checked.tests, checked.outcomes
    ledger, intercourse = checked.ledger, checked.intercourse
    medicines, progesterone_tests = checked.medicines, checked.progesterone_tests

    # Last of the checks, so that a refused file leaves the account's settings alone too.
    _import_account(user, data.get("account"))
    rows: list[Any] = [
        *donors.values(), *ledger, *inseminations, *tests, *outcomes,
        *intercourse, *medicines, *progesterone_tests,
    ]
    for row in rows:
        row.user_id = user.id
        db.session.add(row)
    note_total = 0
    for insemination in inseminations:
        for note in insemination.notes:
            note.user_id = user.id
            note_total += 1
    # Days in one bulk insert: thousands of ORM objects made a long import outlast a worker.
    if days:
        db.session.execute(insert(Day), day_rows(days, user.id))
        revisions.bump(db.session(), [user.id])
    db.session.flush()
    parts = [
        plural(len(days), "day"),
        plural(len(inseminations), "insemination") + f" with {plural(note_total, 'note')}",
        plural(len(tests), "pregnancy test"),
        plural(len(donors), "donor"),
    ]
    if outcomes:
        parts.append(plural(len(outcomes), "cycle outcome"))
    for count, word in (
        (len(ledger), "vial ledger entry"), (len(intercourse), "intercourse entry"),
        (len(medicines), "medicine"), (len(progesterone_tests), "progesterone test"),
    ):
        if count:
            parts.append(plural(count, word, word.replace("entry", "entries")) if "entry" in word else plural(count, word))
    return ", ".join(parts)
