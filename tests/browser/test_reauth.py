"""Confirm it's you, in a real browser: an older session's "Download my data" asks for the
password, then the download starts by itself (a meta refresh, no script), and the CSV links work
the same way."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from webapp.accounts.models import User, UserSession
from webapp.clock import utcnow
from webapp.extensions import db

PASSWORD = "a calm green seedling"

pytestmark = pytest.mark.browser


def signed_in_a_while_ago(live_server, email: str) -> None:
    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.execute(
            update(UserSession).where(UserSession.user_id == user_id).values(authenticated_at=utcnow() - timedelta(minutes=20), last_seen_at=utcnow())
        )
        db.session.commit()


def test_an_older_session_confirms_then_downloads(page, live_server, assert_accessible):
    email = f"reauth-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    signed_in_a_while_ago(live_server, email)

    page.goto("/accounts/settings")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password at all")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".error-summary")).to_contain_text("That is not your current password.")

    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Confirm").click()
    download = download_info.value
    assert download.suggested_filename.startswith("seedling-export-")
    assert email in Path(download.path()).read_text(encoding="utf-8")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    # Confirmed a moment ago: the spreadsheet downloads at once.
    page.goto("/journal/import")
    with page.expect_download() as csv_info:
        page.get_by_role("link", name="Days (CSV)").click()
    assert csv_info.value.suggested_filename == "seedling-days.csv"
