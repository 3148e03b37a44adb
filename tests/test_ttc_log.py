"""Trying to conceive, the logging half: the trigger-shot rules (with real dates), the
ovulation estimate from a trigger, progesterone on the chart, PdG and serum progesterone in
the findings, intercourse against the fertile window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from tests.journal_support import ago, journal  # noqa: F401
from webapp.fertility import medication
from webapp.fertility.chart_days import chart_days
from webapp.fertility.cycles import CycleSpan
from webapp.fertility.render.cycle_chart import render_cycle_chart
from webapp.fertility.vials import opening_entries, vial_count


@dataclass
class Shot:
    start_date: date
    dose: float | None = None
    dose_unit: str | None = None
    time: time | None = None
    medicine: str = "hcg_trigger"
    end_date: date | None = None
    id: int = 1
    name: str | None = None


@dataclass
class Strip:
    date: date
    kind: str = "pdg_strip"
    result: str | None = "positive"
    value: float | None = None
    unit: str | None = None


# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("dose", "unit", "days"),
    [
        (5000, "iu", 10),  # Pregnyl / Novarel 5,000 IU
        (5001, "iu", 12),
        (250, "mcg", 12),  # Ovitrelle 250 mcg, about 6,500 IU
        (6501, "iu", 14),
        (10000, "iu", 14),  # Pregnyl / Novarel 10,000 IU
        (None, None, 14),  # dose not noted: the longest, to be safe
        (1, "ml", 14),  # a unit that does not convert: the longest too
    ],
)
def test_the_test_window_grows_with_the_dose(dose, unit, days):
    assert medication.trigger_test_window_days(dose, unit) == days


def test_a_test_in_the_window_may_still_be_the_trigger():
    shot = Shot(date(2026, 3, 10), 250, "mcg")  # 12 days
    assert medication.may_be_trigger(date(2026, 3, 10), [shot]) is shot
    assert medication.may_be_trigger(date(2026, 3, 22), [shot]) is shot
    assert medication.may_be_trigger(date(2026, 3, 23), [shot]) is None
    assert medication.may_be_trigger(date(2026, 3, 9), [shot]) is None  # before the shot
    later = Shot(date(2026, 4, 8), 5000, "iu")
    assert medication.may_be_trigger(date(2026, 4, 18), [shot, later]) is later
    assert medication.may_be_trigger(date(2026, 4, 19), [shot, later]) is None


def test_ovulation_about_36_hours_after_the_trigger():
    assert medication.trigger_ovulation(Shot(date(2026, 3, 10), time=time(21, 0))) == date(2026, 3, 12)
    assert medication.trigger_ovulation(Shot(date(2026, 3, 10), time=time(11, 0))) == date(2026, 3, 11)
    assert medication.trigger_ovulation(Shot(date(2026, 3, 10))) == date(2026, 3, 12)  # noon assumed


def test_a_temperature_shift_wins_over_the_trigger():
    shot = Shot(date(2026, 3, 10), time=time(21, 0))
    start = date(2026, 2, 27)
    by_temperature = medication.likely_ovulation(date(2026, 3, 13), [shot], start, None)
    assert by_temperature == medication.OvulationEstimate(date(2026, 3, 13), "temperature")
    by_trigger = medication.likely_ovulation(None, [shot], start, None)
    assert by_trigger is not None and by_trigger.from_trigger and by_trigger.date == date(2026, 3, 12)
    assert "estimated from your trigger shot" in by_trigger.label
    # A shot outside the cycle says nothing about it.
    assert medication.likely_ovulation(None, [shot], date(2026, 3, 11), None) is None


def test_progesterone_in_either_unit_and_the_luteal_threshold():
    assert medication.progesterone_ng_ml(31.8, "nmol_l") == pytest.approx(10.0)
    assert medication.progesterone_ng_ml(10, "ng_ml") == 10
    assert medication.supports_ovulation(Strip(date(2026, 3, 1), kind="serum", result=None, value=3.0, unit="ng_ml"))
    assert not medication.supports_ovulation(Strip(date(2026, 3, 1), kind="serum", result=None, value=2.99, unit="ng_ml"))
    assert medication.supports_ovulation(Strip(date(2026, 3, 1), kind="serum", result=None, value=9.6, unit="nmol_l"))
    assert not medication.supports_ovulation(Strip(date(2026, 3, 1), kind="serum", result=None, value=9.5, unit="nmol_l"))
    assert not medication.supports_ovulation(Strip(date(2026, 3, 1), result="negative"))


def test_vial_counts_and_opening_entries():
    assert opening_entries(6, 4) == [("purchase", 6), ("correction", -2)]
    assert opening_entries(6, 3, used=2) == [("purchase", 6), ("correction", -1)]
    assert opening_entries(None, 0) == [("correction", 0)]
    assert opening_entries(None, None) == []

    @dataclass
    class Entry:
        kind: str
        vials: int | None
        cost_cents: int | None = None

    @dataclass
    class Use:
        vials_used: int

    count = vial_count([Entry("purchase", 6, 5000), Entry("shipment", 6, 300), Entry("correction", -1)], [Use(2)])
    assert (count.counted, count.bought, count.used, count.left, count.spent_cents) == (True, 6, 2, 3, 5300)
    assert not vial_count([Entry("shipment", 2, 100)], []).counted


def test_the_chart_draws_the_new_rows():
    span = CycleSpan(1, date(2026, 3, 1), None)
    letrozole = Shot(date(2026, 3, 3), medicine="letrozole", end_date=date(2026, 3, 7), name="Letrozole")
    trigger = Shot(date(2026, 3, 13), time=time(21, 0), name="Ovitrelle")
    progesterone = Shot(date(2026, 3, 16), medicine="progesterone", name="Crinone")

    @dataclass
    class Day:
        date: date
        temperature_centi: int | None = 3650
        temperature_disturbance: str | None = None
        bleeding: str | None = None
        not_period: bool = False
        mucus_code: int | None = None
        cervix_opening: str | None = None
        cervix_firmness: str | None = None
        cervix_position: str | None = None
        ovulation_test: str | None = None

    @dataclass
    class Sex:
        date: date
        sperm: str | None

    days = [Day(date(2026, 3, 1), bleeding="heavy"), Day(date(2026, 3, 17), temperature_centi=3690)]
    chart = chart_days(
        span, date(2026, 3, 20), days,
        intercourse=[Sex(date(2026, 3, 12), "with_sperm"), Sex(date(2026, 3, 14), "protected")],
        medicines=[letrozole, trigger, progesterone],
        progesterone_tests=[Strip(date(2026, 3, 20))],
        trigger_ovulation=date(2026, 3, 15),
    )
    by_day = {day["cycle_day"]: day for day in chart}
    assert [by_day[n].get("medicine") for n in (3, 7)] == ["Let", "Let"] and "medicine" not in by_day.get(8, {})
    assert by_day[13]["trigger"] == "hCG trigger shot" and "ovulation estimated" in by_day[15]["trigger"]
    assert by_day[17]["progesterone"] is True and by_day[20]["medicine"] == "P4"
    svg = render_cycle_chart(chart)
    for label in ("Intercourse", "Medicines", "Trigger shot", "PdG / P4 test"):
        assert f">{label}</text>" in svg
    assert "chart-symbol chart-intercourse" in svg and ">♥<" in svg and ">○<" in svg
    assert ">hCG<" in svg and ">ov?<" in svg and "chart-temp-progesterone" in svg
    assert "temperature 36.90 °C (progesterone can raise temperature)" in svg
    assert "pdg / p4 test: PdG positive" in svg


# --------------------------------------------------------------------------- through the pages


def shift_free_cycle(journal, start: date) -> int:
    """A period and a few flat temperatures: no temperature shift."""
    first = journal.period(start, days=3)
    for offset in range(4, 10):
        journal.log_day(start + timedelta(days=offset), temperature="36.40")
    return first


def test_home_tests_after_a_trigger_say_it_may_still_be_the_trigger(journal):
    shift_free_cycle(journal, ago(20))
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "name": "Ovitrelle", "dose": "250",
                 "dose_unit": "mcg", "route": "injection", "start_date": ago(13).isoformat(), "time": "21:00"})
    inside = journal.test(ago(1), result="faint")  # 12 days after 250 mcg: the last day of its window
    outside = journal.test(ago(0), result="negative")  # 13 days after
    warning = "may still be the trigger, not a pregnancy"
    page = journal.page(f"/journal/tests/{inside}")
    assert warning in page and "12 days past your hCG trigger shot" in page and "about 12 days" in page
    assert warning not in journal.page(f"/journal/tests/{outside}")
    assert journal.page("/journal/tests/").count(warning) == 1
    # Without a temperature shift the test counts from the trigger's estimate, labelled.
    assert "10 days past ovulation (estimated from your trigger shot)" in page


def test_a_trigger_without_a_shift_moves_the_ovulation_estimate(journal):
    start_id = shift_free_cycle(journal, ago(20))
    shot_day = ago(8)
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "start_date": shot_day.isoformat(),
                 "time": "08:00"})
    insemination = journal.insemination(shot_day)
    cycle = journal.page(f"/journal/cycles/{start_id}")
    assert "going by your trigger shot, ovulation was most likely around day 14" in cycle
    assert "an estimate from the trigger, not from your temperatures" in cycle
    # 08:00 + 36 hours is 20:00 the next day: an insemination on the day of the shot is 1 day before.
    assert "1 day before ovulation — in your fertile window" in journal.page(f"/journal/inseminations/{insemination}")


def test_intercourse_is_shown_against_the_fertile_window(journal):
    start_id = shift_free_cycle(journal, ago(20))
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "start_date": ago(8).isoformat(),
                 "time": "08:00"})
    with_sperm = journal.post("/journal/intercourse/new", {"date": ago(6).isoformat(), "sperm": "with_sperm"})
    journal.post("/journal/intercourse/new", {"date": ago(5).isoformat(), "sperm": "protected"})
    cycle = journal.page(f"/journal/cycles/{start_id}")
    assert cycle.count('href="/journal/intercourse/') == 2
    assert ">Intercourse</text>" in cycle and ">♥<" in cycle and ">○<" in cycle
    entry = journal.page(with_sperm.headers["Location"])
    assert "With sperm" in entry and 'class="entry-context timing"' in entry


def test_luteal_progesterone_marks_the_temperatures_and_pdg_confirms(journal):
    start_id = journal.period(ago(20), days=3)
    journal.post("/journal/medicines/new", {"medicine": "progesterone", "route": "vaginal", "dose": "200",
                 "dose_unit": "mg", "start_date": ago(6).isoformat()})
    journal.log_day(ago(5), temperature="36.90")
    journal.post("/journal/progesterone/new", {"date": ago(3).isoformat(), "kind": "serum", "value": "31.8",
                 "unit": "nmol_l"})
    cycle = journal.page(f"/journal/cycles/{start_id}")
    assert "You took progesterone from day 15" in cycle
    assert "(progesterone can raise temperature)" in cycle
    assert "Serum progesterone of 10.0 ng/mL (31.8 nmol/L) on day 18" in cycle
    assert "supports that ovulation happened" in cycle and "does not change what the temperature rules read" in cycle
    test_page = journal.page("/journal/progesterone/")
    assert "supports that ovulation happened" in test_page


def test_the_calendar_marks_intercourse(journal):
    journal.period(ago(5), days=2)
    entry = journal.post("/journal/intercourse/new", {"date": ago(1).isoformat(), "sperm": "with_sperm"})
    page = journal.page(f"/journal/calendar?month={ago(1).strftime('%Y-%m')}")
    assert f'href="{entry.headers["Location"]}"' in page and "Intercourse, with sperm" in page


def test_courses_on_a_day_for_the_calendar():
    letrozole = Shot(date(2026, 11, 3), medicine="letrozole", end_date=date(2026, 11, 7))
    folic = Shot(date(2026, 10, 1), medicine="folic_acid", end_date=None, id=2)
    trigger = Shot(date(2026, 11, 5))
    today = date(2026, 11, 20)
    days = medication.courses_on([letrozole, folic, trigger], date(2026, 11, 5), today)
    assert [(d.course.medicine, d.day, d.length, d.first, d.last) for d in days] == [
        ("letrozole", 3, 5, False, False), ("folic_acid", 36, None, False, False),
    ]  # the trigger is not a course
    assert [d.first for d in medication.courses_on([letrozole], date(2026, 11, 3), today)] == [True]
    assert [d.last for d in medication.courses_on([letrozole], date(2026, 11, 7), today)] == [True]
    assert medication.courses_on([letrozole], date(2026, 11, 8), today) == []
    # An ongoing course stops at today; a planned one shows its days ahead.
    assert medication.courses_on([folic], date(2026, 11, 21), today) == []
    planned = Shot(date(2026, 11, 19), medicine="estradiol", end_date=date(2026, 11, 25))
    assert [d.day for d in medication.courses_on([planned], date(2026, 11, 22), today)] == [4]


def test_the_calendar_marks_medicines_trigger_shots_and_progesterone_tests(journal):
    journal.period(ago(20), days=2)
    journal.post("/journal/medicines/new", {"medicine": "letrozole", "dose": "2.5", "dose_unit": "mg",
                 "route": "oral", "start_date": ago(18).isoformat(), "end_date": ago(14).isoformat()})
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "name": "Ovitrelle", "dose": "250",
                 "dose_unit": "mcg", "route": "injection", "start_date": ago(9).isoformat(), "time": "21:00"})
    strip = journal.post("/journal/progesterone/new", {"date": ago(2).isoformat(), "kind": "pdg_strip",
                         "result": "positive"})
    inside = journal.test(ago(1), result="faint")  # 8 days after 250 mcg: may be the trigger
    months = sorted({when.strftime("%Y-%m") for when in (ago(18), ago(0))})
    page = "".join(journal.page(f"/journal/calendar?month={month}") for month in months)
    for day in range(1, 6):
        assert f"Letrozole (Femara), day {day} of 5" in page
    assert page.count('class="cal-course course-first') >= 1 and 'course-last"' in page
    assert "hCG trigger shot (Ovitrelle) at 21:00" in page and 'class="mark mark-trigger"' in page
    assert f'href="{strip.headers["Location"]}"' in page and "PdG strip positive" in page
    assert f'href="/journal/tests/{inside}"' in page and "; may still be the trigger shot, not a pregnancy" in page
    # The key says what the marks mean in words, including the month's medicine names.
    key = journal.page(f"/journal/calendar?month={ago(16).strftime('%Y-%m')}").split('class="calendar-key', 1)[1]
    key = key.split("</p>", 1)[0]
    assert "letrozole" in key and "trigger shot" in key and "progesterone test" in key


@dataclass
class Entry:
    donor_id: int | None
    date: date
    kind: str = "purchase"
    vials: int | None = None
    cost_cents: int | None = None
    vials_used: int = 0


def test_spending_per_cycle_and_in_all_comes_from_the_ledger():
    from webapp.fertility.vials import spending

    spans = [CycleSpan(1, date(2026, 9, 1), date(2026, 9, 28)), CycleSpan(2, date(2026, 9, 29), None)]
    ledger = [
        Entry(1, date(2026, 8, 20), "purchase", 4, 200000),  # before the first cycle
        Entry(1, date(2026, 9, 10), "shipment", 4, 15000),
        Entry(2, date(2026, 10, 2), "storage", None, 5000),
        Entry(2, date(2026, 10, 2), "correction", 1),
    ]
    uses = [Entry(1, date(2026, 9, 14), vials_used=1), Entry(1, date(2026, 10, 12), vials_used=2),
            Entry(None, date(2026, 10, 13), vials_used=1)]
    uses[1].cost_cents = 9000  # an insemination's own cost
    money = spending(spans, ledger, uses, donor_ids=[1, 2, 3])
    assert money.ledger_cents == 220000 and money.outside_cycles_cents == 200000
    assert money.insemination_cents == 9000 and money.total_cents == 229000
    assert [(c.number, c.vials_used, c.spent_cents, c.insemination_cents, c.total_cents) for c in money.cycles] == [
        (1, 1, 15000, 0, 15000), (2, 3, 5000, 9000, 14000),
    ]
    assert (money.donors[1].left, money.donors[1].used, money.donors[1].spent_cents) == (1, 3, 215000)
    assert (money.donors[2].left, money.donors[2].counted) == (1, True)
    assert money.donors[3].counted is False and money.vials_used == 3
