"""Server-side sessions: sign-out ends them, idle ones time out, each device can be signed out."""

import re
from datetime import timedelta

from sqlalchemy import select, update

import pytest

from tests.conftest import PASSWORD
from webapp.accounts.models import User, UserSession
from webapp.clock import utcnow
from webapp.extensions import db

EMAIL = "person@example.org"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"


def is_signed_in(client) -> bool:
    return client.get("/journal/").status_code == 200


def sign_in(app, remember=False, agent=FIREFOX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    data = {"email": EMAIL, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/accounts/login", data=data).status_code == 302
    return client


def sessions_of(app) -> list[UserSession]:
    with app.app_context():
        rows = db.session.scalars(select(UserSession).join(User).where(User.email == EMAIL).order_by(UserSession.id)).all()
        db.session.expunge_all()
        return rows


def age_sessions(app, minutes: int) -> None:
    with app.app_context():
        past = utcnow() - timedelta(minutes=minutes)
        db.session.execute(update(UserSession).values(last_seen_at=past, created_at=past))
        db.session.commit()


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, auth):
    auth.register()
    copied = client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert not is_signed_in(replay)


def test_a_remember_cookie_copied_before_sign_out_no_longer_works(app, client, auth):
    auth.register()
    auth.logout()
    auth.login(remember=True)
    copied = client.get_cookie("remember_token").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("remember_token", copied)
    assert not is_signed_in(replay)


def test_the_session_id_is_random_and_stored_only_hashed(app, client, auth):
    auth.register()
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert len(token) >= 40
    [row] = sessions_of(app)
    assert token not in (row.token_hash, str(row.id)) and len(row.token_hash) == 64
    with app.app_context():
        assert token not in db.session.scalar(select(User.session_token).where(User.email == EMAIL))


def test_an_idle_session_times_out_after_thirty_minutes(app, client, auth):
    auth.register()
    age_sessions(app, 29)
    assert is_signed_in(client)  # and that request counts as activity
    age_sessions(app, 31)
    assert not is_signed_in(client)
    assert sessions_of(app) == []


def test_keep_me_signed_in_outlasts_the_idle_timeout_but_not_a_month(app, auth):
    auth.register()
    remembered = sign_in(app, remember=True)
    age_sessions(app, 60 * 24 * 7)
    assert is_signed_in(remembered)
    age_sessions(app, 60 * 24 * 31)
    assert not is_signed_in(remembered)


def test_the_idle_timeout_is_configurable(app_factory):
    app = app_factory(IDLE_TIMEOUT_MINUTES=5)
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    age_sessions(app, 6)
    assert not is_signed_in(client)


def test_settings_list_each_signed_in_device_and_sign_one_out(app, client, auth):
    auth.register()
    phone = sign_in(app, agent=IPHONE)
    page = client.get("/accounts/settings").get_data(as_text=True)
    assert "Your signed-in devices" in page
    assert "Safari on iOS" in page and "This device" in page
    rows = sessions_of(app)
    phone_row = next(row for row in rows if row.user_agent == "Safari on iOS")
    response = client.post(f"/accounts/settings/sessions/{phone_row.id}/sign-out")
    assert response.headers["Location"] == "/accounts/settings"
    assert not is_signed_in(phone) and is_signed_in(client)


def test_sign_out_everywhere_else_keeps_only_this_device(app, client, auth):
    auth.register()
    phone, laptop = sign_in(app, agent=IPHONE), sign_in(app, remember=True)
    client.post("/accounts/settings/sessions/sign-out-others")
    assert is_signed_in(client)
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    assert len(sessions_of(app)) == 1


def test_nobody_can_sign_out_another_persons_device(app, client, auth):
    auth.register(email="other@example.org")
    other_device = sign_in_as(app, "other@example.org")
    other_session = sessions_for(app, "other@example.org")[-1]
    auth.logout()
    auth.register()
    assert client.post(f"/accounts/settings/sessions/{other_session.id}/sign-out").status_code == 404
    assert is_signed_in(other_device)


def sign_in_as(app, email: str):
    client = app.test_client()
    assert client.post("/accounts/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def sessions_for(app, email: str) -> list[UserSession]:
    with app.app_context():
        rows = db.session.scalars(select(UserSession).join(User).where(User.email == email)).all()
        db.session.expunge_all()
        return rows


def test_password_change_still_signs_out_every_other_device(app, client, auth):
    auth.register()
    phone = sign_in(app, remember=True, agent=IPHONE)
    client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": "a brave new sunflower"})
    assert is_signed_in(client) and not is_signed_in(phone)
    assert len(sessions_of(app)) == 1


def test_sessions_record_when_and_on_what_they_were_seen(app, client, auth):
    auth.register()
    sign_in(app, remember=True, agent=IPHONE)
    rows = sessions_of(app)
    assert [row.remember for row in rows] == [False, True]
    assert rows[1].user_agent == "Safari on iOS"
    assert all(row.created_at <= row.last_seen_at for row in rows)


def test_cookies_get_the_host_prefix_over_https(app_factory):
    app = app_factory(TESTING=False, SITE_URL="https://localhost")
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"
    client = app.test_client()
    client.post("/accounts/register", base_url="https://localhost", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout", base_url="https://localhost")
    response = client.post("/accounts/login", base_url="https://localhost", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("__Host-"):
            assert "Secure" in header and "Path=/" in header and "Domain" not in header, header
    names = {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}
    assert {"__Host-session", "__Host-remember_token"} <= names
    assert client.get("/journal/", base_url="https://localhost").status_code == 200


def test_plain_http_keeps_the_plain_cookie_names(app):
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    assert re.fullmatch(r"remember_token", app.config["REMEMBER_COOKIE_NAME"])


def test_the_loader_reads_session_and_person_in_one_statement_and_the_person_can_be_changed(app, client, auth):
    from sqlalchemy import event, inspect

    from webapp.accounts.sessions import start_session, user_for_token

    auth.register()
    with app.test_request_context():
        token = start_session(db.session.scalar(select(User).where(User.email == EMAIL)), remember=False)
        db.session.commit()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            person = user_for_token(token)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert person is not None and person.email == EMAIL
        assert len(statements) == 1  # the session row and its person together
        assert person.current_session_id is not None and person.get_id() == token
        # The ORM's own object, as if queried: nothing pending, and a change is saved.
        assert inspect(person).persistent and not db.session.is_modified(person)
        assert db.session.get(User, person.id) is person
        person.temperature_unit = "F"
        db.session.commit()
    with app.app_context():
        assert db.session.scalar(select(User.temperature_unit).where(User.email == EMAIL)) == "F"
    with app.test_request_context():
        assert user_for_token("not-a-session") is None
