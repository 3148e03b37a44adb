"""Owner-scoped reads. Every query here filters on the signed-in person's ``user_id``.

:func:`owned` fetches one row by id or aborts with 404 (never 403: another person's entry does
not exist as far as anyone else can tell). :func:`load_cycle` gathers one cycle's days,
inseminations (with notes and donors), tests and outcome in a handful of queries, for the cycle
view and for the chart built on top of it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import BindParameter, Select, and_, bindparam, func, or_, select, union_all, update
from sqlalchemy.orm import joinedload, selectinload

from ..encryption import EncryptedText
from ..extensions import Model, db
from ..fertility.cycles import CycleSpan, cycle_containing, cycles_from_starts, derive_cycle_starts
from ..fertility.medication import TRIGGER
from ..fertility.vials import VialCount, vial_count
from .history import journal_state, remembered
from .models import (
    HCG_POSITIVE_FROM,
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

Row = TypeVar("Row", bound=Model)


# --------------------------------------------------------------------------- rows that are only read

# The parameters of the statements built once below: the owner, and a range of dates.
_OWNER: BindParameter[Any] = bindparam("user_id")
_FIRST: BindParameter[Any] = bindparam("first")
_LAST: BindParameter[Any] = bindparam("last")


def light_class(model: type, names: Sequence[str], extra: Sequence[str] = ()) -> Any:
    """A read-only stand-in for ``model``'s rows on pages that only read: a named tuple of the
    columns ``names`` (and ``extra`` values, such as a related row), with the model's own
    properties (``Day.temperature_c``, ``PregnancyTest.is_positive`` ...), so templates read it
    as they read the model. Built from Core rows: no ORM object, no identity map, and only the
    columns a page shows are read (and decrypted)."""
    base = namedtuple(f"{model.__name__}Row", (*names, *extra))  # type: ignore[misc]
    properties = {
        name: value for name, value in vars(model).items()
        if isinstance(value, property) and name not in base._fields
    }
    return type(base.__name__, (base,), {"__slots__": (), "__module__": __name__, **properties})


def columns_of(model: type, *leave_out: str) -> tuple[str, ...]:
    """Every column attribute of ``model`` but ``leave_out`` (by attribute name)."""
    return tuple(
        attribute.key for attribute in model.__mapper__.column_attrs  # type: ignore[attr-defined]
        if attribute.key not in leave_out
    )


def select_light(cls: type, model: type) -> Select:
    """A select of the columns of ``cls`` (a :func:`light_class` of ``model``) without extras."""
    return select(*(getattr(model, name) for name in cls._fields if name in model.__mapper__.column_attrs))  # type: ignore[attr-defined]


def span_finder(spans: Sequence[CycleSpan]) -> Callable[[date], CycleSpan | None]:
    """:func:`webapp.fertility.cycles.cycle_containing` for many dates over the same cycles
    (the starts listed once, not on every call)."""
    starts = [span.start for span in spans]

    def find(day: date) -> CycleSpan | None:
        position = bisect_right(starts, day)
        return spans[position - 1] if position else None

    return find


def owner_id() -> int:
    return current_user.id


def owned(model: type[Row], row_id: int, *options) -> Row:
    """The signed-in person's row of ``model`` with this id, or a 404."""
    # The table's columns, typed for any model (a journal model has both).
    columns = model.__table__.c
    row = db.session.scalar(
        select(model).where(columns.id == row_id, columns.user_id == owner_id()).options(*options)
    )
    if row is None:
        abort(404)
    return row


DayDate = light_class(Day, ("id", "date"))
_OWNED_DAY = select(Day.id, Day.date).where(Day.id == bindparam("day_id"), Day.user_id == bindparam("user_id"))


def owned_day_date(day_id: int) -> Any:
    """The id and date of the signed-in person's day with this id (a :func:`light_class` row:
    the cycle pages need no more of it), or a 404."""
    row = db.session.connection().execute(_OWNED_DAY, {"day_id": day_id, "user_id": owner_id()}).first()
    if row is None:
        abort(404)
    return DayDate._make(row)


def mine(model) -> Select:
    """``select(model)`` limited to the signed-in person's rows."""
    return select(model).where(model.user_id == owner_id())


# --------------------------------------------------------------------------- cycles


def cycle_spans(user_id: int) -> list[CycleSpan]:
    """Every cycle of a person, oldest first, from their bleeding days and marked starts."""
    return cycle_spans_and_start_ids(user_id)[0]


def cycle_spans_and_start_ids(user_id: int) -> tuple[list[CycleSpan], dict[date, int]]:
    """The cycles, and the id of the day each one starts on (cycle pages are addressed by it).

    One Core query over the bleeding and marked days only (a few hundred rows in five years),
    without building ORM objects: this runs on most journal pages. Kept with the person's
    journal revision (:func:`webapp.journal.history.journal_state`), so it is read once a change.
    """
    state = journal_state(user_id)
    if state.spans is None or state.start_ids is None:
        state.spans, state.start_ids = _read_cycle_spans(user_id)
    return list(state.spans), dict(state.start_ids)


def _read_cycle_spans(user_id: int) -> tuple[list[CycleSpan], dict[date, int]]:
    rows = db.session.connection().execute(
        select(Day.date, Day.id, Day.bleeding, Day.not_period, Day.starts_cycle).where(
            Day.user_id == user_id,
            or_(Day.bleeding.is_not(None), Day.starts_cycle.is_(True)),
        )
    )
    period, manual, ids = [], [], {}
    for day, day_id, bleeding, not_period, starts_cycle in rows:
        ids[day] = day_id
        if bleeding is not None and not not_period:
            period.append(day)
        if starts_cycle:
            manual.append(day)
    spans = cycles_from_starts(derive_cycle_starts(period, manual))
    return spans, {span.start: ids[span.start] for span in spans}


def days_in(user_id: int, first: date, last: date) -> list[Day]:
    return list(
        db.session.scalars(
            select(Day)
            .where(Day.user_id == user_id, Day.date >= first, Day.date <= last)
            .order_by(Day.date)
        )
    )


def day_by_date(user_id: int, when: date) -> Day | None:
    return db.session.scalar(select(Day).where(Day.user_id == user_id, Day.date == when))


@dataclass
class CycleBundle:
    """One cycle with everything logged in it, ready for a page or the chart."""

    cycle: CycleSpan
    last_day: date
    days: list[Day]
    inseminations: list[Insemination]
    tests: list[PregnancyTest]
    outcome: CycleOutcome | None
    intercourse: list[Intercourse] = field(default_factory=list)
    medicines: list[Medicine] = field(default_factory=list)  # every course that touches the cycle
    progesterone_tests: list[ProgesteroneTest] = field(default_factory=list)
    previous: CycleSpan | None = None
    following: CycleSpan | None = None
    days_by_date: dict[date, Day] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.days_by_date = {day.date: day for day in self.days}

    def dates(self) -> list[date]:
        count = (self.last_day - self.cycle.start).days + 1
        return [self.cycle.start + timedelta(days=offset) for offset in range(count)]


# Read-only rows for the cycle pages: every column but the timestamps, which no page shows
# ("full"), or also without the free text a page does not show ("plain": the chart page;
# medicines keep their name and donors their code and bank, which it does show).
_STAMPS = ("created_at", "updated_at")


def _free_text(model: Any, keep: Sequence[str] = ()) -> tuple[str, ...]:
    return tuple(
        attribute.key for attribute in model.__mapper__.column_attrs
        if isinstance(attribute.columns[0].type, EncryptedText) and attribute.key not in keep
    )


DonorName = light_class(Donor, ("id", "kind", "code", "bank"))
# Each statement with an encrypted column is built once: SQLAlchemy compares the columns of an
# equal statement built anew with the cached one's, which an encrypted column refuses.
_DONOR_NAMES = select_light(DonorName, Donor).where(
    Donor.user_id == _OWNER, Donor.id.in_(bindparam("ids", expanding=True))
)


class CycleRows:
    """The light classes and prebuilt statements :func:`load_cycle` reads one cycle with."""

    def __init__(self, text: bool):
        def leave_out(model: Any, keep: Sequence[str] = ()) -> tuple[str, ...]:
            return _STAMPS if text else (*_STAMPS, *_free_text(model, keep))

        self.text = text
        self.Day = light_class(Day, columns_of(Day, *leave_out(Day)))
        self.Donor = DonorName
        self.Note = light_class(InseminationNote, columns_of(InseminationNote, *_STAMPS))
        self.Insemination = light_class(
            Insemination, columns_of(Insemination, *leave_out(Insemination)), extra=("donor", "notes")
        )
        self.Test = light_class(PregnancyTest, columns_of(PregnancyTest, *leave_out(PregnancyTest)))
        self.Outcome = light_class(CycleOutcome, columns_of(CycleOutcome, *leave_out(CycleOutcome)))
        self.Intercourse = light_class(Intercourse, columns_of(Intercourse, *leave_out(Intercourse)))
        self.Medicine = light_class(Medicine, columns_of(Medicine, *leave_out(Medicine, keep=("name",))))
        self.Progesterone = light_class(ProgesteroneTest, columns_of(ProgesteroneTest, *leave_out(ProgesteroneTest)))

        self.days = (
            select_light(self.Day, Day)
            .where(Day.user_id == _OWNER, Day.date >= _FIRST, Day.date <= _LAST)
            .order_by(Day.date)
        )
        self.inseminations = self._dated(self.Insemination, Insemination)
        self.notes = (
            select_light(self.Note, InseminationNote)
            .where(
                InseminationNote.user_id == _OWNER,
                InseminationNote.insemination_id.in_(bindparam("ids", expanding=True)),
            )
            .order_by(InseminationNote.noted_at, InseminationNote.id)
        )
        self.donors = _DONOR_NAMES
        self.tests = self._dated(self.Test, PregnancyTest)
        self.intercourse = self._dated(self.Intercourse, Intercourse)
        self.progesterone = self._dated(self.Progesterone, ProgesteroneTest)
        self.medicines = (
            select_light(self.Medicine, Medicine)
            .where(
                Medicine.user_id == _OWNER,
                Medicine.start_date <= _LAST,
                or_(Medicine.end_date.is_(None), Medicine.end_date >= _FIRST),
            )
            .order_by(Medicine.start_date, Medicine.id)
        )
        self.outcome = (
            select_light(self.Outcome, CycleOutcome)
            .where(
                CycleOutcome.user_id == _OWNER,
                CycleOutcome.cycle_start >= _FIRST,
                CycleOutcome.cycle_start <= _LAST,
            )
            .order_by(CycleOutcome.updated_at.desc(), CycleOutcome.id.desc())
            .limit(1)
        )

    @staticmethod
    def _dated(cls: type, model: Any) -> Select:
        """A person's rows of a dated model from ``first`` to ``last``, by date, time and id."""
        return (
            select_light(cls, model)
            .where(model.user_id == _OWNER, model.date >= _FIRST, model.date <= _LAST)
            .order_by(model.date, model.time, model.id)
        )


CYCLE_ROWS = {True: CycleRows(text=True), False: CycleRows(text=False)}


def load_cycle(
    user_id: int, cycles: list[CycleSpan], cycle: CycleSpan, today: date, *, text: bool = True
) -> CycleBundle:
    """Days, inseminations with their donors and notes, tests, the outcome, intercourse,
    medicines and progesterone tests of one cycle: read-only rows (:func:`light_class`), a
    handful of indexed queries and no ORM objects (the pages only read them).

    ``text=False`` leaves out the free text (notes, feelings, mood, symptoms, brands ...) and
    the inseminations' notes, for pages that show none of it: it is neither read nor decrypted.

    The bundle is kept with the person's journal revision (:func:`history.remembered`), so a
    cycle viewed again before anything changes is not read again. Its rows are read-only.
    """
    key = ("cycle", cycle, cycles[cycle.number - 2] if cycle.number > 1 else None, today, text)
    return remembered(user_id, key, lambda: _load_cycle(user_id, cycles, cycle, today, text))


def _load_cycle(user_id: int, cycles: list[CycleSpan], cycle: CycleSpan, today: date, text: bool) -> CycleBundle:
    rows = CYCLE_ROWS[text]
    last = cycle.last_day(today)
    # The current cycle also shows anything logged after today (a note timed ahead, say).
    upper = cycle.end or date.max
    where = {"user_id": user_id, "first": cycle.start, "last": upper}
    connection = db.session.connection()

    def read(cls: type, statement: Select) -> list[Any]:
        make = cls._make  # type: ignore[attr-defined]
        return [make(row) for row in connection.execute(statement, where)]

    days = read(rows.Day, rows.days)
    if days and days[-1].date > last:
        last = days[-1].date
    found = list(connection.execute(rows.inseminations, where))
    notes: dict[int, list] = {}
    donors_by_id: dict[int, Any] = {}
    if found:
        if text:
            ids = {"user_id": user_id, "ids": [row.id for row in found]}
            for row in connection.execute(rows.notes, ids):
                notes.setdefault(row.insemination_id, []).append(rows.Note._make(row))
        donor_ids = sorted({row.donor_id for row in found if row.donor_id is not None})
        if donor_ids:
            donors_by_id = {
                row.id: rows.Donor._make(row)
                for row in connection.execute(rows.donors, {"user_id": user_id, "ids": donor_ids})
            }
    inseminations = [
        rows.Insemination(*row, donors_by_id.get(row.donor_id), notes.get(row.id, [])) for row in found
    ]
    outcome = connection.execute(rows.outcome, where).first()
    position = cycle.number - 1
    return CycleBundle(
        cycle=cycle,
        last_day=last,
        days=days,
        inseminations=inseminations,
        tests=read(rows.Test, rows.tests),
        outcome=None if outcome is None else rows.Outcome._make(outcome),
        intercourse=read(rows.Intercourse, rows.intercourse),
        medicines=read(rows.Medicine, rows.medicines),
        progesterone_tests=read(rows.Progesterone, rows.progesterone),
        previous=cycles[position - 1] if position > 0 else None,
        following=cycles[position + 1] if position + 1 < len(cycles) else None,
    )


def dated_in(model, user_id: int, first: date, last: date) -> list:
    """A person's rows of a dated model (``date`` and ``time`` columns) from ``first`` to ``last``."""
    return list(
        db.session.scalars(
            select(model)
            .where(model.user_id == user_id, model.date >= first, model.date <= last)
            .order_by(model.date, model.time, model.id)
        )
    )


def medicines_touching(user_id: int, first: date, last: date) -> list[Medicine]:
    """Every course of a person that covers at least one day from ``first`` to ``last``."""
    return list(
        db.session.scalars(
            select(Medicine)
            .where(
                Medicine.user_id == user_id,
                Medicine.start_date <= last,
                or_(Medicine.end_date.is_(None), Medicine.end_date >= first),
            )
            .order_by(Medicine.start_date, Medicine.id)
        )
    )


def trigger_shots(user_id: int, first: date, last: date) -> list[Medicine]:
    """A person's hCG trigger shots given from ``first`` to ``last``."""
    return list(
        db.session.scalars(
            select(Medicine)
            .where(
                Medicine.user_id == user_id,
                Medicine.medicine == TRIGGER,
                Medicine.start_date >= first,
                Medicine.start_date <= last,
            )
            .order_by(Medicine.start_date, Medicine.id)
        )
    )


def outcome_for(user_id: int, cycle: CycleSpan) -> CycleOutcome | None:
    """The outcome recorded for a cycle: filed under its start, or under any date inside it
    (starts move when bleeding is edited; the latest record wins)."""
    upper = cycle.end or date.max
    return db.session.scalar(
        select(CycleOutcome)
        .where(
            CycleOutcome.user_id == user_id,
            CycleOutcome.cycle_start >= cycle.start,
            CycleOutcome.cycle_start <= upper,
        )
        .order_by(CycleOutcome.updated_at.desc(), CycleOutcome.id.desc())
        .limit(1)
    )


def outcomes_by_start(user_id: int) -> list[CycleOutcome]:
    return list(
        db.session.scalars(
            select(CycleOutcome).where(CycleOutcome.user_id == user_id).order_by(CycleOutcome.cycle_start)
        )
    )


# --------------------------------------------------------------------------- history


def latest_insemination(user_id: int, on_or_before: date) -> Insemination | None:
    return db.session.scalar(
        select(Insemination)
        .where(Insemination.user_id == user_id, Insemination.date <= on_or_before)
        .order_by(Insemination.date.desc(), Insemination.time.desc(), Insemination.id.desc())
        .limit(1)
    )


PlainDay = CYCLE_ROWS[False].Day
PlainInsemination = CYCLE_ROWS[False].Insemination
PlainTest = CYCLE_ROWS[False].Test
_DAY_ON = select_light(PlainDay, Day).where(Day.user_id == _OWNER, Day.date == _LAST)
_LATEST_INSEMINATION = (
    select_light(PlainInsemination, Insemination)
    .where(Insemination.user_id == _OWNER, Insemination.date <= _LAST)
    .order_by(Insemination.date.desc(), Insemination.time.desc(), Insemination.id.desc())
    .limit(1)
)
_RECENT: BindParameter[Any] = bindparam("recent")
_RECENT_DAYS = (
    select_light(CYCLE_ROWS[True].Day, Day).where(Day.user_id == _OWNER).order_by(Day.date.desc()).limit(_RECENT)
)
_RECENT_INSEMINATIONS = (
    select_light(PlainInsemination, Insemination)
    .where(Insemination.user_id == _OWNER)
    .order_by(Insemination.date.desc(), Insemination.id.desc())
    .limit(_RECENT)
)
_RECENT_TESTS = (
    select_light(PlainTest, PregnancyTest)
    .where(PregnancyTest.user_id == _OWNER)
    .order_by(PregnancyTest.date.desc(), PregnancyTest.id.desc())
    .limit(_RECENT)
)


CalendarDay = light_class(Day, (
    "id", "date", "bleeding", "not_period", "starts_cycle", "temperature_centi", "temperature_disturbance",
    "mucus_feeling", "mucus_appearance", "cervix_position", "cervix_firmness", "cervix_opening", "ovulation_test",
))
CalendarEntry = light_class(Insemination, ("id", "date"))
CalendarIntercourse = light_class(Intercourse, ("id", "date", "sperm"))
_CALENDAR_DAYS = (
    select_light(CalendarDay, Day).where(Day.user_id == _OWNER, Day.date >= _FIRST, Day.date <= _LAST).order_by(Day.date)
)
_CALENDAR_INSEMINATIONS = (
    select(Insemination.id, Insemination.date)
    .where(Insemination.user_id == _OWNER, Insemination.date >= _FIRST, Insemination.date <= _LAST)
    .order_by(Insemination.date, Insemination.id)
)
_CALENDAR_TESTS = (
    select_light(CYCLE_ROWS[False].Test, PregnancyTest)
    .where(PregnancyTest.user_id == _OWNER, PregnancyTest.date >= _FIRST, PregnancyTest.date <= _LAST)
    .order_by(PregnancyTest.date, PregnancyTest.id)
)
_CALENDAR_INTERCOURSE = (
    select(Intercourse.id, Intercourse.date, Intercourse.sperm)
    .where(Intercourse.user_id == _OWNER, Intercourse.date >= _FIRST, Intercourse.date <= _LAST)
    .order_by(Intercourse.date, Intercourse.time, Intercourse.id)
)


def calendar_rows(user_id: int, first: date, last: date) -> dict[str, list[Any]]:
    """What a month calendar shows from ``first`` to ``last``, as read-only rows of the columns
    it shows (no free text): days, inseminations, pregnancy tests and intercourse."""
    connection = db.session.connection()
    where = {"user_id": user_id, "first": first, "last": last}
    found = {}
    for name, cls, statement in (
        ("days", CalendarDay, _CALENDAR_DAYS),
        ("inseminations", CalendarEntry, _CALENDAR_INSEMINATIONS),
        ("tests", CYCLE_ROWS[False].Test, _CALENDAR_TESTS),
        ("intercourse", CalendarIntercourse, _CALENDAR_INTERCOURSE),
    ):
        make = cls._make
        found[name] = [make(row) for row in connection.execute(statement, where)]
    return found


_INSEMINATION_USES = (
    select(Insemination.date, Insemination.donor_id, Insemination.vials_used, Insemination.cost_cents)
    .where(Insemination.user_id == _OWNER)
    .order_by(Insemination.date, Insemination.id)
)
_DONOR_NAMES_OF = select_light(DonorName, Donor).where(Donor.user_id == _OWNER)
_OUTCOMES = (
    select(CycleOutcome.cycle_start, CycleOutcome.outcome)
    .where(CycleOutcome.user_id == _OWNER)
    .order_by(CycleOutcome.cycle_start)
)


def insemination_uses(user_id: int) -> list[Any]:
    """Every insemination's date, donor id, vials used and cost, oldest first (Core rows)."""
    return list(db.session.connection().execute(_INSEMINATION_USES, {"user_id": user_id}))


def donor_names(user_id: int) -> dict[int, Any]:
    """{donor id: a read-only row with the donor's ``name``} of the person's donors."""
    rows = db.session.connection().execute(_DONOR_NAMES_OF, {"user_id": user_id})
    return {row.id: DonorName._make(row) for row in rows}


def outcome_kinds(user_id: int) -> list[Any]:
    """Every recorded outcome's ``cycle_start`` and ``outcome`` (no note), oldest first."""
    return list(db.session.connection().execute(_OUTCOMES, {"user_id": user_id}))


_TESTS_FROM = (
    select_light(PlainTest, PregnancyTest)
    .where(PregnancyTest.user_id == _OWNER, PregnancyTest.date >= _FIRST)
    .order_by(PregnancyTest.date, PregnancyTest.time, PregnancyTest.id)
)
_OUTCOME_KIND = (
    select(CycleOutcome.outcome)
    .where(CycleOutcome.user_id == _OWNER, CycleOutcome.cycle_start >= _FIRST, CycleOutcome.cycle_start <= _LAST)
    .order_by(CycleOutcome.updated_at.desc(), CycleOutcome.id.desc())
    .limit(1)
)


def pregnancy_test_rows_from(user_id: int, first: date) -> list[Any]:
    """:func:`tests_in` from ``first`` on, as read-only rows without their free text."""
    rows = db.session.connection().execute(_TESTS_FROM, {"user_id": user_id, "first": first})
    return [PlainTest._make(row) for row in rows]


def outcome_kind_for(user_id: int, cycle: CycleSpan) -> str | None:
    """:func:`outcome_for`'s ``outcome`` alone (its note is neither read nor decrypted)."""
    where = {"user_id": user_id, "first": cycle.start, "last": cycle.end or date.max}
    return db.session.connection().execute(_OUTCOME_KIND, where).scalar()


def day_row_on(user_id: int, when: date) -> Any:
    """The person's day on ``when`` as a read-only row without its free text, or None."""
    row = db.session.connection().execute(_DAY_ON, {"user_id": user_id, "last": when}).first()
    return None if row is None else PlainDay._make(row)


def latest_insemination_row(user_id: int, on_or_before: date) -> Any:
    """:func:`latest_insemination` as a read-only row (no free text, no donor), or None."""
    row = db.session.connection().execute(_LATEST_INSEMINATION, {"user_id": user_id, "last": on_or_before}).first()
    return None if row is None else PlainInsemination(*row, None, [])


def recent_rows(user_id: int, count: int) -> tuple[list[Any], list[Any], list[Any]]:
    """The person's latest ``count`` days (with their text: summaries say "a note"),
    inseminations and tests, newest first, as read-only rows."""
    connection = db.session.connection()
    where = {"user_id": user_id, "recent": count}
    make_day = CYCLE_ROWS[True].Day._make
    days = [make_day(row) for row in connection.execute(_RECENT_DAYS, where)]
    inseminations = [PlainInsemination(*row, None, []) for row in connection.execute(_RECENT_INSEMINATIONS, where)]
    tests = [PlainTest._make(row) for row in connection.execute(_RECENT_TESTS, where)]
    return days, inseminations, tests


def positive_test_condition():
    return or_(
        and_(PregnancyTest.kind == "home", PregnancyTest.result.in_(("faint", "positive"))),
        and_(PregnancyTest.kind == "blood", PregnancyTest.hcg_miu >= HCG_POSITIVE_FROM),
    )


def latest_positive_test(
    user_id: int, on_or_before: date, excluding_id: int | None = None
) -> PregnancyTest | None:
    query = select(PregnancyTest).where(
        PregnancyTest.user_id == user_id,
        PregnancyTest.date <= on_or_before,
        positive_test_condition(),
    )
    if excluding_id is not None:
        query = query.where(PregnancyTest.id != excluding_id)
    return db.session.scalar(
        query.order_by(PregnancyTest.date.desc(), PregnancyTest.time.desc(), PregnancyTest.id.desc()).limit(1)
    )


def previous_blood_test(user_id: int, test: PregnancyTest) -> PregnancyTest | None:
    """The blood test just before this one (by date, then time, then id)."""
    candidates = db.session.scalars(
        select(PregnancyTest)
        .where(
            PregnancyTest.user_id == user_id,
            PregnancyTest.kind == "blood",
            PregnancyTest.id != test.id,
            PregnancyTest.date <= test.date,
            PregnancyTest.date >= test.date - timedelta(days=30),
        )
        .order_by(PregnancyTest.date.desc(), PregnancyTest.id.desc())
    )
    earlier = [c for c in candidates if (c.taken_at, c.id) < (test.taken_at, test.id)]
    return max(earlier, key=lambda c: (c.taken_at, c.id), default=None)


def tests_between(user_id: int, first: date, last: date) -> list[PregnancyTest]:
    """A person's pregnancy tests from ``first`` to ``last``, in the order they were taken."""
    tests = db.session.scalars(
        select(PregnancyTest).where(
            PregnancyTest.user_id == user_id, PregnancyTest.date >= first, PregnancyTest.date <= last
        )
    )
    return sorted(tests, key=lambda test: (test.taken_at, test.id))


def inseminations_between(user_id: int, first: date, last: date) -> list[Insemination]:
    return list(
        db.session.scalars(
            select(Insemination)
            .where(Insemination.user_id == user_id, Insemination.date >= first, Insemination.date <= last)
            .order_by(Insemination.date, Insemination.id)
        )
    )


def used_donor_before(user_id: int, insemination: Insemination) -> bool:
    """Whether an earlier insemination of this person used the same donor."""
    if insemination.donor_id is None:
        return False
    earlier = select(Insemination.id).where(
        Insemination.user_id == user_id,
        Insemination.donor_id == insemination.donor_id,
        Insemination.id != insemination.id,
        or_(
            Insemination.date < insemination.date,
            and_(Insemination.date == insemination.date, Insemination.id < insemination.id),
        ),
    )
    return db.session.scalar(earlier.limit(1)) is not None


def loss_count(user_id: int) -> int:
    """Cycles recorded as ending in a chemical pregnancy or a loss."""
    return db.session.scalar(
        select(func.count(CycleOutcome.id)).where(
            CycleOutcome.user_id == user_id, CycleOutcome.outcome.in_(("chemical", "loss"))
        )
    ) or 0


_INSEMINATION_DATES_THROUGH = select(Insemination.date).where(
    Insemination.user_id == _OWNER, Insemination.date <= _LAST
)
_PREGNANCY_STARTS_THROUGH = select(CycleOutcome.cycle_start).where(
    CycleOutcome.user_id == _OWNER, CycleOutcome.outcome == "pregnancy", CycleOutcome.cycle_start <= _LAST
)


def insemination_cycles_without_pregnancy(user_id: int, spans: list[CycleSpan], through: CycleSpan) -> int:
    """Cycles up to ``through`` with an insemination and no recorded pregnancy, counted since
    the last cycle that led to a pregnancy (NICE CG156 counts cycles of insemination)."""
    where = {"user_id": user_id, "last": through.end or date.max}
    connection = db.session.connection()
    find = span_finder(spans)
    with_insemination = {
        span.number for (when,) in connection.execute(_INSEMINATION_DATES_THROUGH, where) if (span := find(when))
    }
    pregnant = {
        span.number for (when,) in connection.execute(_PREGNANCY_STARTS_THROUGH, where) if (span := find(when))
    }
    since = max(pregnant, default=0)
    return len({number for number in with_insemination if since < number <= through.number})


def donors(user_id: int) -> list[Donor]:
    return list(
        db.session.scalars(
            select(Donor).where(Donor.user_id == user_id).order_by(Donor.created_at, Donor.id)
        )
    )


def donor_usage(user_id: int) -> dict[int, int]:
    """How many inseminations each donor has: {donor_id: count}."""
    rows = db.session.execute(
        select(Insemination.donor_id, func.count())
        .where(Insemination.user_id == user_id, Insemination.donor_id.is_not(None))
        .group_by(Insemination.donor_id)
    )
    return {donor_id: count for donor_id, count in rows if donor_id is not None}


def vial_ledger(user_id: int, donor_id: int | None = None) -> list[VialEntry]:
    """A person's vial ledger (one donor's, when given), oldest first."""
    query = select(VialEntry).where(VialEntry.user_id == user_id)
    if donor_id is not None:
        query = query.where(VialEntry.donor_id == donor_id)
    return list(db.session.scalars(query.order_by(VialEntry.date, VialEntry.id)))


def donor_inseminations(user_id: int, donor_id: int) -> list[Insemination]:
    return list(db.session.scalars(
        select(Insemination)
        .where(Insemination.user_id == user_id, Insemination.donor_id == donor_id)
        .order_by(Insemination.date, Insemination.id)
    ))


_VIAL_ENTRIES = select(VialEntry.donor_id, VialEntry.kind, VialEntry.vials, VialEntry.cost_cents).where(
    VialEntry.user_id == _OWNER
)
_VIALS_USED = select(Insemination.donor_id, Insemination.vials_used).where(
    Insemination.user_id == _OWNER, Insemination.donor_id.is_not(None)
)
_DONOR_IDS = select(Donor.id).where(Donor.user_id == _OWNER).order_by(Donor.created_at, Donor.id)


def vial_counts(user_id: int) -> dict[int, VialCount]:
    """Each donor's vials from the ledger and the inseminations: {donor_id: count}. Reads the
    counting columns only (Core rows: no notes, banks or vial numbers are read or decrypted)."""
    connection = db.session.connection()
    where = {"user_id": user_id}
    entries: dict[int, list[Any]] = {}
    for entry in connection.execute(_VIAL_ENTRIES, where):
        entries.setdefault(entry.donor_id, []).append(entry)
    uses: dict[int, list[Any]] = {}
    for insemination in connection.execute(_VIALS_USED, where):
        uses.setdefault(insemination.donor_id, []).append(insemination)
    return {
        donor_id: vial_count(entries.get(donor_id, []), uses.get(donor_id, []))
        for (donor_id,) in connection.execute(_DONOR_IDS, where)
    }


def lock_donor_and_count(user_id: int, donor_id: int, except_insemination: int | None = None) -> VialCount | None:
    """Lock the owner's donor row until the transaction ends, then count its vials (without
    the insemination being edited). None when the donor is not theirs.

    The lock is a write to the donor row that changes nothing: PostgreSQL holds a row lock,
    SQLite the database's write lock, so a second insemination of the same donor waits here
    until the first is committed, and then counts it (security finding 11: two inseminations
    taking the last vial at once must not both succeed). Call it before the new row is added
    to the session, and commit or roll back soon after."""
    locked = db.session.execute(
        update(Donor)
        .where(Donor.id == donor_id, Donor.user_id == user_id)
        .values(updated_at=Donor.updated_at)
        .execution_options(synchronize_session=False)
    )
    if not getattr(locked, "rowcount", 0):
        return None
    entries = list(db.session.scalars(
        select(VialEntry).where(VialEntry.user_id == user_id, VialEntry.donor_id == donor_id)
    ))
    query = select(Insemination).where(Insemination.user_id == user_id, Insemination.donor_id == donor_id)
    if except_insemination is not None:
        query = query.where(Insemination.id != except_insemination)
    return vial_count(entries, list(db.session.scalars(query.execution_options(autoflush=False))))


_ANY_ENTRY = union_all(*(
    select(model.id).where(model.user_id == _OWNER).limit(1).subquery().select()
    for model in (Day, Insemination, PregnancyTest, Donor, CycleOutcome, Intercourse, Medicine, ProgesteroneTest)
)).limit(1)


def has_entries(user_id: int) -> bool:
    """Whether the person has logged anything at all (one query)."""
    return db.session.connection().execute(_ANY_ENTRY, {"user_id": user_id}).first() is not None


def start_day_ids(user_id: int, starts: list[date]) -> dict[date, int]:
    if not starts:
        return {}
    rows = db.session.connection().execute(
        select(Day.date, Day.id).where(Day.user_id == user_id, Day.date.in_(starts))
    )
    return {when: day_id for when, day_id in rows}


# --------------------------------------------------------------------------- pregnancy, waiting


def tests_in(user_id: int, first: date, last: date | None = None) -> list[PregnancyTest]:
    """The pregnancy tests from ``first`` through ``last`` (open-ended without), oldest first."""
    query = select(PregnancyTest).where(PregnancyTest.user_id == user_id, PregnancyTest.date >= first)
    if last is not None:
        query = query.where(PregnancyTest.date <= last)
    return list(db.session.scalars(query.order_by(PregnancyTest.date, PregnancyTest.time, PregnancyTest.id)))


def last_insemination_between(user_id: int, first: date, last: date) -> date | None:
    return db.session.scalar(
        select(Insemination.date)
        .where(Insemination.user_id == user_id, Insemination.date >= first, Insemination.date <= last)
        .order_by(Insemination.date.desc())
        .limit(1)
    )


def insemination_dates(user_id: int) -> list[date]:
    """Every date with an insemination, oldest first (dates only: one light query)."""
    rows = db.session.connection().execute(
        select(Insemination.date).where(Insemination.user_id == user_id).distinct().order_by(Insemination.date)
    )
    return [when for (when,) in rows]


def pregnancy_dates(user_id: int) -> list[date]:
    """Dates that say a pregnancy began: positive tests, and the cycle start of every outcome
    recorded as a pregnancy, a chemical pregnancy or a loss."""
    connection = db.session.connection()
    tests = connection.execute(
        select(PregnancyTest.date).where(PregnancyTest.user_id == user_id, positive_test_condition())
    )
    outcomes = connection.execute(
        select(CycleOutcome.cycle_start).where(
            CycleOutcome.user_id == user_id, CycleOutcome.outcome.in_(("pregnancy", "chemical", "loss"))
        )
    )
    return sorted({when for (when,) in tests} | {when for (when,) in outcomes})
