"""The password strength meter (static/js/password-meter.js) in a real browser: it says what
the server will say, as the person types, in a live region; the server still decides."""

import uuid

import pytest
from playwright.sync_api import expect

from webapp.accounts.passwords import password_problem

pytestmark = pytest.mark.browser

# Short, common (on the bundled public list, and only with spaces removed), the email's local
# part, fine, good and very good, with what the meter must say for each.
CASES = [
    ("seedling", "8 characters of at least 12.", "0"),
    ("leavemealone", "This is one of the most common passwords", "0"),
    ("Leave me alone", "This is one of the most common passwords", "0"),
    ("sunflowerpatch", "Long enough, and not a common password.", "2"),
    ("a calm green pond", "Good: long enough, and not a common password.", "3"),
    ("a calm green seedling by the gate", "Very good: long, and not a common password.", "4"),
]


def meter_text(page):
    return page.locator("#password-meter")


@pytest.fixture
def register_page(page):
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(f"robin-{uuid.uuid4().hex[:8]}@example.org")
    return page


def test_the_meter_says_what_the_server_will_say_as_you_type(register_page):
    page = register_page
    status = meter_text(page)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-describedby", "password-hint password-meter")
    email = page.get_by_label("Email address").input_value()
    for password, says, level in CASES:
        page.get_by_label("Password", exact=True).fill(password)
        expect(status).to_contain_text(says)
        expect(page.locator(".password-meter meter")).to_have_attribute("value", level)
        # The server agrees: refused where the meter says so, accepted where it does not.
        assert (password_problem(password, email) is None) == (level != "0"), password


def test_the_meter_knows_the_email_rules_too(register_page):
    page = register_page
    page.get_by_label("Email address").fill("sparrowhawk@example.org")
    page.get_by_label("Password", exact=True).fill("my sparrowhawk password")
    expect(meter_text(page)).to_contain_text("first part of your email address")
    page.get_by_label("Password", exact=True).fill("sparrowhawk@example.org")
    expect(meter_text(page)).to_contain_text("This is your email address")


def test_the_server_still_decides(register_page):
    page = register_page
    page.get_by_label("Password", exact=True).fill("leavemealone")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".error-summary")).to_contain_text("one of the most common passwords")


def test_without_the_list_the_meter_says_the_server_checks_it(make_page):
    page = make_page()
    page.route("**/static/common-passwords.txt", lambda route: route.abort())
    page.goto("/accounts/register")
    page.get_by_label("Password", exact=True).fill("leavemealone")
    expect(meter_text(page)).to_contain_text("checked when you send the form")


def test_without_javascript_the_form_has_no_meter_and_still_works(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/accounts/register")
    assert page.locator(".password-meter").count() == 0
    page.get_by_label("Email address").fill(f"robin-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Password", exact=True).fill("leavemealone")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".error-summary")).to_contain_text("one of the most common passwords")


def test_the_meter_is_accessible(register_page, assert_accessible):
    register_page.get_by_label("Password", exact=True).fill("a calm green pond")
    expect(meter_text(register_page)).to_contain_text("Good")
    assert_accessible(register_page)
