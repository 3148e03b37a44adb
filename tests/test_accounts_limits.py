"""Rate limits on sign-in, registration, reset and password checks, in memory and in Redis.

The Redis test runs when SEEDLING_TEST_REDIS_URI is set (CI sets it to the local Redis).
"""

import os
import uuid

import pytest

from tests.conftest import PASSWORD
from webapp.accounts import throttle
from webapp.extensions import limiter

EMAIL = "person@example.org"
REDIS_URI = os.environ.get("SEEDLING_TEST_REDIS_URI")
FRIENDLY_429 = "For your safety we have paused this for a little while"


@pytest.fixture
def limited_app(app_factory):
    """An app with rate limits on, small enough to reach in a test."""
    def build(**overrides):
        settings = {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ACCOUNT_ADDRESS": "6 per minute",
            "RATELIMIT_LOGIN_EMAIL": "3 per 15 minutes",
            "RATELIMIT_LOGIN_EMAIL_ADDRESS": "3 per 15 minutes",
            "LOGIN_SLOWDOWN_SECONDS": 2.0,
            "RATELIMIT_REGISTER_EMAIL": "3 per 15 minutes",
            "RATELIMIT_RESET_EMAIL": "2 per 15 minutes",
            "RATELIMIT_PASSWORD_CHECKS_ACCOUNT": "3 per 15 minutes",
        }
        settings.update(overrides)
        return app_factory(**settings)

    yield build
    limiter.enabled = False  # the next app decides again


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def register(client, email=EMAIL):
    return client.post("/accounts/register", data={"email": email, "password": PASSWORD})


def login(client, email=EMAIL, password="not the password"):
    return client.post("/accounts/login", data={"email": email, "password": password})


@pytest.fixture
def pauses(monkeypatch):
    """The seconds each sign-in was slowed by, without waiting for them."""
    slept = []
    monkeypatch.setattr(throttle, "pause", slept.append)
    return slept


def test_failed_sign_ins_are_limited_per_email_and_address(limited_app, pauses):
    app = limited_app()
    register(from_address(app, "10.0.0.1"))
    guesser = from_address(app, "10.0.1.1")
    assert [login(guesser).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert login(guesser, password=PASSWORD).status_code == 429  # this address is out for this email
    assert login(from_address(app, "10.0.1.1"), email="someone@example.org").status_code == 200


def test_guesses_from_elsewhere_slow_the_owner_down_but_never_lock_them_out(limited_app, pauses):
    app = limited_app(RATELIMIT_ACCOUNT_ADDRESS="100 per minute")
    owner = from_address(app, "10.0.0.1")
    register(owner)
    owner.post("/accounts/logout")
    statuses = [login(from_address(app, f"10.0.1.{n}")).status_code for n in range(10)]
    assert statuses == [200] * 10  # ten wrong passwords from ten addresses: no 429
    assert pauses == [2.0] * 7  # but every attempt after the third failure for the email is slowed
    assert login(owner, password=PASSWORD).status_code == 302  # the owner, slowed, gets in
    assert len(pauses) == 8
    assert login(from_address(app, "10.0.2.2"), email="someone@example.org").status_code == 200
    assert len(pauses) == 8  # another account is not slowed


def test_unknown_emails_are_limited_the_same_way(limited_app, pauses):
    app = limited_app()
    guesser = from_address(app, "10.0.1.1")
    statuses = [login(guesser, email="nobody@example.org").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    [login(from_address(app, f"10.0.2.{n}"), email="nobody@example.org") for n in range(2)]
    assert pauses == [2.0, 2.0]


def test_successful_sign_ins_do_not_use_up_the_account_limit(limited_app):
    app = limited_app(RATELIMIT_ACCOUNT_ADDRESS="100 per minute")
    client = from_address(app, "10.0.0.1")
    register(client)
    for _ in range(5):
        client.post("/accounts/logout")
        assert login(client, password=PASSWORD).status_code == 302


def test_every_post_is_limited_per_address(limited_app):
    app = limited_app()
    client = from_address(app, "10.0.0.9")
    statuses = [login(client, email=f"person{n}@example.org").status_code for n in range(7)]
    assert statuses == [200] * 6 + [429]
    assert login(from_address(app, "10.0.0.10")).status_code == 200
    assert client.get("/accounts/login").status_code == 200  # reading the page is never limited


def test_the_429_page_is_friendly(limited_app):
    app = limited_app()
    client = from_address(app, "10.0.0.1")
    for _ in range(3):
        login(client)
    response = login(client)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert FRIENDLY_429 in page and "Too many attempts" in page
    assert response.headers["Content-Security-Policy"]


def test_registration_is_limited_per_address_and_per_email(limited_app):
    app = limited_app()
    client = from_address(app, "10.0.0.1")
    statuses = [client.post("/accounts/register", data={"email": EMAIL, "password": "short"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = from_address(app, "10.0.0.2")
    assert [register(other, f"p{n}@example.org").status_code for n in range(1)] == [302]


def test_reset_requests_are_limited_per_email(limited_app):
    app = limited_app()
    statuses = [
        from_address(app, f"10.0.1.{n}").post("/accounts/reset", data={"email": EMAIL}).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert len(getattr(app.extensions["mailman"], "outbox", [])) == 0  # no account: no mail


def test_password_checks_in_the_settings_are_limited_per_account(limited_app):
    app = limited_app(RATELIMIT_ACCOUNT_ADDRESS="100 per minute")
    client = from_address(app, "10.0.0.1")
    register(client)
    wrong = {"current_password": "not my password", "new_password": "a brave new sunflower"}
    statuses = [client.post("/accounts/settings/password", data=wrong).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/accounts/settings/delete", data={"password": "not my password", "confirm": "y"})
    assert response.status_code == 200  # each action keeps its own count


@pytest.mark.skipif(not REDIS_URI, reason="set SEEDLING_TEST_REDIS_URI (CI does) to test the Redis store")
def test_limits_are_kept_in_redis_when_configured(limited_app):
    prefix = f"seedling-test-{uuid.uuid4().hex}"
    app = limited_app(RATELIMIT_STORAGE_URI=REDIS_URI, RATELIMIT_KEY_PREFIX=prefix)
    assert type(limiter.storage).__name__.startswith("Redis")
    statuses = [login(from_address(app, "10.0.1.1")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # A second app (another gunicorn worker, say) on the same store sees the same count.
    second = limited_app(RATELIMIT_STORAGE_URI=REDIS_URI, RATELIMIT_KEY_PREFIX=prefix)
    assert login(from_address(second, "10.0.1.1")).status_code == 429


def test_the_storage_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SEEDLING_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    monkeypatch.setenv("SEEDLING_INSTANCE_PATH", str(tmp_path))
    from webapp import create_app

    app = create_app({"SECRET_KEY": "x", "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"
