"""The chart page and what the rules found on the journal's pages: the cycle view, today at a
glance, a day, an insemination, the calendar, and the second-sign setting. Ownership: another
person's cycle chart is a 404."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import select

from tests.journal_support import journal, other_journal  # noqa: F401
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import demo_plan, write_plan
from webapp.journal.models import Day, Insemination

SVG = "{http://www.w3.org/2000/svg}"


def seed(j) -> dict:
    """Give a journal the demo cycles; return the start-day ids of its four cycles."""
    plan = demo_plan(today())
    with j.app.app_context():
        write_plan(j.user_id, plan)
        db.session.commit()
    return {number: j.day_id(start) for number, start in enumerate(plan.cycle_starts, start=1)}


def svg_of(html: str, css: str = "cycle-chart") -> ET.Element:
    match = re.search(rf'<svg[^>]*class="{css}".*?</svg>', html, re.S)
    assert match, f"no {css} svg"
    return ET.fromstring(match.group(0))


def test_chart_page_draws_the_cycle_and_says_what_the_rules_found(journal) -> None:
    ids = seed(journal)
    html = journal.page(f"/journal/cycles/{ids[4]}/chart")
    root = svg_of(html)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith("Chart of cycle 4, from ")
    desc = root.find(f"{SVG}desc").text
    assert "Temperature shift confirmed" in desc and "2 excluded as disturbed" in desc
    days = [g for g in root.iter(f"{SVG}g") if "chart-day" in (g.get("class") or "")]
    assert [int(g.get("data-cycle-day")) for g in days] == list(range(1, 22))
    assert len([c for c in root.iter(f"{SVG}circle") if "chart-temp-excluded" in (c.get("class") or "")]) == 2
    assert root.findall(f".//{SVG}line[@class='chart-coverline']")
    assert "Your temperature shift was confirmed on day 17 (regular rule); ovulation most likely on day 14." in html
    assert "Your mucus peak was on day 14" in html
    assert "not contraception" in html
    # the same data as a table, for screen readers (and print)
    table = re.search(r'<table class="cycle-table chart-table">.*?</table>', html, re.S).group(0)
    assert len(re.findall(r'<th scope="row">', table)) == 21
    assert "likely ovulation" in table and "temperature shift confirmed" in table
    assert "(disturbed, left out of the rules)" in table
    # each insemination's timing
    assert "1 day before ovulation — in your fertile window" in html
    assert "on the day of ovulation — in your fertile window" in html


def test_a_completed_cycle_and_fahrenheit(journal) -> None:
    ids = seed(journal)
    journal.set(temperature_unit="F")
    html = journal.page(f"/journal/cycles/{ids[2]}/chart")
    assert "This cycle lasted 27 days" in html
    assert "°F" in svg_of(html).find(f"{SVG}desc").text
    assert "Your temperature shift was confirmed on day 16 (regular rule); ovulation most likely on day 13." in html
    assert "97.70 °F" in html  # the coverline, 36.50 °C


def test_any_day_of_a_cycle_opens_its_chart(journal) -> None:
    ids = seed(journal)
    with journal.app.app_context():
        later = db.session.scalar(select(Day.id).where(Day.user_id == journal.user_id).order_by(Day.date.desc()))
    html = journal.page(f"/journal/cycles/{later}/chart")
    assert "Chart of cycle 4" in html
    assert f'href="/journal/cycles/{ids[4]}"' in html


def test_the_cycle_view_shows_the_chart_the_words_and_timing(journal) -> None:
    ids = seed(journal)
    html = journal.page(f"/journal/cycles/{ids[3]}")
    assert svg_of(html) is not None
    assert "What the rules found" in html
    assert f'href="/journal/cycles/{ids[3]}/chart"' in html
    assert html.count("in your fertile window") == 2  # beside each insemination


def test_the_cervix_setting_changes_the_second_sign(journal) -> None:
    ids = seed(journal)
    journal.post("/accounts/settings/preferences",
                 {"temperature_unit": "C", "week_starts_on": "0", "secondary_symptom": "cervix"})
    html = journal.page(f"/journal/cycles/{ids[4]}/chart")
    assert "Your cervix was last fertile on day 14" in html
    settings = journal.page("/accounts/settings")
    assert re.search(r'<input checked[^>]*value="cervix"|<input[^>]*value="cervix"[^>]*checked', settings)
    journal.post("/accounts/settings/preferences", {"temperature_unit": "C", "week_starts_on": "0"})
    assert "Your cervix was last fertile" in journal.page(f"/journal/cycles/{ids[4]}/chart")  # kept
    response = journal.client.post("/accounts/settings/preferences",
                                   data={"temperature_unit": "C", "week_starts_on": "0", "secondary_symptom": "tea leaves"})
    assert response.status_code == 200 and "error-summary" in response.get_data(as_text=True)


def test_a_cycle_the_rules_cannot_read(journal) -> None:
    start = today() - timedelta(days=3)
    journal.log_day(start, starts_cycle="y", temperature="36.4")
    html = journal.page(f"/journal/cycles/{journal.day_id(start)}/chart")
    assert "The rules cannot read this cycle: its first day has no period bleeding logged" in html
    assert svg_of(html) is not None  # the temperatures are still drawn


def test_a_day_before_any_cycle(journal) -> None:
    journal.log_day(today() - timedelta(days=2), temperature="36.4")
    day_id = journal.day_id(today() - timedelta(days=2))
    assert "not in a cycle yet" in journal.page(f"/journal/cycles/{day_id}/chart")


def test_another_persons_chart_is_not_found(journal, other_journal) -> None:
    ids = seed(other_journal)
    for number in ids:
        journal.page(f"/journal/cycles/{ids[number]}/chart", status=404)
    other_journal.page(f"/journal/cycles/{ids[1]}/chart")


def test_the_chart_page_needs_a_session(app, client) -> None:
    response = client.get("/journal/cycles/1/chart")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_home_shows_days_past_ovulation_and_estimates(journal) -> None:
    seed(journal)
    html = journal.page("/journal/")
    assert "7 days past ovulation" in html
    assert "Estimates for your next days" in html
    expected = today() - timedelta(days=20) + timedelta(days=29)
    assert f"{expected.day} {expected:%B %Y}" in html
    assert "Estimate</span> Likely fertile window in your next cycle" in html
    assert "Estimated from your last 3 completed cycles" in html


def test_home_before_three_cycles_shows_rough_estimates_so_labelled(journal) -> None:
    start = today() - timedelta(days=3)
    journal.period(start)
    html = journal.page("/journal/")
    assert "Rough: based on typical cycles until yours are known." in html
    expected = start + timedelta(days=28)  # no cycle of their own yet: a typical 28-day one
    assert f"{expected.day} {expected:%B %Y}" in html
    assert "Estimated from your last" not in html


def test_days_past_show_on_every_day_after_ovulation(journal) -> None:
    seed(journal)
    start = today() - timedelta(days=20)
    ovulation = start + timedelta(days=13)
    assert "7 days past ovulation" in journal.page(f"/journal/days/{journal.day_id(today())}")
    assert "the day of ovulation" in journal.page(f"/journal/days/{journal.day_id(ovulation)}")
    html = journal.page(f"/journal/days/{journal.day_id(ovulation - timedelta(days=2))}")
    assert "past ovulation" not in html and "past insemination" not in html


def test_days_past_insemination_without_a_detected_ovulation(journal) -> None:
    start = today() - timedelta(days=10)
    journal.period(start)
    journal.insemination(start + timedelta(days=6))
    journal.log_day(today(), temperature="36.4")
    assert "4 days past insemination" in journal.page(f"/journal/days/{journal.day_id(today())}")


def test_insemination_page_shows_its_timing(journal) -> None:
    seed(journal)
    with journal.app.app_context():
        ids = db.session.scalars(
            select(Insemination.id).where(Insemination.user_id == journal.user_id).order_by(Insemination.date)
        ).all()
    assert "1 day before ovulation — in your fertile window" in journal.page(f"/journal/inseminations/{ids[0]}")
    assert "On the day of ovulation — in your fertile window" in journal.page(f"/journal/inseminations/{ids[1]}")
    late = journal.insemination(today())
    assert "7 days after ovulation — after your fertile window" in journal.page(f"/journal/inseminations/{late}")


def test_insemination_timing_waits_for_an_ovulation(journal) -> None:
    journal.period(today() - timedelta(days=9))
    fresh = journal.insemination(today())
    assert "Not known yet" in journal.page(f"/journal/inseminations/{fresh}")


def test_calendar_marks_estimates(journal) -> None:
    seed(journal)
    html = journal.page("/journal/calendar")
    assert "Period expected (an estimate)" in html or "Likely fertile window (an estimate)" in html
    upcoming = today() - timedelta(days=20) + timedelta(days=29)
    month = journal.page(f"/journal/calendar?month={upcoming:%Y-%m}")
    assert "Period expected (an estimate)" in month
    assert "estimate-period" in month
    assert "/journal/calendar/feed" in month


def test_a_day_page_and_its_articles_rules_agree_on_ovulation(journal, monkeypatch) -> None:
    """One day after the first higher temperature the shift is not yet confirmed by the days
    up to that day, but is by the whole cycle: the page and the rules must use the same answer
    (they once read "2 days past ovulation" and "no ovulation" on one page)."""
    from webapp.fertility import context_rules

    plan = demo_plan(today())
    with journal.app.app_context():
        write_plan(journal.user_id, plan)
        db.session.commit()
    current_start = plan.cycle_starts[-1]
    seen = []
    real = context_rules.day_facts

    def spy(day, **facts):
        seen.append(facts["days_past_ovulation"])
        return real(day, **facts)

    monkeypatch.setattr(context_rules, "day_facts", spy)
    when = current_start + timedelta(days=15)  # cycle day 16; likely ovulation on day 14
    html = journal.page(f"/journal/days/{journal.day_id(when)}")
    assert "2 days past ovulation" in html
    assert seen == [2]
