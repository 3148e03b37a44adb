"""The journal on a phone, in the person's own day: the morning log above the fold, logging a
temperature in at most three interactions, "today" in Honolulu and Auckland (the browser's and
the server's clocks both fixed), and axe with no violation of any impact on the pages changed."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.accessibility import axe_violations, describe
from tests.browser.live import DESKTOP, PHONE
from webapp import clock
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.journal.models import Day

PASSWORD = "a calm green seedling"
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

pytestmark = pytest.mark.browser


def register(page, live_server) -> str:
    email = f"phone-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")
    return email


def days_of(live_server, email: str) -> list[Day]:
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(db.session.scalars(select(Day).where(Day.user_id == user.id).order_by(Day.date)))


def zone_of(live_server, email: str) -> str | None:
    with live_server.app.app_context():
        return db.session.scalar(select(User.time_zone).where(User.email == email))


def within_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def assert_no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n" + "\n".join(describe(v) for v in violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_morning_log_is_in_the_first_screen(make_page, live_server, device, scheme):
    page = make_page(color_scheme=scheme, viewport=VIEWPORTS[device])
    register(page, live_server)
    temperature, save = page.get_by_label("Temperature (°C)"), page.locator("#morning-save")
    assert within_first_screen(page, temperature) and within_first_screen(page, save)  # the welcome page
    page.goto(f"/journal/days/new?date={(clock.today() - timedelta(days=2)).isoformat()}")
    page.get_by_role("group", name="Bleeding").get_by_label("Medium", exact=True).check()
    page.get_by_role("button", name="Save this day").click()
    page.goto("/journal/")
    assert within_first_screen(page, temperature) and within_first_screen(page, save)
    # Header and journal navigation take at most about 15 % of a phone's first screen.
    nav_bottom = page.locator(".journal-nav").bounding_box()
    if device == "phone":
        assert nav_bottom["y"] + nav_bottom["height"] <= 0.15 * PHONE["height"] + 1
    expect(page.locator('.journal-nav [aria-current="page"]')).to_have_text("Today")


def test_a_temperature_takes_at_most_three_interactions(page, live_server):
    email = register(page, live_server)
    interactions = 0
    page.get_by_label("Temperature (°C)").fill("36.55")
    interactions += 1
    page.locator("#morning-save").click()
    interactions += 1
    expect(page.locator(".morning-saved")).to_contain_text("36.55 °C")
    assert interactions <= 3
    [day] = days_of(live_server, email)
    assert (day.date, day.temperature_centi) == (clock.today_in(zone_of(live_server, email)), 3655)
    # Saving again the same morning changes the row, never a second one.
    page.get_by_label("Temperature (°C)").fill("36.60")
    page.locator("#morning-save").click()
    expect(page.locator(".morning-saved")).to_contain_text("36.60 °C")
    assert [d.temperature_centi for d in days_of(live_server, email)] == [3660]


@pytest.mark.parametrize(
    "zone, utc_moment, local_today, heading",
    [
        ("Pacific/Honolulu", datetime(2026, 12, 1, 7, 38, tzinfo=UTC), date(2026, 11, 30), "Today, 30 November 2026"),
        ("Pacific/Auckland", datetime(2026, 12, 1, 17, 30, tzinfo=UTC), date(2026, 12, 2), "Today, 2 December 2026"),
    ],
    ids=["honolulu-21:38", "auckland-06:30"],
)
def test_the_browser_s_own_date_is_today(make_page, live_server, zone, utc_moment, local_today, heading):
    with clock.fixed_utcnow(utc_moment):
        page = make_page(timezone_id=zone)
        page.clock.set_fixed_time(utc_moment)
        email = register(page, live_server)
        assert zone_of(live_server, email) == zone  # sent by static/js/time-zone.js
        expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to your journal")
        page.get_by_label("Temperature (°C)").fill("36.45")
        page.locator("#morning-save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator(".morning-saved")).to_contain_text("36.45 °C")
        expect(page.locator("[data-time-zone-offer]")).to_be_hidden()  # the zones agree
        page.goto("/journal/calendar")
        expect(page.locator("td.today .cal-date")).to_contain_text(str(local_today.day))
        expect(page.get_by_role("link", name="Today’s entry")).to_be_visible()
    assert [(d.date, d.temperature_centi) for d in days_of(live_server, email)] == [(local_today, 3645)]


def test_a_different_device_zone_is_offered_in_one_tap(make_page, live_server):
    page = make_page(timezone_id="Europe/Berlin")
    email = register(page, live_server)
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.time_zone = "America/Chicago"
        db.session.commit()
    page.goto("/journal/calendar")
    offer = page.locator("[data-time-zone-offer]")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Europe/Berlin")
    offer.get_by_role("button", name="Use my device’s time zone").click()
    expect(page).to_have_url(f"{live_server.url}/journal/calendar")
    assert zone_of(live_server, email) == "Europe/Berlin"
    expect(page.locator("[data-time-zone-offer]")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_changed_pages_have_no_axe_violation_at_all(make_page, live_server, scheme):
    for device in ("phone", "desktop"):
        page = make_page(color_scheme=scheme, viewport=VIEWPORTS[device])
        register(page, live_server)
        assert_no_violations(page)  # the welcome page with the morning log
        page.get_by_label("Temperature (°C)").fill("36.50")
        page.locator("#morning-save").click()
        expect(page.locator(".morning-saved")).to_be_visible()
        for path in ("/journal/", "/journal/today", "/journal/days/new?date=" + (clock.today() - timedelta(days=3)).isoformat(),
                     "/journal/calendar", "/accounts/settings"):
            page.goto(path)
            assert_no_violations(page)
        page.goto("/journal/")
        page.get_by_label("Temperature (°C)").fill("51")
        page.locator("#morning-save").click()
        expect(page.get_by_role("alert")).to_be_visible()
        assert_no_violations(page)
