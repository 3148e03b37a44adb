"""The cycle chart in a real browser: a charted cycle on a phone and a desktop, the table for
screen readers, axe on the chart and statistics pages in light and dark mode, print, and the
calendar feed made from its page."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.live import DESKTOP
from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import demo_plan, write_plan

PASSWORD = "a calm green seedling"

pytestmark = pytest.mark.browser


def register_with_cycles(page, live_server) -> str:
    """A new person (through the real form) whose journal holds the demo cycles."""
    email = f"chart-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")
    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        write_plan(user_id, demo_plan(today()))
        db.session.commit()
    return email


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def open_current_chart(page) -> None:
    page.goto("/journal/cycles/current")
    page.get_by_role("link", name="Open the chart on its own page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chart of cycle 4")


def test_a_charted_cycle_on_a_phone(page, live_server, assert_accessible):
    register_with_cycles(page, live_server)
    open_current_chart(page)
    chart = page.get_by_role("img", name=re.compile(r"^Chart of cycle 4, from "))
    expect(chart).to_be_visible()
    expect(page.locator("svg.cycle-chart .chart-day")).to_have_count(21)
    expect(page.locator("svg.cycle-chart .chart-temp-excluded")).to_have_count(2)
    expect(page.locator("svg.cycle-chart .chart-coverline")).to_have_count(1)
    expect(page.get_by_text("Your temperature shift was confirmed on day 17 (regular rule); "
                            "ovulation most likely on day 14.")).to_be_visible()
    expect(page.get_by_text("not contraception")).to_be_visible()
    # wider than a phone: the chart scrolls sideways inside its own region, the page does not
    region = page.get_by_role("region", name=re.compile("Chart of cycle 4"))
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the same data as a table, for screen readers
    table = page.get_by_role("table", name=re.compile("Cycle 4, day by day"))
    expect(table.get_by_role("row")).to_have_count(22)
    expect(table.get_by_role("row", name=re.compile(r"^14 .*likely ovulation"))).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_and_statistics_pages_pass_axe(make_page, live_server, assert_accessible, scheme):
    page = make_page(color_scheme=scheme, viewport=DESKTOP)
    register_with_cycles(page, live_server)
    open_current_chart(page)
    expect(page.locator("svg.cycle-chart")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See this cycle day by day").click()
    expect(page.locator("svg.cycle-chart")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("img", name="Your cycle lengths over time")).to_be_visible()
    expect(page.get_by_text("28.7 days", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Calendar").click()
    assert_accessible(page)


def test_the_chart_prints_whole(make_page, live_server):
    page = make_page(viewport=DESKTOP)
    register_with_cycles(page, live_server)
    open_current_chart(page)
    page.emulate_media(media="print")
    width = page.evaluate("document.querySelector('svg.cycle-chart').getBoundingClientRect().width")
    container = page.evaluate("document.querySelector('.chart-scroll').getBoundingClientRect().width")
    assert width <= container + 1
    expect(page.get_by_role("navigation", name="Journal")).to_be_hidden()


def test_the_calendar_feed_from_its_page(page, live_server):
    register_with_cycles(page, live_server)
    page.goto("/journal/calendar")
    page.get_by_role("link", name="Add your estimated periods and fertile windows").click()
    page.get_by_role("button", name="Make my private calendar address").click()
    address = page.get_by_label("Calendar address").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]{43}\.ics", address)
    response = page.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Period expected" in response.text()
    page.goto("/journal/calendar/feed")
    page.get_by_role("button", name="Turn the calendar feed off").click()
    expect(page.get_by_text("Your calendar feed is off")).to_be_visible()
    assert page.request.get(address).status == 404
