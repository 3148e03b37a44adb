"""Two-step sign-in in a real browser: turn the authenticator app on, sign out, sign in with it."""

import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_accounts import PASSWORD, expect_signed_in, expect_signed_out, register, sign_in
from webapp.accounts import totp

pytestmark = pytest.mark.browser


def code_for(secret: str, offset_steps: int = 0) -> str:
    return totp.code_at(totp.secret_bytes(secret), time.time() + offset_steps * totp.STEP_SECONDS)


def test_turn_on_the_app_then_sign_in_with_password_and_code(page, live_server, assert_accessible):
    email = f"person-{uuid.uuid4().hex[:10]}@example.org"
    register(page, email)
    page.goto("/accounts/settings")
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code holding your Seedling set-up key")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is on.")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_text("10 unused recovery codes")).to_be_visible()

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect_signed_out(page)
    sign_in(page, email)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code")
    expect_signed_out(page)
    assert_accessible(page)
    page.get_by_label("Code").fill(code_for(secret, offset_steps=1))  # the current one is spent
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")
    expect_signed_in(page)


def localhost(live_server) -> str:
    """WebAuthn refuses IP addresses as relying party ids: the same server, named localhost."""
    return live_server.url.replace("127.0.0.1", "localhost")


def add_virtual_authenticator(page) -> None:
    """Chromium's virtual authenticator: a platform passkey store that verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_add_a_passkey_then_sign_in_with_it_and_remove_it(page, live_server):
    site = localhost(live_server)
    add_virtual_authenticator(page)
    email = f"person-{uuid.uuid4().hex[:10]}@example.org"
    page.goto(f"{site}/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{site}/journal/")

    page.goto(f"{site}/accounts/settings")
    expect(page.locator("#passkeys-need-script")).to_be_hidden()
    page.get_by_label("A name for this passkey").fill("Test phone")
    page.locator("#add-passkey").get_by_label("Your password", exact=True).fill("not my password at all")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#add-passkey .passkey-error")).to_have_text("That is not your current password.")
    page.locator("#add-passkey").get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey “Test phone” is added")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the passkey Test phone")).to_be_visible()

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect_signed_out(page)
    page.goto(f"{site}/accounts/login")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{site}/journal/")
    expect_signed_in(page)

    page.goto(f"{site}/accounts/settings")
    expect(page.get_by_text("Signed in with a passkey")).to_be_visible()
    page.get_by_role("button", name="Remove the passkey Test phone").click()
    expect(page.get_by_text("That passkey is removed")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(f"{site}/accounts/login")
    page.get_by_role("button", name="Use a passkey").click()
    # The authenticator still holds it; the site no longer knows it.
    expect(page.locator("#passkey-sign-in .passkey-error")).to_contain_text("it may have been removed")
    expect_signed_out(page)
