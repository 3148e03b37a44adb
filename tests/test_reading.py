"""Tests for the glue between the journal and the Sensiplan engine: reading.py (pure), the
chart's day mapping (charting.py), the iCalendar writer (ical.py) and history.py (queries and
the engine cache)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from webapp.extensions import db
from webapp.fertility import reading as rules
from webapp.fertility.chart_days import cervix_code, chart_days, day_marks
from webapp.fertility.render.lengths_chart import LengthBar, render_lengths_chart
from webapp.fertility.cycles import CycleSpan, cycles_from_starts
from webapp.journal.demo import demo_plan, write_plan
from webapp.fertility.sensiplan import sensiplan_status
from webapp.journal.history import History, caches
from webapp.fertility.render.ical import AllDayEvent, escape_text, fold, render_calendar
from webapp.fertility.predictions import CompletedCycle

START = date(2024, 3, 1)
LOWS = [36.40, 36.35, 36.45, 36.30, 36.50, 36.40]


def engine_cycle(start: date, length: int = 28, ovulation: int | None = 14, mucus: bool = True,
                 bleeding_first: bool = True) -> list[dict]:
    """Contract day mappings: lower values to ``ovulation``, higher after, mucus peak on it."""
    days = []
    for n in range(1, length + 1):
        if ovulation is None or n <= ovulation:
            temperature = LOWS[(n - 1) % 6]
        else:
            temperature = 36.75 + 0.05 * (n % 3)
        code = None
        if mucus and n > 4:
            offset = n - (ovulation or 100)
            code = 4 if offset in (-1, 0) else 3 if offset in (-3, -2, 1) else 0
        days.append({
            "date": start + timedelta(days=n - 1),
            "temperature": temperature,
            "temperature_excluded": False,
            "mucus": code,
            "cervix": None,
            "bleeding": 2 if n <= 4 and (bleeding_first or n > 1) else None,
        })
    return days


def span(number: int = 1, start: date = START, length: int | None = 28) -> CycleSpan:
    return CycleSpan(number, start, None if length is None else start + timedelta(days=length - 1))


# --------------------------------------------------------------------------- engine input


def test_engine_problem_names_what_is_missing() -> None:
    assert rules.engine_problem([]) == "nothing is logged in this cycle yet"
    assert "no period bleeding" in rules.engine_problem(engine_cycle(START, bleeding_first=False))
    assert rules.engine_problem(engine_cycle(START)) is None


def test_first_high_cycle_day_needs_both_shifts() -> None:
    days = engine_cycle(START, ovulation=14)
    status = sensiplan_status(days)
    assert rules.first_high_cycle_day(days, status) == 15
    no_mucus = engine_cycle(START, ovulation=14, mucus=False)
    assert rules.first_high_cycle_day(no_mucus, sensiplan_status(no_mucus)) is None


def random_cycle(rng: random.Random, start: date) -> tuple[list[dict], int]:
    length = rng.randint(24, 36)
    ovulation = rng.randint(9, length - 6)
    days = engine_cycle(start, length, ovulation, mucus=rng.random() > 0.15)
    return days, length


@pytest.mark.parametrize("seed", range(40))
def test_fewer_earlier_cycles_give_the_engine_the_same_answer(seed: int) -> None:
    """earlier_for_engine keeps at most 11 earlier cycles and never changes the result."""
    rng = random.Random(seed)
    cycles, start = [], START
    for _ in range(rng.randint(2, 30)):
        days, length = random_cycle(rng, start)
        cycles.append(days)
        start += timedelta(days=length)
    current, previous, earlier = cycles[-1], cycles[-2], cycles[-3::-1]
    full = sensiplan_status(current, previous, earlier)
    annotated = [(c, rules.first_high_cycle_day(c, sensiplan_status(c))) for c in earlier]
    kept = rules.earlier_for_engine(annotated)
    assert len(kept) <= 11
    assert sensiplan_status(current, previous, kept) == full
    # most recent first, as the contract wants
    positions = [earlier.index(c) for c in kept]
    assert positions == sorted(positions)


def test_earlier_for_engine_keeps_the_earliest_first_high_measurement() -> None:
    cycles = [(f"c{i}", fhm) for i, fhm in enumerate([16, None, 15, 17, 12] + [16] * 20)]
    kept = rules.earlier_for_engine(cycles)
    assert "c4" in kept and "c1" not in kept
    assert len(kept) == 11
    assert rules.earlier_for_engine([("a", None)]) == []


# --------------------------------------------------------------------------- a reading


def test_reading_fields_for_a_cycle_with_both_shifts() -> None:
    previous = engine_cycle(START - timedelta(days=28))
    days = engine_cycle(START, ovulation=14)
    reading = rules.read(span(), days, "mucus", previous=previous)
    assert reading.readable
    assert reading.first_high == START + timedelta(days=14)
    assert reading.ovulation == START + timedelta(days=13)
    assert reading.ovulation_day == 14
    assert reading.confirmed == START + timedelta(days=16)
    assert reading.rule_name == "regular rule"
    assert reading.coverline_c == 36.5
    assert reading.pre_ovulatory_end == START + timedelta(days=4)
    assert reading.fertile_start == START + timedelta(days=5)
    assert reading.fertile_end == START + timedelta(days=16)
    assert reading.luteal_length == 14
    assert (reading.temperatures, reading.disturbed, reading.secondary_observations) == (28, 0, 24)


def test_findings_say_what_the_rules_found_plainly() -> None:
    previous = engine_cycle(START - timedelta(days=28))
    reading = rules.read(span(), engine_cycle(START, ovulation=14), "mucus", previous=previous)
    words = rules.findings(reading)
    assert words[0] == (
        "Your temperature shift was confirmed on day 17 (regular rule); ovulation most likely on day 14."
    )
    assert words[1] == "Your first higher temperature was on day 15 (15 March), above a coverline of 36.50 °C."
    assert words[2] == "Your mucus peak was on day 14 (14 March), confirmed on day 17."
    assert "days 1 to 5" in words[3]
    assert words[4].startswith("Fertile phase: day 6 to day 17")
    fahrenheit = rules.findings(reading, unit="F")
    assert "97.70 °F" in fahrenheit[1]


def test_findings_say_what_is_missing() -> None:
    early = rules.read(span(length=None), engine_cycle(START, length=5, ovulation=None), "mucus")
    assert early.shift is None
    (sentence, *rest) = rules.findings(early)
    assert sentence.startswith("No temperature shift yet.")
    assert "you have 5 so far" in sentence
    days = engine_cycle(START, length=12, ovulation=None)
    days[3]["temperature_excluded"] = True
    later = rules.findings(rules.read(span(length=None), days, "mucus"))
    assert "you have 11 so far (1 more left out as disturbed)" in later[0]
    assert later[-1] == "Fertile phase: from day 1, still open."

    no_mucus = rules.read(span(), engine_cycle(START, mucus=False), "mucus")
    assert any("no mucus noted" in s for s in rules.findings(no_mucus))
    cervix = rules.read(span(), engine_cycle(START), "cervix")
    assert any("no cervix checks" in s for s in rules.findings(cervix))

    unreadable = rules.read(span(), engine_cycle(START, bleeding_first=False), "mucus")
    assert not unreadable.readable and unreadable.ovulation is None
    assert rules.findings(unreadable)[0].startswith("The rules cannot read this cycle: its first day")


def test_insemination_timing_needs_a_detected_ovulation() -> None:
    reading = rules.read(span(), engine_cycle(START, ovulation=14), "mucus")
    timing = rules.timing_for(reading, START + timedelta(days=11))
    assert timing.days_from_ovulation == -2 and timing.in_fertile_window
    assert timing.phrase == "2 days before ovulation — in your fertile window"
    assert rules.timing_for(reading, START + timedelta(days=15)).phrase.startswith("2 days after")
    no_shift = rules.read(span(), engine_cycle(START, ovulation=None), "mucus")
    assert rules.timing_for(no_shift, START) is None
    assert rules.timing_for(None, START) is None


def test_completed_cycle_only_for_finished_cycles() -> None:
    reading = rules.read(span(), engine_cycle(START, ovulation=14), "mucus")
    assert rules.completed_cycle(reading) == CompletedCycle(START, 28, 14, 14)
    current = rules.read(span(length=None), engine_cycle(START, length=20), "mucus")
    assert rules.completed_cycle(current) is None


# --------------------------------------------------------------------------- forecast


def completed(lengths, ovulations):
    cycles, start = [], START
    for length, ovulation in zip(lengths, ovulations):
        cycles.append(CompletedCycle(start, length, ovulation, None if ovulation is None else length - ovulation))
        start += timedelta(days=length)
    return cycles, start


def test_before_three_completed_cycles_the_forecast_is_rough() -> None:
    cycles, current = completed([28, 30], [14, 15])
    forecast = rules.forecast(current, cycles, current)
    assert forecast.rough and forecast.has_period and forecast.lengths_used == 2
    assert rules.forecast(None, cycles, current).current_start is None


def test_forecast_periods_and_fertile_windows() -> None:
    cycles, current = completed([28, 30, 29], [14, 16, 15])
    today = current + timedelta(days=2)
    forecast = rules.forecast(current, cycles, today)
    assert forecast.expected_period == current + timedelta(days=29)
    assert (forecast.period_earliest, forecast.period_latest) == (
        current + timedelta(days=28), current + timedelta(days=30))
    periods = [e for e in forecast.estimates if e.kind == "period"]
    assert [e.cycles_ahead for e in periods] == [1, 2, 3]
    # spread grows with the square root of the cycles ahead (sd 1 day: 1, 1, 2 days)
    assert [(e.end - e.start).days for e in periods] == [2, 2, 4]
    windows = [e for e in forecast.estimates if e.kind == "fertile"]
    assert [e.cycles_ahead for e in windows] == [0, 1, 2, 3]
    # this cycle: five days before the earliest past ovulation day (14) through the latest (16)
    assert (windows[0].start, windows[0].end) == (current + timedelta(days=8), current + timedelta(days=15))
    assert forecast.fertile == windows[0]
    assert all(e.anchor == current for e in forecast.estimates)
    assert forecast.on(current + timedelta(days=10)) == [windows[0]]


def test_forecast_leaves_out_a_confirmed_or_past_window() -> None:
    cycles, current = completed([28, 30, 29], [14, 16, 15])
    confirmed = rules.forecast(current, cycles, current, current_shift_confirmed=True)
    assert 0 not in [e.cycles_ahead for e in confirmed.estimates if e.kind == "fertile"]
    late = rules.forecast(current, cycles, current + timedelta(days=20))
    assert 0 not in [e.cycles_ahead for e in late.estimates if e.kind == "fertile"]
    assert late.fertile.cycles_ahead == 1


def test_forecast_needs_three_ovulations_for_windows_and_reads_the_last_twelve_cycles() -> None:
    cycles, current = completed([28, 30, 29, 27], [14, None, None, 13])
    forecast = rules.forecast(current, cycles, current)
    assert forecast.has_period and forecast.fertile is None
    many, current = completed([40] * 10 + [28] * 12, [None] * 22)
    assert rules.forecast(current, many, current).expected_period == current + timedelta(days=28)


# --------------------------------------------------------------------------- chart input


def row(when: date, **fields):
    base = dict(date=when, temperature_centi=None, temperature_disturbance=None, bleeding=None,
                not_period=False, mucus_code=None, cervix_opening=None, cervix_firmness=None,
                cervix_position=None, ovulation_test=None)
    base.update(fields)
    return SimpleNamespace(**base)


def test_cervix_code_fits_a_chart_column() -> None:
    assert cervix_code(row(START, cervix_opening="open", cervix_firmness="soft", cervix_position="high")) == "os↑"
    assert cervix_code(row(START, cervix_opening="closed")) == "c"
    assert cervix_code(row(START)) is None


def test_chart_days_map_rows_entries_and_tests() -> None:
    cycle = span(length=None)
    days = [
        row(START, bleeding="heavy", temperature_centi=3640),
        row(START + timedelta(days=1), bleeding="spotting", not_period=True, temperature_centi=3710,
            temperature_disturbance="alcohol", mucus_code=4, ovulation_test="peak"),
    ]
    inseminations = [SimpleNamespace(date=START + timedelta(days=1), method="ici"),
                     SimpleNamespace(date=START + timedelta(days=2), method="ici"),
                     SimpleNamespace(date=START + timedelta(days=2), method="iui")]
    tests = [SimpleNamespace(date=START + timedelta(days=3), is_positive=False)]
    mapped = chart_days(cycle, START + timedelta(days=5), days, inseminations, tests)
    assert [m["cycle_day"] for m in mapped] == [1, 2, 3, 4, 6]
    assert mapped[0] == {"date": START, "cycle_day": 1, "temperature_c": 36.4,
                         "temperature_excluded": False, "bleeding": 3}
    assert "bleeding" not in mapped[1]  # not a period
    assert mapped[1]["temperature_excluded"] is True and mapped[1]["ovulation_test"] == "peak"
    assert mapped[1]["insemination"] == "ICI" and mapped[2]["insemination"] == "2×"
    assert mapped[3]["pregnancy_test"] == "negative"
    assert mapped[4] == {"date": START + timedelta(days=5), "cycle_day": 6}


def test_day_marks_name_the_phases() -> None:
    previous = engine_cycle(START - timedelta(days=28))
    reading = rules.read(span(), engine_cycle(START, ovulation=14), "mucus", previous=previous)
    assert day_marks(reading, START).words() == "infertile days at the start"
    assert day_marks(reading, START + timedelta(days=13)).words() == "fertile phase, likely ovulation"
    assert day_marks(reading, START + timedelta(days=16)).words() == "fertile phase, temperature shift confirmed"
    assert day_marks(reading, START + timedelta(days=20)).words() == ""


def test_lengths_chart_is_accessible_svg() -> None:
    import xml.etree.ElementTree as ET

    svg = render_lengths_chart([LengthBar(1, START, 28, 14), LengthBar(2, START, 31, None)], 29.5)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert "cycle 1: 28 days, cycle 2: 31 days. Average 29.5 days." in svg
    with pytest.raises(ValueError):
        render_lengths_chart([], None)


# --------------------------------------------------------------------------- iCalendar


def test_ical_text_is_escaped_and_lines_are_folded_at_75_octets() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line
    assert fold("short") == "short"


def test_ical_calendar_has_all_day_events_with_exclusive_end() -> None:
    text = render_calendar(
        [AllDayEvent("abc@seedling", "Fertile window", date(2024, 3, 10), date(2024, 3, 15))],
        datetime(2024, 3, 1, 12, 0, 0),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for expected in ("UID:abc@seedling", "DTSTAMP:20240301T120000Z", "DTSTART;VALUE=DATE:20240310",
                     "DTEND;VALUE=DATE:20240316", "SUMMARY:Fertile window", "TRANSP:TRANSPARENT"):
        assert f"\r\n{expected}\r\n" in text
    with pytest.raises(ValueError):
        render_calendar([AllDayEvent("x", "y", date(2024, 3, 2), date(2024, 3, 1))], datetime(2024, 1, 1))


# --------------------------------------------------------------------------- history (database)


@pytest.fixture
def person(app):
    """A person with the demo journal (three completed cycles and a current one)."""
    from webapp.accounts.models import User

    with app.app_context():
        user = User(email="history@example.org", password_hash="x")
        db.session.add(user)
        db.session.flush()
        write_plan(user.id, demo_plan(date.today()))
        db.session.commit()
        yield user.id


def spans_for(user_id):
    from webapp.journal.queries import cycle_spans

    return cycle_spans(user_id)


def count_queries(app):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(db.engine, "before_cursor_execute", before)


def test_history_reads_every_demo_cycle_in_one_query(app, person) -> None:
    with app.app_context():
        spans = spans_for(person)
        assert len(spans) == 4
        statements, stop = count_queries(app)
        history = History.load(person, "mucus", spans)
        readings = history.readings()
        full = history.full(spans[-1])
        stop()
        # The journal revision, then the rows themselves (once per process while unchanged).
        assert len(statements) == 2
        statements.clear()
        statements, stop = count_queries(app)
        History.load(person, "mucus", spans).full(spans[-1])
        stop()
        assert len(statements) == 1  # only the revision: the rows come from the app's cache
        assert [r.ovulation_day for r in readings] == [15, 13, 16, 14]
        assert [r.rule_name for r in readings] == ["regular rule"] * 4
        assert full.pre_ovulatory_end == spans[-1].start + timedelta(days=4)
        assert full.fertile_end == spans[-1].start + timedelta(days=16)
        assert readings[-1].shift == full.shift


def test_history_uses_the_engine_once_per_cycle_and_caches_by_owner(app, person, monkeypatch) -> None:
    from webapp.fertility import reading as reading_module

    calls = []
    real = reading_module.sensiplan_status

    def counting(cycle, previous=None, earlier=(), secondary_symptom="mucus"):
        calls.append((len(cycle), previous is not None, len(earlier)))
        return real(cycle, previous, earlier, secondary_symptom=secondary_symptom)

    monkeypatch.setattr(reading_module, "sensiplan_status", counting)
    with app.app_context():
        spans = spans_for(person)
        history = History.load(person, "mucus", spans)
        history.full(spans[-1])
        history.readings()
        # three earlier cycles alone (for the minus-8 rule), then the current one with them
        assert len(calls) == 4
        calls.clear()
        again = History.load(person, "mucus", spans)
        again.full(spans[-1])
        again.readings()
        assert calls == []  # all from the cache
        from webapp.accounts.models import User

        twin = User(email="twin@example.org", password_hash="x")
        db.session.add(twin)
        db.session.flush()
        write_plan(twin.id, demo_plan(date.today()))  # the very same days
        db.session.commit()
        History.load(twin.id, "mucus", spans_for(twin.id)).alone(spans[0])
        assert len(calls) == 1  # never another person's entry
        History.load(person, "cervix", spans).alone(spans[0])
        assert len(calls) == 2  # nor the other sign's


def test_a_changed_day_is_read_again(app, person) -> None:
    from webapp.journal.models import Day

    with app.app_context():
        spans = spans_for(person)
        before = History.load(person, "mucus", spans).alone(spans[-1])
        assert before.ovulation_day == 14
        rows = db.session.query(Day).filter(Day.user_id == person, Day.date > spans[-1].start).all()
        for day in rows:
            day.temperature_centi = 3640  # no shift any more
        db.session.commit()
        after = History.load(person, "mucus", spans).alone(spans[-1])
        assert after.shift is None and after.ovulation is None


def test_recent_history_and_forecast(app, person) -> None:
    with app.app_context():
        spans = spans_for(person)
        history = History.load_recent(person, "mucus", spans, 2)
        assert not history.loaded(spans[0]) and history.loaded(spans[-1])
        today = date.today()
        forecast = History.load(person, "mucus", spans).forecast(spans[-1], today)
        assert forecast.lengths_used == 3 and forecast.ovulations_used == 3
        assert forecast.expected_period == spans[-1].start + timedelta(days=29)
        # the current cycle's shift is confirmed: the next window is the next cycle's
        assert forecast.fertile.cycles_ahead == 1
        assert History.load(person, "mucus", spans).forecast(spans[0], today).estimates == ()


def test_demo_plan_is_deterministic_and_realistic() -> None:
    today = date(2025, 6, 15)
    plan = demo_plan(today)
    assert plan == demo_plan(today)
    assert plan.cycle_starts[-1] == today - timedelta(days=20)
    assert len(plan.inseminations) == 4 and all(i["notes"] for i in plan.inseminations)
    disturbed = [d for d in plan.days if d.get("temperature_disturbance")]
    assert 6 <= len(disturbed) <= 10
    assert all(time(6, 0) < d["temperature_time"] < time(7, 0) for d in plan.days if d.get("temperature_time"))
    starts = plan.cycle_starts
    cycles = cycles_from_starts(starts)
    by_cycle = {c.number: [] for c in cycles}
    for record in plan.days:
        for c in cycles:
            if c.contains(record["date"]):
                by_cycle[c.number].append(record)
    for symptom in ("mucus", "cervix"):
        for c in cycles:
            days = [SimpleNamespace(**{**dict.fromkeys(("bleeding", "temperature_centi", "temperature_disturbance",
                                                          "mucus_feeling", "mucus_appearance", "cervix_firmness",
                                                          "cervix_opening")), "not_period": False, **r})
                    for r in by_cycle[c.number]]
            from webapp.fertility.cycles import cycle_days_for_engine

            status = sensiplan_status(cycle_days_for_engine(days), secondary_symptom=symptom)
            assert status["temperature_shift"]["rule"] == 0
            assert status["secondary_shift"] is not None


def test_an_edit_is_seen_even_when_another_day_has_a_later_updated_at(app, person) -> None:
    """The old fingerprint (count, newest updated_at, id sum) missed this edit: the revision is
    bumped in the edit's own transaction, whatever the timestamps say."""
    from datetime import datetime

    from sqlalchemy import select, update

    from webapp.journal.models import Day

    with app.app_context():
        spans = spans_for(person)
        current = spans[-1]
        before = History.load(person, "mucus", spans).alone(current)
        assert before.shift is not None
        # Another day carries a timestamp from the future (an imported file, a clock step).
        db.session.execute(
            update(Day).where(Day.user_id == person, Day.date == spans[0].start)
            .values(updated_at=datetime(2999, 1, 1))
        )
        db.session.commit()
        before = History.load(person, "mucus", spans).alone(current)
        # Now lower every high temperature of the current cycle, through the ORM as a view does.
        for day in db.session.scalars(
            select(Day).where(Day.user_id == person, Day.date >= current.start)
        ):
            if day.temperature_centi is not None and day.temperature_centi >= 3660:
                day.temperature_centi = 3640
                day.updated_at = datetime(2000, 1, 1)  # older than the newest: the old key's blind spot
        db.session.commit()
        after = History.load(person, "mucus", spans).alone(current)
        assert after.shift is None, "a cached reading from before the edit was served"


def test_caches_live_on_the_app_and_forget_a_person(app, person) -> None:
    from webapp.journal.history import forget_user

    with app.app_context():
        spans = spans_for(person)
        History.load(person, "mucus", spans).readings()
        store = caches()
        assert any(key[1] == person for key in store.engine._entries)
        assert any(key[1] == person for key in store.rows._entries)
        forget_user(person)
        assert not any(key[1] == person for key in store.engine._entries)
        assert not any(key[1] == person for key in store.rows._entries)
