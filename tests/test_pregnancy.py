"""The pure parts of the two-week wait and early pregnancy, with real dates: the countdown, dating
and the due date, the hCG series, the NICE note, and rough predictions before three cycles."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from webapp.fertility import reading as rules
from webapp.fertility.predictions import CompletedCycle, rough_next_period
from webapp.fertility.pregnancy import (
    HcgValue,
    TakenTest,
    assess_hcg,
    date_pregnancy,
    is_pregnant,
)
from webapp.fertility.render.ical import render_calendar
from webapp.fertility.specialist import specialist_note
from webapp.fertility.two_week_wait import countdown

# --------------------------------------------------------------------------- the countdown


def test_the_countdown_from_ovulation_names_the_reliable_test_day() -> None:
    wait = countdown(date(2026, 12, 3), ovulation=date(2026, 11, 26), insemination=date(2026, 11, 25))
    assert wait is not None and (wait.days, wait.what) == (7, "ovulation")
    assert wait.test_from == date(2026, 12, 8)
    assert wait.sentence == (
        "7 days past ovulation; a test is most reliable from 12 days past ovulation, on 8 December."
    )


def test_the_countdown_from_insemination_waits_fourteen_days() -> None:
    wait = countdown(date(2026, 12, 3), ovulation=None, insemination=date(2026, 11, 30))
    assert wait is not None and wait.phrase == "3 days past insemination"
    assert wait.test_from == date(2026, 12, 14)
    assert wait.test_phrase == "a test is most reliable from 14 days past insemination, on 14 December"


def test_the_countdown_on_and_after_the_test_day_and_when_it_stops() -> None:
    ovulation = date(2026, 11, 26)
    assert countdown(date(2026, 12, 8), ovulation).test_phrase == (
        "a test is most reliable from today, 12 days past ovulation"
    )
    assert countdown(date(2026, 12, 10), ovulation).test_phrase == (
        "a test is reliable now (from 12 days past ovulation, 8 December)"
    )
    assert countdown(date(2026, 11, 26), ovulation).phrase == "the day of ovulation"
    assert countdown(date(2026, 11, 25), ovulation) is None  # before ovulation, no insemination
    assert countdown(date(2026, 12, 16), ovulation).days == 20
    assert countdown(date(2026, 12, 17), ovulation) is None  # 21 days on, the wait is over


# --------------------------------------------------------------------------- dating


def test_dating_from_the_last_period_gives_naegeles_due_date() -> None:
    dating = date_pregnancy(date(2026, 11, 1))
    assert dating.basis == "last_period" and dating.due == date(2027, 8, 8)
    assert dating.weeks_and_days(date(2026, 12, 9)) == (5, 3)
    assert dating.age_phrase(date(2026, 12, 9)) == "5 weeks and 3 days"
    assert dating.age_phrase(date(2026, 12, 6)) == "5 weeks"
    assert dating.age_phrase(date(2026, 11, 9)) == "1 week and 1 day"
    assert "280 days" in dating.how and "1 November 2026" in dating.how


def test_dating_from_ovulation_is_preferred_and_adds_the_14_day_convention() -> None:
    # a long cycle: ovulation 19 days after the period began, not 14, moves the due date 5 days
    dating = date_pregnancy(date(2026, 11, 1), ovulation=date(2026, 11, 20), insemination=date(2026, 11, 19))
    assert dating.basis == "ovulation" and dating.counted_from == date(2026, 11, 6)
    assert dating.due == date(2027, 8, 13)
    assert dating.weeks_and_days(date(2026, 12, 9)) == (4, 5)
    assert "likely ovulation" in dating.how and "266 days" in dating.how


def test_dating_from_a_trigger_shots_ovulation_says_so() -> None:
    dating = date_pregnancy(date(2026, 11, 1), ovulation=date(2026, 11, 15), ovulation_from_trigger=True)
    assert dating.basis == "ovulation" and dating.from_trigger and dating.due == date(2027, 8, 8)
    assert "about 36 hours after your trigger shot" in dating.how and "temperatures" not in dating.how
    # an insemination date is not an ovulation, whatever the flag
    assert not date_pregnancy(date(2026, 11, 1), insemination=date(2026, 11, 15), ovulation_from_trigger=True).from_trigger


def test_dating_from_an_insemination_when_ovulation_is_not_known() -> None:
    dating = date_pregnancy(date(2026, 11, 1), insemination=date(2026, 11, 15))
    assert dating.basis == "insemination" and dating.due == date(2027, 8, 8)
    assert dating.counted_from == date(2026, 11, 1)
    # a date before the period cannot be this pregnancy's
    assert date_pregnancy(date(2026, 11, 1), ovulation=date(2026, 10, 15)).basis == "last_period"


# --------------------------------------------------------------------------- the mode


def at(day: int, month: int = 12) -> datetime:
    return datetime(2026, month, day, 12, 0)


def test_a_positive_latest_test_or_a_pregnancy_outcome_is_pregnancy_mode() -> None:
    start, today = date(2026, 11, 1), date(2026, 12, 1)
    negative, positive = TakenTest(at(20, 11), False), TakenTest(at(28, 11), True)
    assert not is_pregnant(start, today, [], None)
    assert not is_pregnant(start, today, [negative], None)
    assert is_pregnant(start, today, [negative, positive], None)
    assert is_pregnant(start, today, [], "pregnancy")
    # a negative after a positive, or any loss recorded, is cycle mode again
    assert not is_pregnant(start, today, [positive, TakenTest(at(1), False)], None)
    for ended in ("loss", "chemical", "not_pregnant"):
        assert not is_pregnant(start, today, [positive], ended)
    # a positive that may still be a trigger shot's hCG does not start the mode by itself
    trigger = TakenTest(at(28, 11), True, may_be_trigger=True)
    assert not is_pregnant(start, today, [negative, trigger], None)
    assert is_pregnant(start, today, [trigger, TakenTest(at(1), True)], None)
    assert is_pregnant(start, today, [trigger], "pregnancy")  # a recorded outcome still decides
    # 44 weeks on, the journal was not updated after the birth: back to cycles
    assert not is_pregnant(start, start + timedelta(days=44 * 7 + 1), [positive], "pregnancy")


# --------------------------------------------------------------------------- hCG


def test_a_normal_hcg_series_doubles_in_the_usual_range() -> None:
    series = assess_hcg([HcgValue(at(3), 110.0), HcgValue(at(1), 50.0), HcgValue(at(5), 240.0)])
    assert [v.miu for v in series.values] == [50.0, 110.0, 240.0]  # put in order
    first, second = series.steps
    assert first.doubling_hours == pytest.approx(48 * 0.6931 / 0.7885, rel=1e-3)  # 42.2 h
    assert first.doubling_days == pytest.approx(1.76, abs=0.01)
    assert first.percent_48h == 120 and first.pace == "usual"
    assert second.pace == "usual" and series.concern is None


def test_slow_rises_against_nice_and_barnhart() -> None:
    # +60% in 48 h: above the slowest normal (53%) but under NICE's 63%
    slower = assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(3), 160.0)])
    assert slower.steps[0].pace == "slower" and slower.concern == "slower"
    # +40% in 48 h: slower than the slowest rise of a pregnancy that goes on
    slowest = assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(3), 140.0)])
    assert slowest.steps[0].pace == "slowest" and slowest.steps[0].percent_48h == 40
    # +30% in 24 h is +69% over 48 h: the usual range once compared over the same time
    assert assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(2), 130.0)]).steps[0].pace == "usual"
    falling = assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(3), 60.0)])
    assert falling.steps[0].pace == "falling" and falling.steps[0].doubling_hours is None
    assert falling.concern == "falling"


def test_steps_that_say_little_are_shown_but_not_judged() -> None:
    high = assess_hcg([HcgValue(at(1), 8000.0), HcgValue(at(3), 11000.0)])
    assert high.steps[0].pace == "not judged" and high.concern is None
    far_apart = assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(7), 300.0)])
    assert far_apart.steps[0].pace == "not judged"
    # an earlier slow step does not alarm once the latest is usual
    recovered = assess_hcg([HcgValue(at(1), 100.0), HcgValue(at(3), 140.0), HcgValue(at(5), 330.0)])
    assert recovered.concern is None
    assert assess_hcg([HcgValue(at(1), 100.0)]).steps == ()


# --------------------------------------------------------------------------- NICE


def test_the_specialist_note_after_six_inseminated_cycles() -> None:
    assert specialist_note(5) is None
    note = specialist_note(6)
    assert note is not None and note.article_slug == "when-to-see-a-fertility-specialist"
    assert "6 cycles with donor insemination" in note.sentence and "if you are over 35" in note.sentence
    assert "over 35" not in specialist_note(6, age=30).sentence


def test_the_months_rule_needs_an_age() -> None:
    assert specialist_note(2, months_trying=13) is None  # age unknown: cycles only
    assert specialist_note(2, months_trying=13, age=30) is not None
    assert specialist_note(2, months_trying=7, age=30) is None
    assert "over 35" in specialist_note(2, months_trying=6, age=37).sentence


# --------------------------------------------------------------------------- first cycles


def completed(lengths: list[int], ovulations: list[int | None]) -> tuple[list[CompletedCycle], date]:
    cycles, start = [], date(2026, 8, 1)
    for length, ovulation in zip(lengths, ovulations):
        luteal = None if ovulation is None else length - ovulation
        cycles.append(CompletedCycle(start, length, ovulation, luteal))
        start += timedelta(days=length)
    return cycles, start


def test_no_completed_cycle_predicts_from_a_typical_28_day_cycle() -> None:
    start = date(2026, 11, 1)
    forecast = rules.forecast(start, [], date(2026, 11, 3))
    assert forecast.rough and forecast.lengths_used == 0
    assert forecast.expected_period == date(2026, 11, 29)
    assert (forecast.period_earliest, forecast.period_latest) == (date(2026, 11, 25), date(2026, 12, 3))
    window = forecast.fertile
    # ovulation 12-14 days (luteal) before a period of 24-32 days: cycle days 10 to 20
    assert window is not None and window.cycles_ahead == 0
    assert (window.start, window.end) == (date(2026, 11, 5), date(2026, 11, 20))


def test_one_and_two_cycles_blend_with_the_typical_cycle_and_stay_wide() -> None:
    one, start = completed([34], [20])
    rough = rules.forecast(start, one, start)
    assert rough.rough and rough.expected_period == start + timedelta(days=30)  # (34+28+28)/3
    assert (rough.period_latest - rough.period_earliest).days == 8  # 34 is inside: +-4
    # the own ovulation (day 20) is inside the window
    assert rough.fertile.start <= start + timedelta(days=19) <= rough.fertile.end
    two, start = completed([26, 38], [12, None])
    rough = rules.forecast(start, two, start)
    assert rough.rough and rough.expected_period == start + timedelta(days=31)  # (26+38+28)/3
    # 38 days is 7.3 from the blend: the range widens to +-8 to take it in
    assert (rough.period_latest - rough.period_earliest).days == 2 * 8
    assert rough.period_latest >= start + timedelta(days=38)
    assert rough_next_period([26, 38], start).based_on_cycles == 2


def test_from_three_cycles_the_forecast_is_todays_method() -> None:
    three, start = completed([28, 30, 29], [14, 16, 15])
    forecast = rules.forecast(start, three, start)
    assert not forecast.rough and forecast.expected_period == start + timedelta(days=29)
    assert (forecast.period_earliest, forecast.period_latest) == (start + timedelta(days=28), start + timedelta(days=30))
    assert (forecast.fertile.start, forecast.fertile.end) == (start + timedelta(days=8), start + timedelta(days=15))


# --------------------------------------------------------------------------- an empty feed


def parse_calendar(text: str) -> list[tuple[str, list[str]]]:
    """A strict little RFC 5545 reader: CRLF lines, unfolded, BEGIN/END nesting; the
    components directly inside VCALENDAR with their property names."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text[:-2].replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    components: list[tuple[str, list[str]]] = []
    stack: list[str] = []
    calendar_properties = []
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        assert value, line
        if name == "BEGIN":
            stack.append(value)
            if len(stack) == 1:
                components.append((value, []))
        elif name == "END":
            assert stack and stack.pop() == value
        elif stack:
            components[-1][1].append(name.split(";")[0])
        else:
            calendar_properties.append(name)
    assert not stack
    assert "VERSION" in calendar_properties and "PRODID" in calendar_properties
    return components


def test_an_empty_calendar_still_holds_one_component_a_journal_note() -> None:
    text = render_calendar([], datetime(2026, 12, 1, 9, 30), empty_uid="abc@seedling")
    components = parse_calendar(text)
    assert [kind for kind, _ in components] == ["VJOURNAL"]
    assert {"UID", "DTSTAMP"} <= set(components[0][1])  # required by RFC 5545 3.6.3
    assert "VEVENT" not in text and "VTODO" not in text
