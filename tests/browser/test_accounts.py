"""Accounts in a real browser: register, sign out and in, reset by email, change password, delete."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

PASSWORD = "a calm green seedling"
NEW_PASSWORD = "a brave new sunflower"
RESET_LINK = re.compile(r"https?://\S+/accounts/reset/\S+")

pytestmark = pytest.mark.browser


def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@example.org"


def register(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Create my account").click()


def sign_in(page, email: str, password: str = PASSWORD, remember: bool = False) -> None:
    page.goto("/accounts/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def expect_signed_in(page) -> None:
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def expect_signed_out(page) -> None:
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def latest_mail_to(live_server, email: str):
    messages = [message for message in live_server.mails() if message["To"] == email]
    assert messages, f"no mail to {email} in {live_server.outbox}"
    return messages[-1]


def test_register_sign_out_sign_in_and_a_wrong_password(page, live_server):
    email = unique_email()
    register(page, email)
    expect(page).to_have_url(f"{live_server.url}/journal/")
    expect(page.get_by_text("Your private journal is ready")).to_be_visible()
    expect_signed_in(page)

    sign_out(page)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect_signed_out(page)

    sign_in(page, email, "not my password at all")
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    expect(page.get_by_label("Email address")).to_have_value(email)
    expect_signed_out(page)

    sign_in(page, email)
    expect(page).to_have_url(f"{live_server.url}/journal/")
    expect_signed_in(page)


def test_registration_explains_a_weak_password_next_to_the_field(page):
    register(page, unique_email(), "password123")
    expect(page.locator("#password-error")).to_contain_text("one of the most common passwords")
    expect(page.get_by_role("alert")).to_contain_text("Password:")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")


def test_a_private_page_asks_to_sign_in_then_comes_back(page, live_server):
    email = unique_email()
    register(page, email)
    sign_out(page)
    page.goto("/accounts/settings")
    expect(page).to_have_url(re.compile(r"/accounts/login\?next="))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/settings")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


def test_reset_a_forgotten_password_through_the_mail_file(make_page, live_server):
    email = unique_email()
    other_device = make_page()
    register(other_device, email)

    page = make_page()
    page.goto("/accounts/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    message = latest_mail_to(live_server, email)
    assert message["Subject"] == "Reset your Seedling password"
    link = RESET_LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(0)
    page.goto(link)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")
    expect(page.get_by_text("You have been signed out everywhere else.")).to_be_visible()

    other_device.goto("/journal/")
    expect(other_device).to_have_url(re.compile(r"/accounts/login\?next="))

    page.goto(link)  # single use
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()

    sign_out(page)
    sign_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/journal/")


def test_change_password_rejects_the_old_session(make_page, live_server):
    email = unique_email()
    laptop = make_page()
    register(laptop, email)
    phone = make_page()
    sign_in(phone, email, remember=True)
    expect_signed_in(phone)

    laptop.get_by_role("link", name="Settings").click()
    laptop.get_by_label("Current password").fill(PASSWORD)
    laptop.get_by_label("New password").fill(NEW_PASSWORD)
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop.get_by_text("Your password has been changed. You have been signed out everywhere else.")).to_be_visible()
    expect_signed_in(laptop)

    phone.goto("/journal/")
    expect(phone).to_have_url(re.compile(r"/accounts/login\?next="))
    expect_signed_out(phone)


def test_settings_preferences_and_data_download(page, live_server):
    email = unique_email()
    register(page, email)
    page.goto("/accounts/settings")
    page.get_by_label("Fahrenheit (°F)").check()
    page.get_by_label("First day of the week").select_option("Sunday")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Fahrenheit (°F)")).to_be_checked()
    expect(page.get_by_label("First day of the week")).to_have_value("6")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("seedling-export-")
    assert email in Path(download.path()).read_text(encoding="utf-8")


def test_delete_the_account(page, live_server):
    email = unique_email()
    register(page, email)
    page.goto("/accounts/settings")
    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and journal").click()
    expect(page.locator("#confirm-error")).to_contain_text("Please tick this box")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account and my whole journal will be deleted for good").check()
    page.get_by_role("button", name="Delete my account and journal").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Your account and your whole journal have been deleted.")).to_be_visible()
    expect_signed_out(page)

    sign_in(page, email)
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")


@pytest.mark.parametrize("path", ["/accounts/login", "/accounts/register", "/accounts/reset", "/accounts/reset/not-a-token"])
def test_account_pages_are_accessible(page, assert_accessible, path):
    page.goto(path)
    assert_accessible(page)


def test_signed_in_account_pages_are_accessible(make_page, assert_accessible):
    for scheme in ("light", "dark"):
        page = make_page(color_scheme=scheme)
        register(page, unique_email())
        for path in ("/accounts/settings", "/accounts/settings/delete"):
            page.goto(path)
            assert_accessible(page)
