"""Re-authentication before sensitive actions (ASVS 3.7.1, 3.3.2): downloading your data and
deleting every journal entry ask "is it you?" when this session's last sign-in or confirmation
is older than REAUTH_MINUTES, whatever "keep me signed in" says."""

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, app_context_for, teardown
from tests.test_accounts_second_factor import next_unused_code, turn_on_app
from webapp.accounts.models import AuditEvent, UserSession
from webapp.clock import utcnow
from webapp.extensions import db, limiter

EXPORT = "/accounts/settings/export"
SENSITIVE = [EXPORT, "/journal/export/days.csv", "/journal/export/inseminations.csv", "/journal/export/tests.csv", "/journal/data/delete"]
CONTINUE_LINK = re.compile(r'<a class="button" href="([^"]+)">Continue</a>')


def sign_in_longer_ago(app, minutes: float) -> None:
    """Every session's last authentication back-dated, while it stays in use (not idle)."""
    with app.app_context():
        db.session.execute(update(UserSession).values(authenticated_at=utcnow() - timedelta(minutes=minutes), last_seen_at=utcnow()))
        db.session.commit()


def kinds(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.id)))


def confirm_path(response) -> tuple[str, str | None]:
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response.headers["Location"])
    return parts.path, parse_qs(parts.query).get("next", [None])[0]


def test_right_after_signing_in_a_download_needs_nothing_more(client, auth):
    auth.register()
    response = client.get(EXPORT)
    assert response.status_code == 200 and response.mimetype == "application/json"


@pytest.mark.parametrize("path", SENSITIVE)
def test_after_fifteen_minutes_sensitive_actions_ask_who_it_is_first(app, client, auth, path):
    auth.register()
    sign_in_longer_ago(app, 16)
    assert client.get("/journal/").status_code == 200  # the session itself is still good
    assert confirm_path(client.get(path)) == ("/accounts/confirm", path)
    assert "export" not in kinds(app)  # nothing was downloaded


def test_a_post_to_delete_every_entry_is_refused_too_and_deletes_nothing(app, client, auth):
    auth.register()
    sign_in_longer_ago(app, 16)
    response = client.post("/journal/data/delete", data={"confirm": "y"})
    assert confirm_path(response) == ("/accounts/confirm", "/journal/data/delete")
    assert "journal_deleted" not in kinds(app)


def test_the_page_asks_for_the_password_and_then_the_download_works(app, client, auth):
    auth.register()
    sign_in_longer_ago(app, 16)
    page = client.get(f"/accounts/confirm?next={EXPORT}")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.text
    assert page.headers["Cache-Control"] == "no-store"
    done = client.post(f"/accounts/confirm?next={EXPORT}", data={"password": PASSWORD}, follow_redirects=True)
    assert done.status_code == 200
    assert html.unescape(CONTINUE_LINK.search(done.text).group(1)) == EXPORT
    assert f'content="0; url={EXPORT}"' in done.text  # goes on by itself, without a script
    assert client.get(EXPORT).status_code == 200
    assert kinds(app)[-2:] == ["reauthenticated", "export"]


def test_a_wrong_password_is_refused_noted_and_lets_nothing_through(app, client, auth):
    auth.register()
    sign_in_longer_ago(app, 16)
    refused = client.post(f"/accounts/confirm?next={EXPORT}", data={"password": "not my password at all"})
    assert refused.status_code == 200
    assert "That is not your current password." in refused.text
    assert confirm_path(client.get(EXPORT))[0] == "/accounts/confirm"
    assert kinds(app)[-1] == "reauth_failed"


def test_an_empty_form_says_what_is_missing(app, client, auth):
    auth.register()
    sign_in_longer_ago(app, 16)
    refused = client.post("/accounts/confirm", data={})
    assert refused.status_code == 200 and "Please enter your password." in refused.text
    assert "reauth_failed" not in kinds(app)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_way_on_never_leaves_the_site(app, client, auth, target):
    auth.register()
    sign_in_longer_ago(app, 16)
    done = client.post("/accounts/confirm", query_string={"next": target}, data={"password": PASSWORD}, follow_redirects=True)
    assert html.unescape(CONTINUE_LINK.search(done.text).group(1)) == "/journal/"
    assert "evil" not in done.text and "javascript:" not in done.text


def test_keep_me_signed_in_lasts_but_downloads_still_ask(app, client, auth):
    auth.register()
    auth.logout()
    auth.login(remember=True)
    with app.app_context():
        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(days=3), authenticated_at=utcnow() - timedelta(days=3)))
        db.session.commit()
    fresh_browser = app.test_client()  # the browser was closed: only the remember cookie is left
    fresh_browser.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert fresh_browser.get("/journal/").status_code == 200
    assert confirm_path(fresh_browser.get(EXPORT))[0] == "/accounts/confirm"


def test_the_window_is_configurable(tmp_path):
    app = app_context_for(tmp_path / "instance", REAUTH_MINUTES=2)
    try:
        client = app.test_client()
        client.post("/accounts/register", data={"email": "person@example.org", "password": PASSWORD})
        sign_in_longer_ago(app, 1)
        assert client.get(EXPORT).status_code == 200
        sign_in_longer_ago(app, 3)
        assert confirm_path(client.get(EXPORT))[0] == "/accounts/confirm"
    finally:
        teardown(app)


def test_confirming_counts_for_this_session_only(app, client, auth):
    auth.register()
    other = app.test_client()
    assert other.post("/accounts/login", data={"email": "person@example.org", "password": PASSWORD}).status_code == 302
    sign_in_longer_ago(app, 16)
    client.post("/accounts/confirm", data={"password": PASSWORD})
    assert client.get(EXPORT).status_code == 200
    assert confirm_path(other.get(EXPORT))[0] == "/accounts/confirm"


def test_signed_out_the_page_sends_you_to_sign_in(client):
    response = client.get("/accounts/confirm")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


def test_people_with_an_authenticator_app_may_give_a_code_instead(app, client, auth):
    auth.register()
    secret, recovery_codes = turn_on_app(client)
    sign_in_longer_ago(app, 16)
    page = client.get("/accounts/confirm")
    assert 'autocomplete="one-time-code"' in page.text
    recovery = client.post("/accounts/confirm", data={"code": recovery_codes[0]})
    assert "That code is not right" in recovery.text  # recovery codes are for a lost app, not this
    done = client.post("/accounts/confirm", data={"code": next_unused_code(secret)}, follow_redirects=True)
    assert CONTINUE_LINK.search(done.text)
    assert client.get(EXPORT).status_code == 200
    reused = client.post("/accounts/confirm", data={"code": next_unused_code(secret)})
    assert "That code is not right" in reused.text  # each code counts once


def test_without_an_app_a_code_is_no_way_in(app, client, auth):
    auth.register()
    sign_in_longer_ago(app, 16)
    refused = client.post("/accounts/confirm", data={"code": "123456"})
    assert "Please enter your password." in refused.text
    assert confirm_path(client.get(EXPORT))[0] == "/accounts/confirm"


@pytest.fixture
def limited_app(tmp_path):
    app = app_context_for(
        tmp_path / "instance",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_PASSWORD_CHECKS_ACCOUNT="3 per 15 minutes",
    )
    yield app
    teardown(app)
    limiter.enabled = False


def test_wrong_passwords_are_limited_like_sign_in(limited_app):
    client = limited_app.test_client()
    client.post("/accounts/register", data={"email": "person@example.org", "password": PASSWORD})
    sign_in_longer_ago(limited_app, 16)
    for _ in range(3):
        assert client.post("/accounts/confirm", data={"password": "not my password at all"}).status_code == 200
    assert client.post("/accounts/confirm", data={"password": PASSWORD}).status_code == 429
    assert confirm_path(client.get(EXPORT))[0] == "/accounts/confirm"


def test_download_links_are_plain_links_so_the_question_can_be_asked(client, auth):
    """With a `download` attribute a browser would save the "confirm it's you" page as the file."""
    auth.register()
    for page in ("/accounts/settings", "/journal/import", "/journal/data/delete"):
        text = client.get(page).text
        links = re.findall(r"<a [^>]*href=\"(?:/accounts/settings/export|/journal/export/[a-z]+\.csv)\"[^>]*>", text)
        assert links, page
        assert not [link for link in links if re.search(r"\sdownload[\s>=]", link)], (page, links)
