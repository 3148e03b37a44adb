"""Warnings for the operator (ASVS 8.1.4): a rate limit that refuses the same client or account
again and again, or a spike of failed sign-ins across the site, is logged once per window,
with the limit's name and a keyed hash of whom it is about: no email address, no network
address, no password and nothing from the journal."""

import logging

import pytest

from tests.conftest import PASSWORD
from webapp.accounts import throttle
from webapp.extensions import limiter

EMAIL = "sparrowhawk@example.org"
ADDRESS = "203.0.113.77"
WRONG = "not the password at all"
ALERTS = "webapp.accounts.alerts"


@pytest.fixture
def alerting_app(app_factory, monkeypatch):
    monkeypatch.setattr(throttle, "pause", lambda seconds: None)
    def build(**overrides):
        settings = {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ACCOUNT_ADDRESS": "100 per minute",
            "RATELIMIT_LOGIN_EMAIL_ADDRESS": "2 per 15 minutes",
            "RATELIMIT_LOGIN_EMAIL": "100 per 15 minutes",
            "ALERT_REPEATED_BREACHES": "3 per 15 minutes",
            "ALERT_SIGN_IN_FAILURES": "100 per 15 minutes",
        }
        settings.update(overrides)
        return app_factory(**settings)

    yield build
    limiter.enabled = False


def client_at(app, address=ADDRESS):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def alerts(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == ALERTS]


def assert_nothing_personal(text: str) -> None:
    for personal in (EMAIL, "sparrowhawk", ADDRESS, PASSWORD, WRONG, "example.org"):
        assert personal not in text, personal


@pytest.mark.parametrize("store", ["memory://", None], ids=["memory", "shared-file"])
def test_a_limit_refusing_one_client_again_and_again_warns_once(alerting_app, caplog, store):
    app = alerting_app(RATELIMIT_STORAGE_URI=store)
    client = client_at(app)
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    caplog.set_level(logging.WARNING, logger=ALERTS)
    answers = [client.post("/accounts/login", data={"email": EMAIL, "password": WRONG}).status_code for _ in range(7)]
    assert answers == [200, 200, 429, 429, 429, 429, 429]
    records = alerts(caplog)
    assert len(records) == 1, [record.getMessage() for record in records]  # the third refusal, once
    line = records[0].getMessage()
    assert records[0].levelno == logging.WARNING
    assert "RATELIMIT_LOGIN_EMAIL_ADDRESS" in line and "subject=" in line
    assert_nothing_personal(caplog.text)


def test_the_same_client_has_the_same_subject_and_another_one_another(alerting_app, caplog):
    app = alerting_app()
    caplog.set_level(logging.WARNING, logger=ALERTS)
    for address in (ADDRESS, "198.51.100.9"):
        client = client_at(app, address)
        for _ in range(5):
            client.post("/accounts/login", data={"email": EMAIL, "password": WRONG})
    subjects = [record.getMessage().split("subject=")[1].split()[0] for record in alerts(caplog)]
    assert len(subjects) == 2 and subjects[0] != subjects[1]
    assert all(len(subject) == 16 and int(subject, 16) >= 0 for subject in subjects)
    assert_nothing_personal(caplog.text)


def test_one_account_guessed_from_many_addresses_warns(alerting_app, caplog):
    app = alerting_app(RATELIMIT_LOGIN_EMAIL="2 per 15 minutes", RATELIMIT_LOGIN_EMAIL_ADDRESS="100 per 15 minutes")
    caplog.set_level(logging.WARNING, logger=ALERTS)
    for number in range(6):
        client_at(app, f"192.0.2.{number + 1}").post("/accounts/login", data={"email": EMAIL, "password": WRONG})
    lines = [record.getMessage() for record in alerts(caplog)]
    assert len(lines) == 1 and "RATELIMIT_LOGIN_EMAIL " in lines[0] + " "
    assert_nothing_personal(caplog.text)


def test_a_spike_of_failed_sign_ins_across_the_site_warns_once(alerting_app, caplog):
    app = alerting_app(ALERT_SIGN_IN_FAILURES="4 per 15 minutes")
    caplog.set_level(logging.WARNING, logger=ALERTS)
    for number in range(8):
        client_at(app, f"192.0.2.{number + 1}").post("/accounts/login", data={"email": f"person{number}@example.org", "password": WRONG})
    lines = [record.getMessage() for record in alerts(caplog)]
    assert len(lines) == 1 and "sign-in failures" in lines[0] and "4 per 15 minutes" in lines[0]
    assert "person" not in caplog.text and "192.0.2" not in caplog.text
    assert_nothing_personal(caplog.text)


def test_wrong_passwords_when_confirming_it_is_you_warn_too(alerting_app, caplog):
    from tests.test_accounts_reauth import sign_in_longer_ago

    app = alerting_app(RATELIMIT_PASSWORD_CHECKS_ACCOUNT="2 per 15 minutes")
    client = client_at(app)
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    sign_in_longer_ago(app, 16)
    caplog.set_level(logging.WARNING, logger=ALERTS)
    for _ in range(6):
        client.post("/accounts/confirm", data={"password": WRONG})
    lines = [record.getMessage() for record in alerts(caplog)]
    assert len(lines) == 1 and "RATELIMIT_PASSWORD_CHECKS_ACCOUNT" in lines[0]
    assert_nothing_personal(caplog.text)


def test_no_warning_without_rate_limits(app, client, caplog):
    caplog.set_level(logging.WARNING, logger=ALERTS)
    for _ in range(10):
        client.post("/accounts/login", data={"email": EMAIL, "password": WRONG})
    assert alerts(caplog) == []
