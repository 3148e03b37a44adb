"""A medicated cycle logged in a real browser: letrozole, an Ovitrelle trigger shot, a home
pregnancy test inside the trigger's window (it says it may still be the trigger), a PdG strip,
and the cycle's chart and findings that show them."""

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from webapp.clock import today

PASSWORD = "a calm green seedling"

pytestmark = pytest.mark.browser


def choose(page, group: str, label: str) -> None:
    page.locator(f"#{group}").get_by_label(label, exact=True).check()


def test_log_a_medicated_cycle_with_a_trigger_shot_and_a_pdg_test(page, live_server, assert_accessible):
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(f"ttc-{uuid.uuid4().hex[:10]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")

    start = today() - timedelta(days=20)
    for offset, flow in enumerate(["Heavy", "Medium", "Light"]):
        page.goto(f"/journal/days/new?date={(start + timedelta(days=offset)).isoformat()}")
        choose(page, "bleeding", flow)
        page.get_by_role("button", name="Save this day").click()
        expect(page.get_by_text("Your day is saved.")).to_be_visible()

    # Letrozole on days 3 to 7: one course, not a row a day.
    page.goto("/journal/medicines/new")
    choose(page, "medicine", "Letrozole (Femara)")
    page.get_by_label("Dose", exact=True).fill("2.5")
    choose(page, "dose_unit", "mg")
    choose(page, "route", "By mouth")
    page.get_by_label("First day").fill((start + timedelta(days=2)).isoformat())
    page.get_by_label("Last day").fill((start + timedelta(days=6)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letrozole (Femara)")

    # The trigger shot, with a mistake first: a trigger is one day.
    shot = today() - timedelta(days=13)
    page.goto("/journal/medicines/new")
    choose(page, "medicine", "hCG trigger shot (Ovitrelle, Pregnyl, Novarel)")
    page.get_by_label("Name or brand").fill("Ovitrelle")
    page.get_by_label("Dose", exact=True).fill("250")
    choose(page, "dose_unit", "mcg (µg)")
    choose(page, "route", "Injection")
    page.get_by_label("First day").fill(shot.isoformat())
    page.get_by_label("Last day").fill((shot + timedelta(days=1)).isoformat())
    page.get_by_label("Time", exact=True).fill("21:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#end_date-error")).to_contain_text("A trigger shot is given on one day")
    assert_accessible(page)
    page.get_by_label("Last day").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".trigger-warning")).to_contain_text("about 36 hours after an hCG trigger")
    expect(page.locator(".trigger-warning")).to_contain_text("12 days after the shot")

    # A home test 12 days after 250 mcg: it may still be the trigger.
    page.goto("/journal/tests/new")
    page.get_by_label("Date").fill((today() - timedelta(days=1)).isoformat())
    choose(page, "kind", "Home test")
    choose(page, "result", "A faint line")
    page.get_by_role("button", name="Save test").click()
    expect(page.locator(".trigger-warning")).to_contain_text("may still be the trigger, not a pregnancy")
    assert_accessible(page)
    page.goto("/journal/tests/")
    expect(page.locator(".trigger-warning")).to_have_count(1)

    # A positive PdG strip a week after the trigger.
    page.goto("/journal/progesterone/new")
    page.get_by_label("Date").fill((shot + timedelta(days=7)).isoformat())
    choose(page, "kind", "Urine PdG strip")
    choose(page, "result", "Positive")
    page.get_by_role("button", name="Save test").click()
    expect(page.locator(".entry-context")).to_contain_text("supports that ovulation happened")

    # The cycle: the trigger's estimate (no temperature shift), PdG in the findings, the rows.
    page.goto("/journal/cycles/current")
    expect(page.get_by_text(re.compile("going by your trigger shot, ovulation was most likely around"))).to_be_visible()
    expect(page.get_by_text(re.compile("A positive PdG test on day"))).to_be_visible()
    chart = page.locator("svg.cycle-chart").first
    for row in ("Medicines", "Trigger shot", "PdG / P4 test"):
        expect(chart.locator("text.chart-row-label", has_text=row)).to_have_count(1)
    expect(chart.locator("text.chart-medicine", has_text="Let")).to_have_count(5)
    expect(chart.locator("text.chart-trigger", has_text="hCG")).to_have_count(1)
    assert_accessible(page)

    # The calendar: the faint test marked as maybe the trigger, the shot and the PdG strip.
    page.goto(f"/journal/calendar?month={(today() - timedelta(days=1)).strftime('%Y-%m')}")
    expect(page.locator("a.mark-test", has_text="may still be the trigger shot, not a pregnancy")).to_have_count(1)
    expect(page.locator("a.mark-test", has_text="T*")).to_have_count(1)
    page.goto(f"/journal/calendar?month={(shot + timedelta(days=7)).strftime('%Y-%m')}")
    expect(page.locator("a.mark-pdg", has_text="PdG strip positive")).to_have_count(1)
    assert_accessible(page)
