"""Export a person's whole account and journal as JSON, and import that JSON back.

"Download my data" in the account settings serves :func:`webapp.accounts.data.export_user_data`;
the journal registers its section there (:func:`export_journal`). Import restores a journal from
such a file exactly.

Import is all or nothing: :func:`read_export` and :func:`import_journal` check every value the
way the forms do (allowed words, lengths, ranges, dates not in the future, the same impossible
combinations), and raise :class:`ImportRefused` with a message for the person at the first
problem; the caller then rolls back, so nothing is saved. Unknown keys are ignored (a newer
file may carry more); a missing or malformed known key is refused. Derived parts of the export
(``cycles``, ``mucus_code``) are there for the person reading the file and are not imported.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from ..accounts.data import EXPORT_FORMAT, EXPORT_VERSION
from ..accounts.models import User
from ..clock import today
from ..extensions import db
from ..fertility import vocabulary as v
from ..fertility.cycles import cycles_from_starts, derive_cycle_starts
from ..fertility.formatting import plural
from .forms import FUTURE_DAYS_ALLOWED
from .models import CycleOutcome, Day, Donor, Insemination, InseminationNote, PregnancyTest



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
    return {
        "temperatures": "°C",
        "cycles": [
            {"start": _iso(c.start), "end": _iso(c.end), "length": c.length}
            for c in cycles_from_starts(starts)
        ],
        "donors": [_export_donor(donor, refs[donor.id]) for donor in donors],
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
    }


def _export_donor(donor: Donor, ref: int) -> dict:
    return {
        "ref": ref,
        "kind": donor.kind,
        "code": donor.code,
        "bank": donor.bank,
        "vials_bought": donor.vials_bought,
        "vials_in_storage": donor.vials_in_storage,
        "note": donor.note,
        "created_at": _stamp(donor.created_at),
        "updated_at": _stamp(donor.updated_at),
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
MAX_TEXT = 4000


def read_export(raw: bytes) -> dict:
    """Parse an uploaded file and check its envelope (format, version, journal lists)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError):
        raise ImportRefused(
            "This file is not a Seedling data file: it could not be read as JSON." + NOTHING_IMPORTED
        ) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportRefused(
            "This file is not a Seedling data file. Please choose the file from "
            "“Download my data”." + NOTHING_IMPORTED
        )
    if data.get("version") != EXPORT_VERSION:
        raise ImportRefused(
            f"This file is version {data.get('version')!r} of the Seedling format, and this "
            f"Seedling reads version {EXPORT_VERSION}." + NOTHING_IMPORTED
        )
    journal = data.get("journal")
    if not isinstance(journal, dict):
        raise ImportRefused("This file has no journal in it." + NOTHING_IMPORTED)
    for key in ("donors", "days", "inseminations", "pregnancy_tests", "cycle_outcomes"):
        if not isinstance(journal.get(key, []), list):
            raise ImportRefused(f"The file's “{key}” is not a list." + NOTHING_IMPORTED)
    return data


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


class _Record:
    """Typed reads of one record, with messages that say where the problem is."""

    def __init__(self, raw: Any, where: str):
        if not isinstance(raw, dict):
            raise ImportRefused(f"{where} is not a record." + NOTHING_IMPORTED)
        self.raw = raw
        self.where = where

    def refuse(self, message: str) -> ImportRefused:
        return ImportRefused(f"{self.where}: {message}." + NOTHING_IMPORTED)

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.raw:
            if required:
                raise self.refuse(f"“{key}” is missing")
            return None
        return self.raw[key]

    def text(self, key: str, max_length: int, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            if required:
                raise self.refuse(f"“{key}” is empty")
            return None
        if not isinstance(value, str):
            raise self.refuse(f"“{key}” must be text")
        if len(value) > max_length:
            raise self.refuse(f"“{key}” is longer than {max_length} characters")
        if required and not value.strip():
            raise self.refuse(f"“{key}” is empty")
        return value if value.strip() else None

    def word(self, key: str, allowed: dict, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            if required:
                raise self.refuse(f"“{key}” is empty")
            return None
        if value not in allowed:
            raise self.refuse(f"“{key}” must be one of {', '.join(allowed)}, not {value!r}"[:300])
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
            if required:
                raise self.refuse(f"“{key}” is empty")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.refuse(f"“{key}” must be a whole number from {low} to {high}")
        return value

    def number(self, key: str, low: float, high: float) -> float | None:
        value = self._get(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.refuse(f"“{key}” must be a number")
        if not low <= value <= high:
            raise self.refuse(f"“{key}” must be from {low:g} to {high:g}")
        return float(value)

    def day(self, key: str, required: bool = True, allow_future: bool = False) -> date | None:
        value = self._get(key, required)
        if value is None:
            if required:
                raise self.refuse(f"“{key}” is empty")
            return None
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.refuse(f"“{key}” must be a date such as 2026-05-03")
        if not allow_future and (parsed - today()).days > FUTURE_DAYS_ALLOWED:
            raise self.refuse(f"the date {parsed.isoformat()} is in the future")
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
        except ValueError:
            parsed = None
        if parsed is None:
            raise self.refuse(f"“{key}” must be a timestamp such as 2026-05-03T14:30:00Z")
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed

    def stamps(self) -> dict:
        found = {"created_at": self.stamp("created_at"), "updated_at": self.stamp("updated_at")}
        return {key: value for key, value in found.items() if value is not None}


def _temperature_centi(record: _Record) -> int | None:
    value = record.number("temperature_c", 34, 43)
    if value is None:
        return None
    try:
        hundredths = Decimal(str(value)) * 100
    except InvalidOperation:  # pragma: no cover - number() has checked it is finite
        raise record.refuse("“temperature_c” must be a number") from None
    if hundredths != hundredths.to_integral_value():
        raise record.refuse("“temperature_c” has more than two decimals")
    return int(hundredths)


def _import_donor(record: _Record) -> Donor:
    donor = Donor(
        kind=record.word("kind", v.DONOR_KINDS, required=True),
        code=record.text("code", 60, required=True).strip(),
        bank=record.text("bank", 120),
        vials_bought=record.integer("vials_bought", 0, 200),
        vials_in_storage=record.integer("vials_in_storage", 0, 200),
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )
    if donor.kind == "bank" and not donor.bank:
        raise record.refuse("a bank donor needs the bank's name")
    return donor


def _import_day(record: _Record) -> Day:
    symptoms = record.raw.get("symptoms", [])
    if not isinstance(symptoms, list) or any(s not in v.SYMPTOMS for s in symptoms):
        raise record.refuse(f"“symptoms” must be a list of: {', '.join(v.SYMPTOMS)}")
    day = Day(
        date=record.day("date"),
        bleeding=record.word("bleeding", v.BLEEDING),
        not_period=record.flag("not_period"),
        starts_cycle=record.flag("starts_cycle"),
        temperature_centi=_temperature_centi(record),
        temperature_time=record.clock_time("temperature_time"),
        temperature_disturbance=record.word("temperature_disturbance", v.DISTURBANCES),
        mucus_feeling=record.word("mucus_feeling", v.MUCUS_FEELINGS),
        mucus_appearance=record.word("mucus_appearance", v.MUCUS_APPEARANCES),
        cervix_position=record.word("cervix_position", v.CERVIX_POSITIONS),
        cervix_firmness=record.word("cervix_firmness", v.CERVIX_FIRMNESS),
        cervix_opening=record.word("cervix_opening", v.CERVIX_OPENINGS),
        ovulation_test=record.word("ovulation_test", v.OVULATION_TESTS),
        ovulation_test_brand=record.text("ovulation_test_brand", 80),
        mood=record.text("mood", 80),
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )
    day.symptoms = symptoms
    if day.temperature_centi is None and (day.temperature_time or day.temperature_disturbance):
        raise record.refuse("a temperature time or disturbance needs a temperature")
    if day.not_period and not day.bleeding:
        raise record.refuse("“not_period” needs bleeding")
    if day.not_period and day.starts_cycle:
        raise record.refuse("a day cannot be “not a period” and start a cycle")
    if day.ovulation_test_brand and not day.ovulation_test:
        raise record.refuse("an ovulation test brand needs a result")
    return day


def _import_insemination(record: _Record, donors: dict[int, Donor]) -> Insemination:
    donor_ref = record.integer("donor", 1, 10**6)
    if donor_ref is not None and donor_ref not in donors:
        raise record.refuse(f"donor {donor_ref} is not among the file's donors")
    cost = record.integer("cost_cents", 0, 10**7)
    insemination = Insemination(
        date=record.day("date"),
        time=record.clock_time("time"),
        method=record.word("method", v.INSEMINATION_METHODS, required=True),
        sperm=record.word("sperm", v.SPERM_STATES),
        vials_used=record.integer("vials_used", 0, 10) or 0,
        vial_numbers=record.text("vial_numbers", 200),
        motile_count_millions=record.number("motile_count_millions", 0, 1000),
        performed_by=record.text("performed_by", 120),
        location=record.text("location", 120),
        cost_cents=cost,
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )
    insemination.donor = donors.get(donor_ref) if donor_ref is not None else None
    if insemination.sperm == "fresh" and insemination.vials_used:
        raise record.refuse("fresh sperm does not come in vials")
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
        leakage=record.word("leakage", v.LEAKAGE),
        cramping=record.word("cramping", v.CRAMPING),
        spotting=record.flag("spotting"),
        lying_down_minutes=record.integer("lying_down_minutes", 0, 1440),
        orgasm=record.flag("orgasm"),
        feelings=record.text("feelings", 300),
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )
    if note.noted_at < insemination.starts_at:
        raise record.refuse("the note is timed before its insemination")
    return note


def _import_test(record: _Record) -> PregnancyTest:
    test = PregnancyTest(
        date=record.day("date"),
        time=record.clock_time("time"),
        kind=record.word("kind", v.TEST_KINDS, required=True),
        brand=record.text("brand", 80),
        sensitivity_miu=record.integer("sensitivity_miu", 1, 100),
        result=record.word("result", v.HOME_RESULTS),
        hcg_miu=record.number("hcg_miu", 0, 500000),
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )
    if test.kind == "home" and (test.result is None or test.hcg_miu is not None):
        raise record.refuse("a home test needs a result and has no hCG value")
    if test.kind == "blood" and (test.hcg_miu is None or test.result or test.sensitivity_miu):
        raise record.refuse("a blood test needs an hCG value and has no line result")
    return test


def _import_outcome(record: _Record) -> CycleOutcome:
    return CycleOutcome(
        cycle_start=record.day("cycle_start"),
        outcome=record.word("outcome", v.OUTCOMES, required=True),
        note=record.text("note", MAX_TEXT),
        **record.stamps(),
    )


def _import_account(user: User, account: Any) -> None:
    if not isinstance(account, dict):
        return
    record = _Record(account, "The account settings")
    unit = record.word("temperature_unit", v.TEMPERATURE_UNITS)
    week = record.integer("week_starts_on", 0, 6)
    symptom = record.word("secondary_symptom", {"mucus": "", "cervix": ""})
    if unit:
        user.temperature_unit = unit
    if week is not None:
        user.week_starts_on = week
    if symptom:
        user.secondary_symptom = symptom


def import_journal(user: User, data: dict) -> str:
    """Add the file's journal to ``user`` (whose journal must be empty) in the session.

    Returns a short summary of what was added (counts only). The caller commits; on
    :class:`ImportRefused` it rolls back.
    """
    journal = data["journal"]
    _import_account(user, data.get("account"))

    donors: dict[int, Donor] = {}
    for number, raw in enumerate(journal.get("donors", []), start=1):
        record = _Record(raw, f"Donor {number}")
        ref = record.integer("ref", 1, 10**6, required=True)
        if ref in donors:
            raise record.refuse(f"the reference {ref} is used twice")
        donors[ref] = _import_donor(record)

    days: list[Day] = []
    seen: set[date] = set()
    for number, raw in enumerate(journal.get("days", []), start=1):
        day = _import_day(_Record(raw, f"Day {number} of the file"))
        if day.date in seen:
            raise ImportRefused(f"The file has two entries for {day.date.isoformat()}." + NOTHING_IMPORTED)
        seen.add(day.date)
        days.append(day)

    inseminations = [
        _import_insemination(_Record(raw, f"Insemination {number} of the file"), donors)
        for number, raw in enumerate(journal.get("inseminations", []), start=1)
    ]
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

    for row in [*donors.values(), *days, *inseminations, *tests, *outcomes]:
        row.user_id = user.id
        db.session.add(row)
    note_total = 0
    for insemination in inseminations:
        for note in insemination.notes:
            note.user_id = user.id
            note_total += 1
    db.session.flush()
    parts = [
        plural(len(days), "day"),
        plural(len(inseminations), "insemination") + f" with {plural(note_total, 'note')}",
        plural(len(tests), "pregnancy test"),
        plural(len(donors), "donor"),
    ]
    if outcomes:
        parts.append(plural(len(outcomes), "cycle outcome"))
    return ", ".join(parts)
