"""Importing a file into a journal that may already have entries: read it, plan the merge, apply it.

:func:`read_upload` reads drip, Clue and Flo exports (through :mod:`webapp.fertility.imports`)
and Seedling's own file (through :mod:`.portability`), and turns every record into the rows the
journal stores. Each record of another app is first written in the shape of Seedling's export
and checked by :func:`.portability.check_day` / :func:`.portability.check_test`: the one
validation spec (:mod:`.spec`) decides, for the forms, our own files and other apps' alike.

:func:`plan` compares the file with the person's journal (what is new, what is already there,
what conflicts); :func:`apply` carries the plan out with the person's one choice for every
conflict ("mine" or "theirs"), in the caller's transaction. Nothing is ever overwritten unless
the person chose "theirs" on the preview.
"""

from __future__ import annotations

import hashlib
import time as monotonic_clock
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import insert, select, update

from ..accounts.models import User
from ..clock import today_for, utcnow
from ..extensions import db
from ..fertility import vocabulary as v
from ..fertility.formatting import plural
from ..fertility.imports import BLEEDING_UNSPECIFIED, ImportedDay, ImportFormatError, NotMapped, parse_export
from ..fertility.imports.detect import SUPPORTED
from ..fertility.imports.records import GENERIC_REASONS
from . import revisions, spec
from .models import CycleOutcome, Day, Donor, Insemination, Intercourse, Medicine, PregnancyTest, ProgesteroneTest
from .portability import (
    NOTHING_IMPORTED,
    CheckedJournal,
    ImportRefused,
    check_day,
    check_intercourse,
    check_journal,
    check_test,
    dates_judged_for,
    day_rows,
    read_export,
)

MINE = "mine"
THEIRS = "theirs"
RESOLUTIONS = (MINE, THEIRS)

# Flo says that a period happened, never how heavy it was; the journal needs a level to count a
# period day (and so a cycle), and the preview says which one it chose.
FLO_BLEEDING = "medium"

# What the journal compares, day by day, between the file and a day it already has.
DAY_FIELDS = (
    "bleeding", "not_period", "starts_cycle", "temperature_centi", "temperature_time",
    "temperature_disturbance", "mucus_feeling", "mucus_appearance", "cervix_position",
    "cervix_firmness", "cervix_opening", "ovulation_test", "ovulation_test_brand",
    "symptoms_text", "mood", "note",
)
FIELD_LABELS = {
    "bleeding": "Bleeding", "not_period": "Not a period", "starts_cycle": "Starts a cycle",
    "temperature_centi": "Temperature", "temperature_time": "Temperature time",
    "temperature_disturbance": "Temperature disturbed", "mucus_feeling": "Mucus feeling",
    "mucus_appearance": "Mucus appearance", "cervix_position": "Cervix position",
    "cervix_firmness": "Cervix firmness", "cervix_opening": "Cervix opening",
    "ovulation_test": "Ovulation test", "ovulation_test_brand": "Ovulation test brand",
    "symptoms_text": "Symptoms", "mood": "Mood", "note": "Note",
}
_VOCABULARIES = {
    "bleeding": v.BLEEDING, "temperature_disturbance": v.DISTURBANCES,
    "mucus_feeling": v.MUCUS_FEELINGS, "mucus_appearance": v.MUCUS_APPEARANCES,
    "cervix_position": v.CERVIX_POSITIONS, "cervix_firmness": v.CERVIX_FIRMNESS,
    "cervix_opening": v.CERVIX_OPENINGS, "ovulation_test": v.OVULATION_TESTS,
}

TOO_SLOW = (
    "This file takes too long to read: it holds more than an import can check at once. "
    "Please export a shorter period from the app, and import it in parts." + NOTHING_IMPORTED
)
_DEADLINE_EVERY = 256  # records between two looks at the clock
SINGULAR = {
    "days": "day", "pregnancy tests": "pregnancy test", "donors": "donor",
    "inseminations": "insemination", "notes after an insemination": "note after an insemination",
    "cycle outcomes": "cycle outcome", "intercourse entries": "intercourse entry",
    "medicines": "medicine", "progesterone tests": "progesterone test",
}

# The file's word for intercourse with or without contraception, as the journal's (None: not said).
INTERCOURSE_SPERM = {True: "protected", False: "with_sperm", None: None}


# --------------------------------------------------------------------------- reading a file


@dataclass
class Incoming:
    """A file's records as journal rows (checked, in no session) and what could not be kept."""

    source: str
    days: list[dict[str, Any]]  # checked column values (portability.check_day)
    tests: list[PregnancyTest] = field(default_factory=list)
    donors: dict[int, Donor] = field(default_factory=dict)
    inseminations: list[Insemination] = field(default_factory=list)
    outcomes: list[CycleOutcome] = field(default_factory=list)
    intercourse: list[Intercourse] = field(default_factory=list)
    medicines: list[Medicine] = field(default_factory=list)
    progesterone_tests: list[ProgesteroneTest] = field(default_factory=list)
    not_mapped: list[NotMapped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the journal has no field for and keeps in the day's note instead, as (what, count).
    kept_in_notes: list[tuple[str, int]] = field(default_factory=list)
    # The whole checked file, when it is Seedling's own (an empty journal restores it exactly).
    seedling_data: dict | None = None


def is_seedling_file(data: bytes) -> bool:
    """Seedling's export names its format in its first key (see accounts.data.export_user_data)."""
    return b'"seedling-export"' in data[:4096]


def read_upload(filename: str, data: bytes, *, person: User, budget_seconds: float) -> Incoming:
    """Read and check a whole file for ``person`` (dates are judged by their own today), or
    raise ImportRefused saying where it is wrong."""
    with dates_judged_for(person):
        return _read_upload(filename, data, today_for(person), monotonic_clock.monotonic() + budget_seconds)


def _read_upload(filename: str, data: bytes, today: date, deadline: float) -> Incoming:
    if is_seedling_file(data):
        raw = read_export(data)
        checked = check_journal(raw)
        _check_deadline(deadline)
        return _from_seedling(raw, checked)
    try:
        result = parse_export(filename, data, today=today)
    except ImportFormatError as error:
        if error.kind == "unknown-format":
            raise ImportRefused(f"This file is not a Seedling data file, nor an export of {SUPPORTED}." + NOTHING_IMPORTED) from None
        if error.kind == "invalid-json" and "the exported file" in error.problem:
            read_export(data)  # JSON of no app we can name: Seedling's own reader says why
        raise ImportRefused(str(error) + NOTHING_IMPORTED) from None
    _check_deadline(deadline)
    incoming = Incoming(source=result.source, days=[])
    incoming.not_mapped.extend(result.not_mapped)
    incoming.warnings.extend(result.warnings)
    kept: dict[str, int] = {}
    flo_days = 0
    for number, imported in enumerate(result.days, start=1):
        if number % _DEADLINE_EVERY == 0:
            _check_deadline(deadline)
        where = f"The day {imported.date.isoformat()} of the file"
        raw_day, kept_here = _day_record(imported)
        for what in kept_here:
            kept[what] = kept.get(what, 0) + 1
        flo_days += imported.bleeding == BLEEDING_UNSPECIFIED
        if _day_carries_something(raw_day):
            incoming.days.append(check_day(raw_day, where))
        if imported.intercourse:
            incoming.intercourse.append(check_intercourse(
                {"date": imported.date.isoformat(), "sperm": INTERCOURSE_SPERM[imported.intercourse_protected],
                 "note": imported.intercourse_note},
                f"The intercourse on {imported.date.isoformat()} in the file",
            ))
        if imported.pregnancy_test is not None:
            incoming.tests.append(check_test(
                {"date": imported.date.isoformat(), "kind": "home", "result": imported.pregnancy_test},
                f"The pregnancy test on {imported.date.isoformat()} in the file",
            ))
    _check_deadline(deadline)
    if flo_days:
        incoming.warnings.append(
            f"{result.source} records that a period happened but not how heavy it was: its "
            f"{plural(flo_days, 'period day')} are imported as {v.BLEEDING[FLO_BLEEDING].lower()} "
            "bleeding. You can change any of them afterwards."
        )
    incoming.kept_in_notes.extend(sorted(kept.items()))
    return incoming


def _check_deadline(deadline: float) -> None:
    if monotonic_clock.monotonic() > deadline:
        raise ImportRefused(TOO_SLOW)


def _from_seedling(raw: dict, checked: CheckedJournal) -> Incoming:
    incoming = Incoming(
        source="Seedling",
        days=checked.days,
        tests=checked.tests,
        donors=checked.donors,
        inseminations=checked.inseminations,
        outcomes=checked.outcomes,
        intercourse=checked.intercourse,
        medicines=checked.medicines,
        progesterone_tests=checked.progesterone_tests,
        seedling_data=raw,
    )
    if checked.ledger:
        # Purchases and shipments cannot be told apart from mine by their fields alone (two
        # orders of the same size on one day are two entries): they are left to the person.
        count = len(checked.ledger)
        incoming.not_mapped.append(NotMapped(
            "Vial ledger entries (a journal with entries keeps its own ledger: add them on the "
            "donor’s page)", plural(count, "entry", "entries"), count,
        ))
    return incoming


def _day_record(day: ImportedDay) -> tuple[dict[str, Any], list[str]]:
    """One imported day in the shape of Seedling's export, and what went into its note."""
    raw: dict[str, Any] = {"date": day.date.isoformat(), "not_period": day.not_period}
    if day.bleeding is not None:
        raw["bleeding"] = FLO_BLEEDING if day.bleeding == BLEEDING_UNSPECIFIED else day.bleeding
    if day.temperature_centi is not None:
        raw["temperature_c"] = day.temperature_centi / 100
        if day.temperature_time is not None:
            raw["temperature_time"] = day.temperature_time.isoformat()
        if day.temperature_disturbed:
            raw["temperature_disturbance"] = "other"
    for key in ("mucus_feeling", "mucus_appearance", "cervix_opening", "cervix_firmness",
                "cervix_position", "ovulation_test"):
        raw[key] = getattr(day, key)
    raw["symptoms"] = list(day.symptoms)
    if day.moods:
        raw["mood"] = ", ".join(day.moods)
    # What the journal has no field for, kept in the note where the person can read it.
    lines, kept = [], []
    if day.note:
        lines.append(day.note)
    if day.other_symptoms:
        lines.append("Other symptoms: " + ", ".join(day.other_symptoms))
        kept.append("symptoms the journal has no word for")
    reason = day.temperature_disturbance_reason
    if day.temperature_disturbed and reason and reason not in GENERIC_REASONS:
        lines.append(f"Temperature left out: {reason}")
        kept.append("reasons given for a left-out temperature")
    for what, text in day.other_text:
        lines.append(f"{what[:1].upper()}{what[1:]}: {text}")
        kept.append(what)
    if lines:
        raw["note"] = "\n".join(lines)
    return raw, kept


def _day_carries_something(raw: dict[str, Any]) -> bool:
    """Whether a day record holds more than its date (a pregnancy test alone makes no day)."""
    return any(
        value not in (None, False, [], "") for key, value in raw.items() if key != "date"
    )


# --------------------------------------------------------------------------- planning the merge


@dataclass
class DayConflict:
    """A day the journal has, which the file records differently."""

    date: date
    day_id: int
    changes: list[tuple[str, str, str]]  # (field label, mine, theirs) for people
    merged: dict[str, Any]  # the day's fields if the file's values are taken


@dataclass
class OutcomeConflict:
    cycle_start: date
    mine: CycleOutcome
    theirs: CycleOutcome


@dataclass
class EntryConflict:
    """An entry of the journal (intercourse, a medicine, a progesterone test) that the file
    records differently: the same date (and time, when both have one), other values."""

    kind: str  # for people: "Intercourse", "Medicine", "Progesterone test"
    date: date
    mine: Any
    theirs: Any
    changes: list[tuple[str, str, str]]  # (field label, mine, theirs)
    fields: list[str]  # the attributes the file's values replace


@dataclass
class EntryPlan:
    new: list[Any] = field(default_factory=list)
    same: int = 0
    conflicts: list[EntryConflict] = field(default_factory=list)


@dataclass
class Plan:
    incoming: Incoming
    new_days: list[dict[str, Any]]
    same_days: int
    conflicts: list[DayConflict]
    new_tests: list[PregnancyTest]
    same_tests: int
    new_donors: list[Donor]
    matched_donors: dict[int, Donor]  # the file's donor ref -> the journal's same donor
    new_inseminations: list[Insemination]
    same_inseminations: int
    new_outcomes: list[CycleOutcome]
    same_outcomes: int
    outcome_conflicts: list[OutcomeConflict]
    intercourse: EntryPlan = field(default_factory=EntryPlan)
    medicines: EntryPlan = field(default_factory=EntryPlan)
    progesterone_tests: EntryPlan = field(default_factory=EntryPlan)

    @property
    def entry_plans(self) -> list[EntryPlan]:
        return [self.intercourse, self.medicines, self.progesterone_tests]

    @property
    def entry_conflicts(self) -> list[EntryConflict]:
        return [c for entries in self.entry_plans for c in entries.conflicts]

    @property
    def additions(self) -> list[tuple[str, int]]:
        """What will be added, by kind, for the preview (kinds with nothing left out)."""
        notes = sum(len(i.notes) for i in self.new_inseminations)
        found = [
            ("days", len(self.new_days)),
            ("pregnancy tests", len(self.new_tests)),
            ("donors", len(self.new_donors)),
            ("inseminations", len(self.new_inseminations)),
            ("notes after an insemination", notes),
            ("cycle outcomes", len(self.new_outcomes)),
            ("intercourse entries", len(self.intercourse.new)),
            ("medicines", len(self.medicines.new)),
            ("progesterone tests", len(self.progesterone_tests.new)),
        ]
        return [(kind, count) for kind, count in found if count]

    @property
    def addition_phrases(self) -> list[str]:
        return [plural(count, SINGULAR[kind], kind) for kind, count in self.additions]

    @property
    def already_there(self) -> int:
        return (
            self.same_days + self.same_tests + len(self.matched_donors)
            + self.same_inseminations + self.same_outcomes
            + sum(entries.same for entries in self.entry_plans)
        )

    @property
    def conflict_count(self) -> int:
        return len(self.conflicts) + len(self.outcome_conflicts) + len(self.entry_conflicts)

    @property
    def nothing_to_do(self) -> bool:
        return not self.additions and not self.conflict_count

    def fingerprint(self) -> str:
        """Names this plan, so that an apply can tell the journal changed since its preview."""
        parts = [repr(self.additions), repr(self.already_there)]
        parts += [c.date.isoformat() + repr(c.changes) for c in self.conflicts]
        parts += [c.cycle_start.isoformat() for c in self.outcome_conflicts]
        parts += [f"{c.kind}{c.date.isoformat()}{c.changes!r}" for c in self.entry_conflicts]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _empty(value: Any) -> bool:
    return value in (None, False, "")


def plan(user_id: int, incoming: Incoming) -> Plan:
    """Compare the file with the journal of ``user_id``: nothing is changed here."""
    new_days, conflicts, same_days = _plan_days(user_id, incoming.days)
    new_tests, same_tests = _plan_tests(user_id, incoming.tests)
    new_donors, matched = _plan_donors(user_id, incoming.donors)
    new_inseminations, same_inseminations = _plan_inseminations(
        user_id, incoming.inseminations, incoming.donors, matched
    )
    new_outcomes, same_outcomes, outcome_conflicts = _plan_outcomes(user_id, incoming.outcomes)
    return Plan(
        incoming, new_days, same_days, conflicts, new_tests, same_tests, new_donors, matched,
        new_inseminations, same_inseminations, new_outcomes, same_outcomes, outcome_conflicts,
        intercourse=_plan_entries(user_id, incoming.intercourse, INTERCOURSE_MERGE),
        medicines=_plan_entries(user_id, incoming.medicines, MEDICINE_MERGE),
        progesterone_tests=_plan_entries(user_id, incoming.progesterone_tests, PROGESTERONE_MERGE),
    )


def _plan_days(
    user_id: int, days: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[DayConflict], int]:
    if not days:
        return [], [], 0
    first, last = min(d["date"] for d in days), max(d["date"] for d in days)
    columns = [getattr(Day, name) for name in DAY_FIELDS]
    # Plain rows, not ORM objects: years of days are compared on an import of the same file again.
    mine = {
        row[1]: row
        for row in db.session.execute(
            select(Day.id, Day.date, *columns).where(Day.user_id == user_id, Day.date >= first, Day.date <= last)
        )
    }
    new, conflicts, same = [], [], 0
    for theirs in days:
        existing = mine.get(theirs["date"])
        if existing is None:
            new.append(theirs)
            continue
        changes = []
        merged = dict(zip(DAY_FIELDS, existing[2:]))
        for name in DAY_FIELDS:
            value = theirs[name]
            if _empty(value) or value == merged[name]:
                continue
            changes.append((FIELD_LABELS[name], shown(name, merged[name]), shown(name, value)))
            merged[name] = value
        if changes:
            conflicts.append(DayConflict(theirs["date"], existing[0], changes, merged))
        else:
            same += 1
    return new, conflicts, same


def shown(name: str, value: Any) -> str:
    """A day's stored value in words, for the preview."""
    if _empty(value) and value is not False:
        return "—"
    if name == "temperature_centi":
        return f"{value / 100:.2f} °C"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "symptoms_text":
        return ", ".join(v.SYMPTOMS.get(word, word) for word in value.split(",") if word)
    vocabulary = _VOCABULARIES.get(name)
    if vocabulary is not None:
        return vocabulary.get(value, value)
    return str(value)


def _plan_tests(user_id: int, tests: list[PregnancyTest]) -> tuple[list[PregnancyTest], int]:
    if not tests:
        return [], 0
    def key(test: PregnancyTest) -> tuple:
        return (test.date, test.time, test.kind, test.result, test.hcg_miu)
    mine = {key(t) for t in db.session.scalars(select(PregnancyTest).where(PregnancyTest.user_id == user_id))}
    new = [t for t in tests if key(t) not in mine]
    return new, len(tests) - len(new)


def _plan_donors(user_id: int, donors: dict[int, Donor]) -> tuple[list[Donor], dict[int, Donor]]:
    if not donors:
        return [], {}
    mine = {
        spec.donor_key(d.code, d.bank): d
        for d in db.session.scalars(select(Donor).where(Donor.user_id == user_id))
    }
    new, matched = [], {}
    for ref, donor in donors.items():
        existing = mine.get(spec.donor_key(donor.code, donor.bank))
        if existing is None:
            new.append(donor)
        else:
            matched[ref] = existing
    return new, matched


def _plan_inseminations(
    user_id: int, inseminations: list[Insemination], donors: dict[int, Donor], matched: dict[int, Donor]
) -> tuple[list[Insemination], int]:
    if not inseminations:
        return [], 0
    mine = {
        (i.date, i.time, i.method)
        for i in db.session.scalars(select(Insemination).where(Insemination.user_id == user_id))
    }
    replacement = {id(donors[ref]): existing for ref, existing in matched.items()}
    new = []
    for insemination in inseminations:
        if (insemination.date, insemination.time, insemination.method) in mine:
            continue
        if insemination.donor is not None and id(insemination.donor) in replacement:
            insemination.donor = replacement[id(insemination.donor)]
        new.append(insemination)
    return new, len(inseminations) - len(new)


def _plan_outcomes(
    user_id: int, outcomes: list[CycleOutcome]
) -> tuple[list[CycleOutcome], int, list[OutcomeConflict]]:
    if not outcomes:
        return [], 0, []
    mine = {
        o.cycle_start: o
        for o in db.session.scalars(select(CycleOutcome).where(CycleOutcome.user_id == user_id))
    }
    new, same, conflicts = [], 0, []
    for theirs in outcomes:
        existing = mine.get(theirs.cycle_start)
        if existing is None:
            new.append(theirs)
        elif (existing.outcome, existing.note) == (theirs.outcome, theirs.note) or (
            existing.outcome == theirs.outcome and theirs.note is None
        ):
            same += 1
        else:
            conflicts.append(OutcomeConflict(theirs.cycle_start, existing, theirs))
    return new, same, conflicts


@dataclass(frozen=True)
class EntryMerge:
    """How the entries of one kind are matched and compared.

    An entry of the file matches one of the journal's with the same ``group`` values on the
    same date, and the same time (or no time on one side: drip and Clue record none). The
    ``compared`` fields decide whether it is the same entry or a disagreement; only what the
    file records (not empty) can disagree, and only that replaces mine on "take theirs".
    """

    kind: str
    model: Any
    date_attribute: str
    group: tuple[str, ...]
    compared: dict[str, str]  # attribute -> label for people
    words: dict[str, dict[str, str]] = field(default_factory=dict)


INTERCOURSE_MERGE = EntryMerge(
    "Intercourse", Intercourse, "date", (),
    {"time": "Time", "sperm": "With sperm or protected", "note": "Note"},
    {"sperm": v.INTERCOURSE_SPERM},
)
MEDICINE_MERGE = EntryMerge(
    "Medicine", Medicine, "start_date", ("medicine",),
    {"name": "Name", "dose": "Dose", "dose_unit": "Unit", "route": "Route", "end_date": "Last day",
     "time": "Time", "note": "Note"},
    {"dose_unit": v.DOSE_UNITS, "route": v.MEDICINE_ROUTES},
)
PROGESTERONE_MERGE = EntryMerge(
    "Progesterone test", ProgesteroneTest, "date", ("kind",),
    {"time": "Time", "result": "Result", "value": "Value", "unit": "Unit", "brand": "Brand",
     "note": "Note"},
    {"result": v.PDG_RESULTS, "unit": v.PROGESTERONE_UNITS},
)


def _entry_shown(merge: EntryMerge, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return merge.words.get(name, {}).get(value, str(value))


def _plan_entries(user_id: int, theirs_all: list[Any], merge: EntryMerge) -> EntryPlan:
    planned = EntryPlan()
    if not theirs_all:
        return planned
    model, when = merge.model, merge.date_attribute
    dates = [getattr(entry, when) for entry in theirs_all]
    column = getattr(model, when)
    candidates: dict[tuple, list[Any]] = {}
    for entry in db.session.scalars(
        select(model)
        .where(model.user_id == user_id, column >= min(dates), column <= max(dates))
        .order_by(column, model.time, model.id)
    ):
        key = (getattr(entry, when), *(getattr(entry, name) for name in merge.group))
        candidates.setdefault(key, []).append(entry)
    for theirs in theirs_all:
        key = (getattr(theirs, when), *(getattr(theirs, name) for name in merge.group))
        mine = _match(candidates.get(key, []), theirs.time)
        if mine is None:
            planned.new.append(theirs)
            continue
        candidates[key].remove(mine)
        changes, replaced = [], []
        for name, label in merge.compared.items():
            value, current = getattr(theirs, name), getattr(mine, name)
            if _empty(value) or value == current:
                continue
            changes.append((label, _entry_shown(merge, name, current), _entry_shown(merge, name, value)))
            replaced.append(name)
        if changes:
            planned.conflicts.append(EntryConflict(merge.kind, key[0], mine, theirs, changes, replaced))
        else:
            planned.same += 1
    return planned


def _match(candidates: list[Any], at: time | None) -> Any | None:
    """The journal's entry the file's one is: the same time, else one where a side has none."""
    for entry in candidates:
        if entry.time == at:
            return entry
    for entry in candidates:
        if at is None or entry.time is None:
            return entry
    return None


# --------------------------------------------------------------------------- applying it


def apply(user_id: int, chosen: Plan, resolution: str) -> str:
    """Carry out ``chosen`` in the session (the caller commits, or rolls back on
    ImportRefused); ``resolution`` settles every conflict. Returns what was done, in words."""
    if resolution not in RESOLUTIONS:
        raise ImportRefused("Please choose whether your entries or the file's win." + NOTHING_IMPORTED)
    now = utcnow()
    if chosen.new_days:
        db.session.execute(insert(Day), day_rows(chosen.new_days, user_id))
    replaced = 0
    if resolution == THEIRS and chosen.conflicts:
        for conflict in chosen.conflicts:
            _check_merged(conflict)
        db.session.execute(
            update(Day),
            [{"id": c.day_id, **c.merged, "updated_at": now} for c in chosen.conflicts],
        )
        replaced = len(chosen.conflicts)
    rows: list[Any] = [
        *chosen.new_tests, *chosen.new_donors, *chosen.new_outcomes,
        *(entry for entries in chosen.entry_plans for entry in entries.new),
    ]
    for row in rows:
        row.user_id = user_id
        db.session.add(row)
    for insemination in chosen.new_inseminations:
        insemination.user_id = user_id
        for note in insemination.notes:
            note.user_id = user_id
        db.session.add(insemination)
    if resolution == THEIRS:
        for disagreement in chosen.outcome_conflicts:
            disagreement.mine.outcome = disagreement.theirs.outcome
            disagreement.mine.note = disagreement.theirs.note
            replaced += 1
        for entry in chosen.entry_conflicts:
            for name in entry.fields:
                setattr(entry.mine, name, getattr(entry.theirs, name))
            _check_merged_entry(entry)
            entry.mine.updated_at = now
            replaced += 1
    # The bulk statements bypass the session's flush, which bumps the revision by itself.
    revisions.bump(db.session(), [user_id])
    db.session.flush()
    parts = chosen.addition_phrases
    said = "added " + ", ".join(parts) if parts else "nothing new added"
    if chosen.conflict_count:
        if resolution == THEIRS:
            said += f"; {plural(replaced, 'entry', 'entries')} of yours took the file's values"
        else:
            said += f"; {plural(chosen.conflict_count, 'entry', 'entries')} of yours kept as they were"
    return said


def _check_merged(conflict: DayConflict) -> None:
    """A day with some of the file's values and some of the journal's must still be a day the
    forms would accept (spec's cross-field rules)."""
    merged = conflict.merged
    problems = spec.day_problems(
        bleeding=merged["bleeding"],
        not_period=merged["not_period"],
        starts_cycle=merged["starts_cycle"],
        has_temperature=merged["temperature_centi"] is not None,
        has_temperature_time=merged["temperature_time"] is not None,
        temperature_disturbance=merged["temperature_disturbance"],
        ovulation_test=merged["ovulation_test"],
        ovulation_test_brand=merged["ovulation_test_brand"],
    )
    if problems:
        raise ImportRefused(
            f"{conflict.date.isoformat()}: with the file's values, your day would not be "
            f"right: {problems[0].message}" + NOTHING_IMPORTED
        )


def _check_merged_entry(conflict: EntryConflict) -> None:
    """An entry with some of the file's values and some of mine must still be one the forms
    would accept (spec's cross-field rules; intercourse has none)."""
    entry = conflict.mine
    problems: list[spec.Problem] = []
    if isinstance(entry, Medicine):
        problems = spec.medicine_problems(
            medicine=entry.medicine, name=entry.name, dose=entry.dose, dose_unit=entry.dose_unit,
            start_date=entry.start_date, end_date=entry.end_date,
        )
    elif isinstance(entry, ProgesteroneTest):
        problems = spec.progesterone_test_problems(
            kind=entry.kind, result=entry.result, value=entry.value, unit=entry.unit
        )
    if problems:
        raise ImportRefused(
            f"{conflict.date.isoformat()}: with the file's values, your {conflict.kind.lower()} "
            f"would not be right: {problems[0].message}" + NOTHING_IMPORTED
        )
