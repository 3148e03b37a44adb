"""Pregnancy mode in a real browser: a period, a positive home test and three blood hCG values
logged through the forms switch the journal home to weeks and days, the due date and the hCG
series, with when to get help; no estimates remain."""

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


def test_a_positive_test_and_three_hcg_values_show_pregnancy_mode(page, live_server, assert_accessible):
    register(page, live_server)
    start = today() - timedelta(days=32)
    for offset, flow in enumerate(["Heavy", "Medium", "Light"]):
        log_day(page, start + timedelta(days=offset), bleeding=flow)
    page.goto("/journal/")
    expect(page.locator(".forecast")).to_contain_text("Rough: based on typical cycles until yours are known.")

    log_test(page, today() - timedelta(days=6), "Home test", result="Positive")
    for days_ago, value in ((5, "60"), (3, "140"), (1, "330")):
        log_test(page, today() - timedelta(days=days_ago), "Blood test", hcg=value)

    page.goto("/journal/")
    pregnancy = page.locator("section.pregnancy")
    expect(pregnancy).to_contain_text("4 weeks and 4 days pregnant, counted from your last period")
    expect(pregnancy).to_contain_text(f"Estimated due date: {long_date(start + timedelta(days=280))}")
    rows = pregnancy.locator("table.hcg-series tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("in the usual range")
    expect(pregnancy.get_by_role("heading", name="When to get help straight away")).to_be_visible()
    expect(page.locator(".forecast")).to_have_count(0)
    assert_accessible(page)
