"""A person's cycles read by the Sensiplan rules, loaded for one request.

The journal's side of :mod:`webapp.fertility.reading`: the cycle starts (the caller's query),
one aggregate query for a fingerprint of the person's days, and only when that changed the
engine's nine columns of every day (plain tuples, not ORM objects, kept while the journal is unchanged);
then the engine, each cycle at most once per request.

Engine results are also kept in a small in-process LRU cache (:class:`JournalCaches`, one per
app in ``app.extensions``), so that a chart with five years of history behind it does not
evaluate sixty earlier cycles on every view. The caches never leave the process and are never
shared between people: every key holds the owner's id. A person's rows are keyed by their
journal revision (:mod:`webapp.journal.revisions`, bumped in the same transaction as every
change), engine results by the exact rows the engine read; a stale entry is never asked for
again, and a person's entries are purged when they delete their account or import.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import event, select

from flask import current_app, g, has_app_context, has_request_context

from ..extensions import db
from ..fertility import reading as rules
from ..fertility.cycles import CycleSpan, cycle_days_for_engine, is_period_bleeding
from ..fertility.medication import TRIGGER, OvulationEstimate, likely_ovulation
from .models import Day, Medicine
from .revisions import revision_of
from ..fertility.reading import CycleReading, EngineCycle, Forecast

__all__ = [
    "EngineRow", "History", "JournalCaches", "JournalState", "caches", "journal_state", "remembered", "cycle_ovulation", "ovulation_by",
    "ovulation_estimate_by",
]

CACHE_SIZE = 4096
ANSWERS_KEPT = 64  # per person and revision (remembered)
T = TypeVar("T")


class EngineRow(NamedTuple):
    """The columns of :class:`~webapp.journal.models.Day` the engine reads."""

    date: date
    bleeding: str | None
    not_period: bool
    temperature_centi: int | None
    temperature_disturbance: str | None
    mucus_feeling: str | None
    mucus_appearance: str | None
    cervix_firmness: str | None
    cervix_opening: str | None


ENGINE_COLUMNS = tuple(getattr(Day, name) for name in EngineRow._fields)
# (kind, user_id, ...): forget_user finds a person's entries by the second item.
CacheKey = tuple[Hashable, ...]


class EngineCache:
    """A thread-safe LRU dict of engine results, bounded to ``size`` entries."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[CacheKey, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: CacheKey) -> Any | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: CacheKey, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            for key in [key for key in self._entries if key[1] == user_id]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


class JournalCaches:
    """The engine caches of one app: results (LRU of 4,096) and people's rows (LRU of 32)."""

    EXTENSION = "seedling.journal_caches"

    def __init__(self) -> None:
        self.engine = EngineCache()
        self.rows = EngineCache(size=32)

    def forget_user(self, user_id: int) -> None:
        self.engine.forget_user(user_id)
        self.rows.forget_user(user_id)

    def clear(self) -> None:
        self.engine.clear()
        self.rows.clear()


def caches() -> JournalCaches:
    return current_app.extensions[JournalCaches.EXTENSION]


def forget_user(user_id: int) -> None:
    """Purge a person's cached rows and readings (account deleted, journal imported or emptied)."""
    if has_app_context() and JournalCaches.EXTENSION in current_app.extensions:
        caches().forget_user(user_id)


class JournalState:
    """What is read from one person's days at one journal revision, kept while it stands.

    ``rows``: every day as engine rows, in date order (Core rows, not ORM objects), and their
    dates; ``spans`` and ``start_ids``: the cycles and the id of each one's first day, filled
    by :func:`webapp.journal.queries.cycle_spans_and_start_ids`; ``memo``: per-revision answers
    (cycle slices, their cache keys, readings), so a page does not hash sixty earlier cycles'
    rows again to find the engine's cached results; ``answers``: what :func:`remembered` keeps
    (the most recently used ``ANSWERS_KEPT``). A new revision is a new state.
    """

    __slots__ = ("user_id", "revision", "_rows", "_dates", "_tail", "spans", "start_ids", "memo", "answers")

    def __init__(self, user_id: int, revision: int):
        self.user_id = user_id
        self.revision = revision
        self._rows: tuple[EngineRow, ...] | None = None
        self._dates: list[date] | None = None
        self._tail: tuple[date, tuple[EngineRow, ...], list[date]] | None = None
        self.spans: list[CycleSpan] | None = None
        self.start_ids: dict[date, int] | None = None
        self.memo: dict[Hashable, Any] = {}
        self.answers: OrderedDict[Hashable, Any] = OrderedDict()  # remembered(): bounded

    @property
    def rows(self) -> tuple[EngineRow, ...]:
        if self._rows is None:
            result = db.session.connection().execute(
                select(*ENGINE_COLUMNS).where(Day.user_id == self.user_id).order_by(Day.date)
            )
            self._rows = tuple(EngineRow._make(row) for row in result)
        return self._rows

    @property
    def dates(self) -> list[date]:
        if self._dates is None:
            self._dates = [row.date for row in self.rows]
        return self._dates

    def cycle_rows(self, span: CycleSpan) -> tuple[EngineRow, ...]:
        """The rows of one cycle (a slice of :attr:`rows`, or of the rows :meth:`read_from`
        read when the cycle starts inside them; kept)."""
        key = ("slice", span.start, span.end)
        found = self.memo.get(key)
        if found is None:
            if self._rows is None and self._tail is not None and self._tail[0] <= span.start:
                _, rows, dates = self._tail
            else:
                rows, dates = self.rows, self.dates
            begin = bisect_left(dates, span.start)
            end = len(dates) if span.end is None else bisect_right(dates, span.end)
            found = self.memo[key] = rows[begin:end]
        return found

    def read_from(self, first: date) -> None:
        """Read the rows from ``first`` on, unless every row (or rows from an earlier date) is
        read already: a page that reads only the latest cycles (the home's predictions) then
        reads a few hundred days after each change, not five years."""
        if self._rows is not None or (self._tail is not None and self._tail[0] <= first):
            return
        result = db.session.connection().execute(
            select(*ENGINE_COLUMNS).where(Day.user_id == self.user_id, Day.date >= first).order_by(Day.date)
        )
        rows = tuple(EngineRow._make(row) for row in result)
        self._tail = (first, rows, [row.date for row in rows])

    def rows_key(self, rows: tuple[EngineRow, ...]) -> tuple:
        """:func:`_rows_key` of a cycle's rows, computed once per revision."""
        key = ("key", id(rows))
        found = self.memo.get(key)
        if found is None or found[0] is not rows:
            found = self.memo[key] = (rows, _rows_key(rows))
        return found[1]


_STATES = "_seedling_journal_states"


def journal_state(user_id: int) -> JournalState:
    """The person's :class:`JournalState` at their current revision: one small query, once a
    request (until the session flushes, commits or rolls back: the revision may move then)."""
    _watch_session()
    found: dict[int, JournalState] | None = g.get(_STATES) if has_request_context() else None
    if found is not None and user_id in found:
        return found[user_id]
    revision = revision_of(user_id)
    key = ("rows", user_id, revision)
    store = caches().rows
    state = store.get(key)
    if state is None:
        state = JournalState(user_id, revision)
        store.put(key, state)
    if has_request_context():
        g.setdefault(_STATES, {})[user_id] = state
    return state


def remembered(user_id: int, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept with the person's journal revision under ``key``: for answers read
    from their journal alone (with the date and settings in ``key``), so that pages do not
    work them out again until something in the journal changes. In-process, per person, the
    ``ANSWERS_KEPT`` most recently used (a cycle's tables and bundle are tens of kilobytes:
    someone paging through five years of cycles would otherwise keep megabytes)."""
    answers = journal_state(user_id).answers
    try:
        value = answers[key]
    except KeyError:
        value = answers[key] = compute()
        while len(answers) > ANSWERS_KEPT:
            try:
                answers.popitem(last=False)
            except KeyError:  # another thread emptied it meanwhile
                break
        return value
    try:
        answers.move_to_end(key)
    except KeyError:  # dropped by another thread meanwhile: still a right answer
        pass
    return value


def _forget_states(*_args: Any) -> None:
    if has_request_context():
        g.pop(_STATES, None)


_watching: list[bool] = []


def _watch_session() -> None:
    """Forget the request's states whenever its session writes or ends a transaction."""
    if not _watching:
        for name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(db.session, name, _forget_states)
        _watching.append(True)


def _all_rows(user_id: int) -> tuple[EngineRow, ...]:
    """Every day of a person as engine rows, in date order (Core rows, not ORM objects). Kept
    per process while the person's journal revision is unchanged: five years of days are read
    from the database once, not on every chart."""
    return journal_state(user_id).rows


def _rows_key(rows: Sequence[EngineRow]) -> tuple:
    if not rows:
        return (0,)
    return (len(rows), rows[0].date, rows[-1].date, hash(tuple(rows)))


def _readable(rows: Sequence[EngineRow]) -> bool:
    """What :func:`reading.engine_problem` checks, read off the rows without mapping them."""
    return bool(rows) and is_period_bleeding(rows[0].bleeding, rows[0].not_period)


class History:
    """The cycles of one person (oldest first) and the engine rows of some of them.

    Build it with :meth:`load`. Only the cycles whose rows were loaded can be read.
    """

    def __init__(
        self,
        user_id: int,
        symptom: str,
        spans: Sequence[CycleSpan],
        rows: dict[int, tuple[EngineRow, ...]],
        state: JournalState | None = None,
    ):
        if symptom not in rules.SYMPTOMS:
            symptom = "mucus"
        self.user_id = user_id
        self.symptom = symptom
        self.spans = list(spans)
        self._rows = rows
        self._state = state
        self._days: dict[int, EngineCycle] = {}
        self._alone: dict[int, CycleReading] = {}
        self._full: dict[int, CycleReading] = {}

    @classmethod
    def load(
        cls,
        user_id: int,
        symptom: str,
        spans: Sequence[CycleSpan],
        first: CycleSpan | None = None,
        last: CycleSpan | None = None,
    ) -> History:
        """Load the engine rows of the cycles ``first`` through ``last`` (default: all)."""
        spans = list(spans)
        rows: dict[int, tuple[EngineRow, ...]] = {}
        state = None
        if spans:
            first = first or spans[0]
            last = last or spans[-1]
            state = journal_state(user_id)
            if first.number > 1:
                state.read_from(first.start)
            for span in spans[first.number - 1 : last.number]:
                rows[span.number] = state.cycle_rows(span)
        return cls(user_id, symptom, spans, rows, state)

    @classmethod
    def load_recent(cls, user_id: int, symptom: str, spans: Sequence[CycleSpan], count: int) -> History:
        """The last ``count`` cycles (the current one included): enough for predictions."""
        spans = list(spans)
        return cls.load(user_id, symptom, spans, first=spans[-count] if len(spans) >= count else None)

    # ------------------------------------------------------------------ rows

    def loaded(self, span: CycleSpan) -> bool:
        return span.number in self._rows

    def rows(self, span: CycleSpan) -> tuple[EngineRow, ...]:
        return self._rows[span.number]

    def engine_days(self, span: CycleSpan) -> EngineCycle:
        if span.number not in self._days:
            self._days[span.number] = cycle_days_for_engine(self.rows(span))
        return self._days[span.number]

    def _key(self, kind: str, *parts: Hashable) -> CacheKey:
        return (kind, self.user_id, self.symptom, *parts)

    def _rows_key(self, span: CycleSpan) -> tuple:
        rows = self.rows(span)
        return _rows_key(rows) if self._state is None else self._state.rows_key(rows)

    def _memo(self) -> dict[Hashable, Any]:
        return {} if self._state is None else self._state.memo

    # ------------------------------------------------------------------ readings

    def alone(self, span: CycleSpan) -> CycleReading:
        """The cycle read on its own: its shifts and likely ovulation (no infertile start)."""
        if span.number in self._alone:
            return self._alone[span.number]
        memo = self._memo()
        memo_key = ("alone", self.symptom, span)
        cached = memo.get(memo_key)
        if cached is None:
            key = self._key("alone", self._rows_key(span))
            cached = caches().engine.get(key)
            if cached is None:
                result = rules.read(span, self.engine_days(span), self.symptom)
                cached = (result.status, result.problem, _counts(result))
                caches().engine.put(key, cached)
            memo[memo_key] = cached
        status, problem, counts = cached
        reading = CycleReading(span, self.symptom, status, problem, **counts)
        self._alone[span.number] = reading
        return reading

    def full(self, span: CycleSpan) -> CycleReading:
        """The cycle read with the cycles before it: its phases too (5-day and minus-8 rules).

        Every cycle before it must be loaded (:meth:`load` with ``first`` left out).
        """
        if span.number in self._full:
            return self._full[span.number]
        memo = self._memo()
        memo_key = ("full", self.symptom, tuple(self.spans[: span.number]))
        cached = memo.get(memo_key)
        if cached is None:
            cached = self._read_full(span)
            memo[memo_key] = cached
        status, problem, counts = cached
        reading = CycleReading(span, self.symptom, status, problem, **counts)
        self._full[span.number] = reading
        # The full reading has the same shifts as the alone one: reuse it for statistics.
        self._alone.setdefault(span.number, reading)
        return reading

    def _read_full(self, span: CycleSpan) -> tuple:
        before = [s for s in self.spans[: span.number - 1] if _readable(self.rows(s))]
        previous = None
        if before and before[-1].number == span.number - 1:
            previous = before[-1]
        earlier_spans = list(reversed(before[:-1])) if previous is not None else []
        earlier = []
        for earlier_span in earlier_spans:
            first_high = self._first_high_day(earlier_span)
            earlier.append((earlier_span, first_high))
        kept = rules.earlier_for_engine(earlier)
        key = self._key(
            "full",
            self._rows_key(span),
            None if previous is None else self._rows_key(previous),
            tuple(self._rows_key(s) for s in kept),
        )
        cached = caches().engine.get(key)
        if cached is None:
            result = rules.read(
                span,
                self.engine_days(span),
                self.symptom,
                previous=None if previous is None else self.engine_days(previous),
                earlier=[self.engine_days(s) for s in kept],
            )
            cached = (result.status, result.problem, _counts(result))
            caches().engine.put(key, cached)
        return cached

    def _first_high_day(self, span: CycleSpan) -> int | None:
        reading = self.alone(span)
        if reading.status is None:
            return None
        return rules.first_high_cycle_day([{"date": self.rows(span)[0].date}], reading.status)

    def readings(self) -> list[CycleReading]:
        """Every loaded cycle read on its own, oldest first."""
        return [self.alone(span) for span in self.spans if self.loaded(span)]

    # ------------------------------------------------------------------ predictions

    def forecast(self, current: CycleSpan | None, today: date) -> Forecast:
        """Estimates from the completed cycles loaded (the most recent twelve are used)."""
        if current is None or not current.is_current:
            return rules.forecast(None, [], today)
        completed = [
            cycle
            for span in self.spans
            if self.loaded(span) and not span.is_current
            and (cycle := rules.completed_cycle(self.alone(span))) is not None
        ]
        shift = self.loaded(current) and self.alone(current).shift is not None
        return rules.forecast(current.start, completed, today, current_shift_confirmed=shift)


def _counts(reading: CycleReading) -> dict[str, int]:
    return {
        "temperatures": reading.temperatures,
        "disturbed": reading.disturbed,
        "secondary_observations": reading.secondary_observations,
    }


def cycle_ovulation(user_id: int, reading: CycleReading) -> OvulationEstimate | None:
    """A cycle's likely ovulation and where it comes from: the temperature shift of
    ``reading``, or, without one, about 36 hours after a trigger shot given in the cycle
    (decided by :func:`webapp.fertility.medication.likely_ovulation`)."""
    span = reading.span
    shots: list[Medicine] = []
    if reading.ovulation is None:
        query = select(Medicine).where(
            Medicine.user_id == user_id, Medicine.medicine == TRIGGER, Medicine.start_date >= span.start
        )
        if span.end is not None:
            query = query.where(Medicine.start_date <= span.end)
        shots = list(db.session.scalars(query))
    return likely_ovulation(reading.ovulation, shots, span.start, span.end)


def ovulation_estimate_by(
    user_id: int,
    symptom: str,
    when: date,
    spans: Sequence[CycleSpan],
    reading: CycleReading | None = None,
) -> OvulationEstimate | None:
    """The likely ovulation of the cycle ``when`` falls in, when it is on or before ``when``,
    with its source (temperature or trigger shot): the one answer every page and the
    articles-beside rules use (the cycle read on its own, as its chart reads it).
    ``reading`` may be passed when the caller has that cycle's already."""
    span = next((s for s in spans if s.start <= when and (s.end is None or when <= s.end)), None)
    if span is None:
        return None
    if reading is None or reading.span != span:
        reading = History.load(user_id, symptom, spans, first=span, last=span).alone(span)
    estimate = cycle_ovulation(user_id, reading)
    if estimate is not None and estimate.date <= when:
        return estimate
    return None


def ovulation_by(
    user_id: int,
    symptom: str,
    when: date,
    spans: Sequence[CycleSpan],
    reading: CycleReading | None = None,
) -> date | None:
    """The date of :func:`ovulation_estimate_by`."""
    estimate = ovulation_estimate_by(user_id, symptom, when, spans, reading)
    return None if estimate is None else estimate.date
