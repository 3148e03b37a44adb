"""Pregnancy mode in a real browser, after a medicated cycle: a period, letrozole and an
Ovitrelle trigger shot, a positive home test and three blood hCG values logged through the
forms switch the journal home to weeks and days (counted from the ovulation the trigger gives,
since no temperature shift was logged), the due date and how it was worked out, and the hCG
series with when to get help; no estimates remain, on the home page or the calendar."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_journal import choose, log_day, register
from webapp.clock import today
from webapp.templating import long_date

pytestmark = pytest.mark.browser


def log_test(page, when, kind: str, result: str | None = None, hcg: str | None = None) -> None:
    page.goto("/journal/tests/new")
    page.get_by_label("Date").fill(when.isoformat())
    choose(page, "kind", kind)
    if result:
        choose(page, "result", result)
    if hcg:
        page.get_by_label("hCG (mIU/mL)").fill(hcg)
    page.get_by_role("button", name="Save test").click()
    expect(page.get_by_text("Your test is saved.")).to_be_visible()


def log_medicine(page, medicine: str, first, last=None, dose=None, unit=None, route=None, name=None, at=None) -> None:
    page.goto("/journal/medicines/new")
    choose(page, "medicine", medicine)
    if name:
        page.get_by_label("Name or brand").fill(name)
    if dose:
        page.get_by_label("Dose", exact=True).fill(dose)
        choose(page, "dose_unit", unit)
    if route:
        choose(page, "route", route)
    page.get_by_label("First day").fill(first.isoformat())
    if last:
        page.get_by_label("Last day").fill(last.isoformat())
    if at:
        page.get_by_label("Time", exact=True).fill(at)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("saved")).to_be_visible()


def test_a_medicated_cycle_a_positive_test_and_three_hcg_values_show_pregnancy_mode(
    page, live_server, assert_accessible
):
    register(page, live_server)
    start = today() - timedelta(days=32)
    for offset, flow in enumerate(["Heavy", "Medium", "Light"]):
        log_day(page, start + timedelta(days=offset), bleeding=flow)
    page.goto("/journal/")
    expect(page.locator(".forecast")).to_contain_text("Rough: based on typical cycles until yours are known.")

    # The medicated cycle: letrozole on days 3 to 7, Ovitrelle 250 mcg on day 14 at 21:00.
    log_medicine(page, "Letrozole (Femara)", start + timedelta(days=2), start + timedelta(days=6),
                 dose="2.5", unit="mg", route="By mouth")
    shot = start + timedelta(days=13)
    log_medicine(page, "hCG trigger shot (Ovitrelle, Pregnyl, Novarel)", shot, dose="250", unit="mcg (µg)",
                 route="Injection", name="Ovitrelle", at="21:00")

    # A positive home test 13 days after the shot (past its 12-day window), then three blood values.
    log_test(page, today() - timedelta(days=6), "Home test", result="Positive")
    expect(page.locator(".trigger-warning")).to_have_count(0)
    for days_ago, value in ((5, "60"), (3, "140"), (1, "330")):
        log_test(page, today() - timedelta(days=days_ago), "Blood test", hcg=value)

    page.goto("/journal/")
    pregnancy = page.locator("section.pregnancy")
    # 21:00 + 36 hours is 09:00 two days after the shot; weeks count from 14 days before it.
    ovulation = shot + timedelta(days=2)
    weeks, days = divmod((today() - (ovulation - timedelta(days=14))).days, 7)
    expect(pregnancy).to_contain_text(f"{weeks} weeks and {days} days pregnant, counted from your likely ovulation")
    expect(pregnancy).to_contain_text(f"Estimated due date: {long_date(ovulation + timedelta(days=266))}")
    expect(pregnancy).to_contain_text("about 36 hours after your trigger shot")
    rows = pregnancy.locator("table.hcg-series tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("in the usual range")
    expect(pregnancy.get_by_role("heading", name="When to get help straight away")).to_be_visible()
    expect(page.locator(".forecast")).to_have_count(0)
    assert_accessible(page)

    # The calendar of the shot's month: the trigger and the letrozole course, no estimates.
    page.goto(f"/journal/calendar?month={shot.strftime('%Y-%m')}")
    expect(page.locator("a.mark-trigger")).to_have_count(1)
    expect(page.locator("a.mark-trigger")).to_contain_text("hCG trigger shot (Ovitrelle) at 21:00")
    expect(page.locator(".calendar-key")).to_contain_text("trigger shot")
    expect(page.locator(".mark-estimate")).to_have_count(0)
    expect(page.locator(".countdown")).to_contain_text("pregnant")
    assert_accessible(page)
    page.goto(f"/journal/calendar?month={(start + timedelta(days=4)).strftime('%Y-%m')}")
    expect(page.locator("td .cal-course", has_text="Letrozole (Femara), day 3 of 5")).to_have_count(1)
