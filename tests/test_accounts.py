"""Accounts: registration, sign-in and out, password reset, and the settings page."""

import importlib
import json
import pkgutil
import re
import stat
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

import webapp
from tests.conftest import PASSWORD, outbox
from webapp.accounts.models import User
from webapp.accounts.tokens import make_email_change_token, make_reset_token
from webapp.extensions import db

EMAIL = "person@example.org"
NEW_PASSWORD = "a brave new sunflower"
RESET_LINK = re.compile(r"https?://[^\s]+/accounts/reset/([A-Za-z0-9_\-\.]+)")
CONFIRM_EMAIL_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[A-Za-z0-9_\-\.]+)")


def get_user(app, email: str = EMAIL) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def is_signed_in(client) -> bool:
    return client.get("/journal/").status_code == 200


def reset_token_from_mail(message) -> str:
    match = RESET_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def request_reset(client, email: str = EMAIL):
    return client.post("/accounts/reset", data={"email": email})


# --------------------------------------------------------------------------- registration


def test_register_signs_in_at_once_and_lands_on_the_journal(client, auth, app):
    response = auth.register()
    assert response.status_code == 302
    assert response.headers["Location"] == "/journal/"
    assert is_signed_in(client)
    user = get_user(app)
    assert user.password_hash.startswith("pbkdf2:sha256:1$")  # the tests' cheap method; see test_passwords
    assert PASSWORD not in user.password_hash


def test_register_page_explains_the_password_rule(client):
    page = client.get("/accounts/register").get_data(as_text=True)
    assert "At least 12 characters" in page
    assert 'autocomplete="new-password"' in page
    assert 'minlength="12"' in page


def test_an_eleven_character_password_is_too_short(client, auth, app):
    response = auth.register(password="seedling-ok")  # 11 characters (ASVS 2.1.1 asks 12)
    assert "at least 12 characters" in response.get_data(as_text=True)
    assert user_count(app) == 0
    assert auth.register(password="seedling-ok!").status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login", "/accounts/register"])
def test_password_fields_offer_a_show_password_box_that_only_a_script_reveals(client, path):
    page = client.get(path).get_data(as_text=True)
    toggle = re.search(r'<p class="show-password" hidden>\s*<input type="checkbox" id="password-show" data-shows="password">', page)
    assert toggle, page
    assert '<label for="password-show">Show password</label>' in page
    script = re.search(r'<script src="(/static/js/show-password\.js)" defer></script>', page)
    assert script
    assert "<script>" not in page  # the CSP forbids inline script
    with client.get(script.group(1)) as response:
        source = response.get_data(as_text=True)
    assert "data-shows" in source and "hidden = false" in source


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("too short", "at least 12 characters"),
        ("password1234", "one of the most common passwords"),
        ("1q2w3e4r5t6y", "one of the most common passwords"),
        (EMAIL, "do not use your email address"),
        ("person-is-my-name", "first part of your email address"),
        ("", "Please choose a password."),
    ],
)
def test_register_refuses_weak_passwords_with_a_clear_message(client, auth, app, password, message):
    response = auth.register(password=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count(app) == 0


@pytest.mark.parametrize("email", ["", "not-an-email", "a@", "x" * 250 + "@example.org"])
def test_register_refuses_bad_email_addresses(client, auth, app, email):
    response = auth.register(email=email)
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_registering_a_taken_address_answers_as_for_a_free_one_and_tells_its_owner(app, auth):
    auth.register()
    auth.logout()
    stranger = app.test_client()
    taken = stranger.post("/accounts/register", data={"email": "  Person@EXAMPLE.org ", "password": "someone else's password"})
    free = app.test_client().post("/accounts/register", data={"email": "free@example.org", "password": "someone else's password"})
    assert (taken.status_code, taken.headers["Location"]) == (free.status_code, free.headers["Location"]) == (302, "/journal/")
    assert taken.get_data() == free.get_data()
    assert user_count(app) == 2
    assert not is_signed_in(stranger)
    [warning] = outbox(app)
    assert warning.to == [EMAIL]
    assert warning.subject == "Someone tried to register with your email address"
    assert "/accounts/reset" in warning.body and "someone else's password" not in warning.body
    assert auth.login().headers["Location"] == "/journal/"  # the owner's password still works


def test_email_addresses_are_stored_trimmed_and_in_lower_case(client, auth, app):
    auth.register(email="  Robin@Example.ORG ")
    assert get_user(app, "robin@example.org") is not None
    auth.logout()
    assert auth.login(email="ROBIN@example.org").headers["Location"] == "/journal/"


def test_signed_in_people_skip_the_register_and_login_pages(client, auth):
    auth.register()
    assert client.get("/accounts/register").headers["Location"] == "/journal/"
    assert client.get("/accounts/login").headers["Location"] == "/journal/"


# --------------------------------------------------------------------------- sign in and out


def test_login_and_logout(client, auth):
    auth.register()
    auth.logout()
    assert not is_signed_in(client)
    response = auth.login()
    assert response.headers["Location"] == "/journal/"
    assert is_signed_in(client)
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [(EMAIL, "the wrong password"), ("nobody@example.org", PASSWORD), (EMAIL.upper(), "the wrong password")],
)
def test_wrong_credentials_get_one_message_and_no_session(client, auth, email, password):
    auth.register()
    auth.logout()
    response = auth.login(email=email, password=password)
    assert response.status_code == 200
    assert "do not match an account" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_logout_needs_post(client, auth):
    auth.register()
    assert client.get("/accounts/logout").status_code == 405
    assert is_signed_in(client)


def test_logout_without_a_session_just_goes_home(client):
    assert client.post("/accounts/logout").headers["Location"] == "/"


def test_a_page_that_needs_an_account_sends_you_back_after_sign_in(client, auth):
    auth.register()
    auth.logout()
    response = client.get("/accounts/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login?next=")
    response = client.post(response.headers["Location"], data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/settings"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/\r\nLocation: https://evil.example",
        "evil.example",
        "",
    ],
)
def test_login_never_redirects_off_the_site(client, auth, target):
    auth.register()
    auth.logout()
    response = client.post("/accounts/login", query_string={"next": target}, data={"email": EMAIL, "password": PASSWORD})
    location = response.headers["Location"]
    if target == "/%0d%0aSet-Cookie:x=1":
        assert location == target  # percent-encoded: a harmless local path
    else:
        assert location == "/journal/"


def test_login_follows_a_local_next_with_its_query(client, auth):
    auth.register()
    auth.logout()
    response = client.post("/accounts/login?next=/articles/%3Fpage%3D2", data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"] == "/articles/?page=2"


def test_remember_me_keeps_a_browser_signed_in_after_the_session_ends(app, client, auth):
    auth.register()
    auth.logout()
    response = auth.login(remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only
    assert any("remember_token=" in header and "HttpOnly" in header for header in response.headers.getlist("Set-Cookie"))
    assert cookie.expires is not None
    assert timedelta(days=29) < cookie.expires - datetime.now(timezone.utc) <= timedelta(days=30)
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    assert is_signed_in(fresh)


def test_signing_in_starts_a_fresh_session(client, auth):
    auth.register()
    auth.logout()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_without_remember_me_there_is_no_remember_cookie(client, auth):
    auth.register()
    auth.logout()
    auth.login()
    assert client.get_cookie("remember_token") is None


def test_logout_also_forgets_the_remembered_browser(app, client, auth):
    auth.register()
    auth.logout()
    auth.login(remember=True)
    auth.logout()
    assert client.get_cookie("remember_token") is None
    assert not is_signed_in(client)


# --------------------------------------------------------------------------- password reset


def test_reset_sends_a_single_use_link_that_signs_out_every_other_session(app, client, auth):
    auth.register()
    other_device = app.test_client()
    other_device.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    assert is_signed_in(other_device)
    auth.logout()

    page = request_reset(client).get_data(as_text=True)
    assert "Check your email" in page
    [message] = outbox(app)
    assert message.to == [EMAIL]
    token = reset_token_from_mail(message)
    assert "works once, for one hour" in message.body

    form = client.get(f"/accounts/reset/{token}")
    assert "Choose a new password" in form.get_data(as_text=True)
    response = client.post(f"/accounts/reset/{token}", data={"password": NEW_PASSWORD})
    assert response.headers["Location"] == "/journal/"
    assert is_signed_in(client)

    assert not is_signed_in(other_device)  # its session and remember cookie both died
    again = client.get(f"/accounts/reset/{token}").get_data(as_text=True)
    assert "This link no longer works" in again
    client.post(f"/accounts/reset/{token}", data={"password": "yet another fine password"})
    auth.logout()
    assert not is_signed_in(client) and auth.login(password=PASSWORD).status_code == 200
    assert auth.login(password=NEW_PASSWORD).headers["Location"] == "/journal/"
    assert outbox(app)[-1].subject == "Your Seedling password was changed"


def test_reset_shows_the_confirmation_after_a_new_password(app, client, auth):
    auth.register()
    auth.logout()
    request_reset(client)
    token = reset_token_from_mail(outbox(app)[0])
    response = client.post(f"/accounts/reset/{token}", data={"password": NEW_PASSWORD}, follow_redirects=True)
    assert "Your password has been changed. You have been signed out everywhere else." in response.get_data(as_text=True)


def test_reset_refuses_weak_new_passwords_and_keeps_the_link_usable(app, client, auth):
    auth.register()
    auth.logout()
    request_reset(client)
    token = reset_token_from_mail(outbox(app)[0])
    response = client.post(f"/accounts/reset/{token}", data={"password": "password1234"})
    assert "most common passwords" in response.get_data(as_text=True)
    assert client.post(f"/accounts/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 302


def test_reset_for_an_unknown_email_sends_nothing_and_says_the_same(app, client, auth):
    auth.register()
    auth.logout()
    response = request_reset(client, "nobody@example.org")
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_a_reset_link_expires_after_an_hour(app, client, auth, monkeypatch):
    auth.register()
    auth.logout()
    for age, works in [(3599, True), (3601, False)]:
        with monkeypatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self, age=age: int(time.time()) - age)
            with app.test_request_context():
                user = db.session.scalar(select(User).where(User.email == EMAIL))
                token = make_reset_token(user)
        page = client.get(f"/accounts/reset/{token}").get_data(as_text=True)
        assert ("Choose a new password" in page) is works, age


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t, lambda t: "x" * 600])
def test_a_tampered_reset_link_is_refused(app, client, auth, mangle):
    auth.register()
    auth.logout()
    request_reset(client)
    token = reset_token_from_mail(outbox(app)[0])
    assert "This link no longer works" in client.get(f"/accounts/reset/{mangle(token)}").get_data(as_text=True)
    response = client.post(f"/accounts/reset/{mangle(token)}", data={"password": NEW_PASSWORD})
    assert "This link no longer works" in response.get_data(as_text=True)
    assert auth.login().headers["Location"] == "/journal/"


def test_a_reset_link_dies_when_the_password_or_email_changes(app, client, auth):
    auth.register()
    request_reset(client)
    request_reset(client)
    first, second = (reset_token_from_mail(message) for message in outbox(app))
    client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert "This link no longer works" in client.get(f"/accounts/reset/{first}").get_data(as_text=True)

    request_reset(client)
    third = reset_token_from_mail(outbox(app)[-1])
    client.post("/accounts/settings/email", data={"new_email": "robin@example.org", "email_password": NEW_PASSWORD})
    client.post(CONFIRM_EMAIL_LINK.search(outbox(app)[-1].body).group(1))
    assert "This link no longer works" in client.get(f"/accounts/reset/{third}").get_data(as_text=True)
    assert "This link no longer works" in client.get(f"/accounts/reset/{second}").get_data(as_text=True)


def test_reset_links_use_site_url_not_the_request_host(app_factory):
    app = app_factory(SITE_URL="https://seedling.example")
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    client.post("/accounts/reset", data={"email": EMAIL}, headers={"Host": "evil.example"})
    [message] = outbox(app)
    assert "https://seedling.example/accounts/reset/" in message.body
    assert "evil.example" not in message.body


def test_without_mail_settings_mail_is_written_to_the_instance_outbox(app_factory):
    app = app_factory(MAIL_BACKEND=None, MAIL_FILE_PATH=None)
    outbox_dir = Path(app.instance_path) / "outbox"
    assert app.config["MAIL_BACKEND"] == "webapp.accounts.mail.OutboxEmailBackend"
    assert outbox_dir.is_dir()
    assert app.config["MAIL_SEND_IN_BACKGROUND"] is False
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    client.post("/accounts/reset", data={"email": EMAIL})
    [mail_file] = list(outbox_dir.iterdir())
    assert stat.S_IMODE(mail_file.stat().st_mode) == 0o600
    text = mail_file.read_text()
    assert f"To: {EMAIL}" in text
    token = RESET_LINK.search(text).group(1)
    assert "Choose a new password" in client.get(f"/accounts/reset/{token}").get_data(as_text=True)


def test_the_outbox_also_prints_mail_in_debug(app_factory, capsys):
    app = app_factory(MAIL_BACKEND=None, MAIL_FILE_PATH=None, DEBUG=True)
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    client.post("/accounts/reset", data={"email": EMAIL})
    assert "/accounts/reset/" in capsys.readouterr().out


def test_with_a_mail_server_mail_goes_by_smtp_in_the_background(app_factory):
    app = app_factory(MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
    assert app.config["MAIL_BACKEND"] == "smtp"
    assert app.config["MAIL_SEND_IN_BACKGROUND"] is True


def test_a_mail_server_that_is_down_does_not_break_the_page(app_factory, caplog):
    # Port 9 (discard) refuses the connection at once; sending in the foreground shows the error.
    app = app_factory(MAIL_BACKEND=None, MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_SEND_IN_BACKGROUND=False)
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    response = client.post("/accounts/reset", data={"email": EMAIL})
    assert response.status_code == 200
    assert "Could not send the password reset email" in caplog.text
    assert "/accounts/reset/" not in caplog.text


# --------------------------------------------------------------------------- settings


def test_settings_needs_an_account(client):
    for path in ("/accounts/settings", "/accounts/settings/export", "/accounts/settings/delete"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/accounts/login")


def test_settings_page_shows_every_section(client, auth):
    auth.register()
    page = client.get("/accounts/settings").get_data(as_text=True)
    for text in ("Preferences", "Email address", "Password", "Download my data", "Delete my account", EMAIL):
        assert text in page


def test_preferences_are_saved(app, client, auth):
    auth.register()
    response = client.post("/accounts/settings/preferences", data={"temperature_unit": "F", "week_starts_on": "6"})
    assert response.headers["Location"] == "/accounts/settings"
    user = get_user(app)
    assert (user.temperature_unit, user.week_starts_on) == ("F", 6)
    page = client.get("/accounts/settings").get_data(as_text=True)
    assert "Your preferences are saved." in page
    assert re.search(r'<option selected value="6">|<option value="6" selected>', page)


@pytest.mark.parametrize("data", [{"temperature_unit": "K", "week_starts_on": "0"}, {"temperature_unit": "C", "week_starts_on": "9"}, {"temperature_unit": "C", "week_starts_on": "x"}, {}])
def test_bad_preferences_change_nothing(app, client, auth, data):
    auth.register()
    response = client.post("/accounts/settings/preferences", data=data)
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
    user = get_user(app)
    assert (user.temperature_unit, user.week_starts_on) == ("C", 0)


def change_email(client, email, password=PASSWORD):
    return client.post("/accounts/settings/email", data={"new_email": email, "email_password": password})


def confirm_link_from_mail(message) -> str:
    match = CONFIRM_EMAIL_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_change_email_needs_the_password_and_a_new_address(app, client, auth):
    auth.register()
    assert "not your current password" in change_email(client, "new@example.org", "wrong password!").get_data(as_text=True)
    assert "already your email address" in change_email(client, EMAIL).get_data(as_text=True)
    assert "whole email address" in change_email(client, "nonsense").get_data(as_text=True)
    assert outbox(app) == []


def test_changing_to_a_taken_address_answers_as_for_a_free_one_and_tells_its_owner(app, client, auth):
    auth.register(email="other@example.org")
    auth.logout()
    auth.register()
    taken = change_email(client, "Other@example.org")
    taken_page = client.get("/accounts/settings").get_data(as_text=True)
    free = change_email(client, "free@example.org")
    free_page = client.get("/accounts/settings").get_data(as_text=True)
    assert taken.headers["Location"] == free.headers["Location"] == "/accounts/settings"
    assert "We have sent a link to other@example.org" in taken_page
    assert "We have sent a link to free@example.org" in free_page
    warning, link_mail = outbox(app)
    assert warning.to == ["other@example.org"] and "/accounts/confirm-email/" not in warning.body
    assert warning.subject == "Someone tried to use your email address on Seedling"
    assert link_mail.to == ["free@example.org"]
    assert get_user(app) is not None


def test_a_new_email_address_takes_effect_only_once_its_link_is_opened(app, client, auth):
    auth.register()
    response = change_email(client, " New@Example.org ")
    assert response.headers["Location"] == "/accounts/settings"
    page = client.get("/accounts/settings").get_data(as_text=True)
    assert "We have sent a link to new@example.org" in page
    assert get_user(app) is not None and get_user(app, "new@example.org") is None  # not yet
    [link_mail] = outbox(app)
    assert link_mail.to == ["new@example.org"]
    assert "one hour" in link_mail.body
    link = confirm_link_from_mail(link_mail)

    # Opening the link shows a button: a mail scanner fetching it changes nothing.
    assert "Use new@example.org" in client.get(link).get_data(as_text=True)
    assert get_user(app, "new@example.org") is None
    response = client.post(link)
    assert response.headers["Location"] == "/accounts/settings"
    assert get_user(app, "new@example.org") is not None and get_user(app) is None
    notice = outbox(app)[-1]
    assert notice.to == [EMAIL] and "new@example.org" in notice.body
    assert is_signed_in(client)
    assert "This link no longer works" in client.post(link).get_data(as_text=True)  # single use


def test_a_confirmed_email_change_signs_out_every_other_device(app, client, auth):
    auth.register()
    phone = app.test_client()
    phone.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    remembered_only = app.test_client()
    remembered_only.set_cookie("remember_token", phone.get_cookie("remember_token").value)
    change_email(client, "new@example.org")
    client.post(confirm_link_from_mail(outbox(app)[0]))
    assert is_signed_in(client)
    assert not is_signed_in(phone) and not is_signed_in(remembered_only)


def test_an_email_change_link_expires_after_an_hour(app, client, auth, monkeypatch):
    auth.register()
    for age, works in [(3500, True), (3601, False)]:
        with monkeypatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self, age=age: int(time.time()) - age)
            with app.test_request_context():
                user = db.session.scalar(select(User).where(User.email == EMAIL))
                token = make_email_change_token(user, "new@example.org")
        page = client.get(f"/accounts/confirm-email/{token}").get_data(as_text=True)
        assert ("Use new@example.org" in page) is works, age


def test_an_email_change_link_can_be_opened_signed_out_and_then_ends_every_session(app, client, auth):
    auth.register()
    change_email(client, "new@example.org")
    link = confirm_link_from_mail(outbox(app)[0])
    elsewhere = app.test_client()
    response = elsewhere.post(link)
    assert response.headers["Location"] == "/accounts/login"
    assert get_user(app, "new@example.org") is not None
    assert not is_signed_in(client)


def test_an_email_change_link_dies_when_the_password_changes(app, client, auth):
    auth.register()
    change_email(client, "new@example.org")
    link = confirm_link_from_mail(outbox(app)[0])
    client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert "This link no longer works" in client.post(link).get_data(as_text=True)


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" * 600])
def test_a_tampered_email_change_link_is_refused(app, client, auth, mangle):
    auth.register()
    change_email(client, "new@example.org")
    link = confirm_link_from_mail(outbox(app)[0])
    prefix, token = link.rsplit("/", 1)
    assert "This link no longer works" in client.post(f"{prefix}/{mangle(token)}").get_data(as_text=True)
    assert get_user(app) is not None


def test_change_password_needs_the_current_one(app, client, auth):
    auth.register()
    response = client.post("/accounts/settings/password", data={"current_password": "not my password", "new_password": NEW_PASSWORD})
    assert "not your current password" in response.get_data(as_text=True)
    response = client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": "qwertyuiop123"})
    assert "most common passwords" in response.get_data(as_text=True)
    response = client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": PASSWORD})
    assert "same as your current one" in response.get_data(as_text=True)
    auth.logout()
    assert auth.login().headers["Location"] == "/journal/"


def test_change_password_ends_every_other_session_but_this_one(app, client, auth):
    auth.register()
    phone = app.test_client()
    phone.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD})
    laptop = app.test_client()
    laptop.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    remembered_only = app.test_client()
    remembered_only.set_cookie("remember_token", laptop.get_cookie("remember_token").value)
    assert is_signed_in(phone) and is_signed_in(remembered_only)
    old_session_token = get_user(app).session_token

    response = client.post(
        "/accounts/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, follow_redirects=True
    )
    assert "Your password has been changed. You have been signed out everywhere else." in response.get_data(as_text=True)
    assert get_user(app).session_token != old_session_token
    assert is_signed_in(client)
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert not is_signed_in(remembered_only)
    assert outbox(app)[-1].subject == "Your Seedling password was changed"


def test_change_password_keeps_remember_me_on_this_browser(app, client, auth):
    auth.register()
    auth.logout()
    auth.login(remember=True)
    client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    fresh = app.test_client()
    fresh.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_signed_in(fresh)


def test_export_downloads_my_data_as_json(client, auth):
    auth.register()
    response = client.get("/accounts/settings/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="seedling-export-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == EMAIL
    assert "password" not in response.get_data(as_text=True).lower()
    assert "session_token" not in response.get_data(as_text=True)


def test_delete_needs_the_password_and_the_tick(app, client, auth):
    auth.register()
    assert "cannot be undone" in client.get("/accounts/settings/delete").get_data(as_text=True)
    response = client.post("/accounts/settings/delete", data={"password": "not my password", "confirm": "y"})
    assert "not your current password" in response.get_data(as_text=True)
    response = client.post("/accounts/settings/delete", data={"password": PASSWORD})
    assert "Please tick this box" in response.get_data(as_text=True)
    assert user_count(app) == 1 and is_signed_in(client)


def test_delete_removes_the_account_and_signs_out(app, client, auth):
    auth.register(email="stays@example.org")
    auth.logout()
    auth.register()
    response = client.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y"}, follow_redirects=True)
    assert "Your account and your whole journal have been deleted." in response.get_data(as_text=True)
    assert get_user(app) is None
    assert get_user(app, "stays@example.org") is not None
    assert not is_signed_in(client)
    assert auth.login().status_code == 200  # the account is gone


# --------------------------------------------------------------------------- deleting everything


def sample_values(owner_id: int) -> dict[type, object]:
    """Plain values of each type, different for each owner so unique columns do not clash."""
    return {
        bool: False,
        int: owner_id,
        float: float(owner_id),
        str: f"x{owner_id}",
        datetime: datetime(2024, 1, 1, 8, 0) + timedelta(days=owner_id),
        date: date(2024, 1, 1) + timedelta(days=owner_id),
        dt_time: dt_time(8, owner_id % 60),
        dict: {},
        list: [],
        bytes: f"x{owner_id}".encode(),
    }


def import_every_model() -> None:
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def sample_value(column, owner_id: int):
    try:
        python_type = column.type.python_type
    except NotImplementedError:  # pragma: no cover - a custom type would need a value here
        pytest.fail(f"no sample value for {column.table.name}.{column.name} ({column.type})")
    for kind, value in sample_values(owner_id).items():  # bool before int, datetime before date
        if issubclass(python_type, kind):
            return value
    pytest.fail(f"no sample value for {column.table.name}.{column.name} ({python_type})")


def row_for(table, owner_id: int, made: dict[str, int]) -> dict | None:
    """Values for one row of a table that belongs to the owner, or None if it does not."""
    values, owned = {}, False
    for column in table.columns:
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if targets & {"user"}:
            values[column.name], owned = owner_id, True
        elif targets & made.keys():
            values[column.name], owned = made[next(iter(targets & made.keys()))], True
        elif column.primary_key or column.nullable or column.default is not None or column.server_default is not None:
            continue
        elif targets:
            return None  # needs a row in a table that is not this person's
        else:
            values[column.name] = sample_value(column, owner_id)
    return values if owned else None


def fill_every_owned_table(owner_id: int) -> dict[str, int]:
    """One row in every table that points at the user (directly or through their rows)."""
    made: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        if table.name == "user":
            continue
        values = row_for(table, owner_id, made)
        if values is None:
            continue
        result = db.session.execute(table.insert().values(**values))
        made[table.name] = result.inserted_primary_key[0]
    db.session.commit()
    return made


def rows_of(table_name: str, owner_id: int) -> int:
    table = db.metadata.tables[table_name]
    owner_columns = [c for c in table.columns if any(fk.column.table.name == "user" for fk in c.foreign_keys)]
    if not owner_columns:
        return db.session.scalar(select(func.count()).select_from(table))
    return db.session.scalar(select(func.count()).select_from(table).where(owner_columns[0] == owner_id))


def test_every_foreign_key_to_a_user_cascades_on_delete():
    import_every_model()
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "user":
                assert fk.ondelete and fk.ondelete.upper() == "CASCADE", f"{table.name}.{fk.parent.name}"


def test_deleting_an_account_deletes_every_row_that_is_theirs_at_once(app, client, auth):
    import_every_model()
    with app.app_context():
        db.create_all()  # tables of models imported after the fixture made the schema
    auth.register(email="stays@example.org")
    auth.logout()
    auth.register()
    with app.app_context():
        leaving = db.session.scalar(select(User.id).where(User.email == EMAIL))
        staying = db.session.scalar(select(User.id).where(User.email == "stays@example.org"))
        tables = fill_every_owned_table(leaving)
        fill_every_owned_table(staying)

    client.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y"})

    with app.app_context():
        assert db.session.get(User, leaving) is None
        assert db.session.get(User, staying) is not None
        for table_name in tables:
            assert rows_of(table_name, leaving) == 0, table_name
            assert rows_of(table_name, staying) >= 1, table_name
