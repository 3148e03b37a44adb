"""Two-step sign-in: the authenticator app (RFC 6238), recovery codes and the code step."""

import html
import re
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, app_context_for, teardown
from webapp.accounts import second_factor, totp
from webapp.accounts.models import AuditEvent, AuthenticatorApp, RecoveryCode, User
from webapp.accounts.sealing import Unsealable, seal, unseal
from webapp.accounts.tokens import make_reset_token
from webapp.extensions import db, limiter

EMAIL = "person@example.org"
SECRET_SHOWN = re.compile(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>')
RECOVERY_CODE_SHOWN = re.compile(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>")
PRIVATE_PAGES = ["/journal/", "/journal/calendar", "/journal/days/new", "/journal/cycles/", "/journal/donors/", "/accounts/settings", "/accounts/settings/export"]

# RFC 6238, Appendix B: the seeds are ASCII digits, 20, 32 and 64 bytes long.
SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


# --------------------------------------------------------------------------- RFC 6238


@pytest.mark.parametrize("unix_time,sha1,sha256,sha512", RFC_VECTORS)
def test_codes_match_the_rfc_6238_test_vectors(unix_time, sha1, sha256, sha512):
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp.code_at(SEEDS[digest], unix_time, digits=8, digest=digest) == expected


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    key = totp.secret_bytes(totp.new_secret())
    now = 1_700_000_015.0
    current = totp.step_at(now)
    for offset in (-1, 0, 1):
        assert totp.matching_step(key, totp.hotp(key, current + offset), now) == current + offset
    for offset in (-2, 2):
        assert totp.matching_step(key, totp.hotp(key, current + offset), now) is None


def test_a_code_for_a_step_already_used_is_refused():
    key = totp.secret_bytes(totp.new_secret())
    now = 1_700_000_015.0
    step = totp.step_at(now)
    code = totp.hotp(key, step)
    assert totp.matching_step(key, code, now, after_step=step - 1) == step
    assert totp.matching_step(key, code, now, after_step=step) is None
    # An older code is spent too once a newer one was used.
    assert totp.matching_step(key, totp.hotp(key, step - 1), now, after_step=step) is None


def test_codes_with_spaces_are_read_and_other_text_is_not():
    key = totp.secret_bytes(totp.new_secret())
    now = 1_700_000_015.0
    code = totp.code_at(key, now)
    assert totp.matching_step(key, f"{code[:3]} {code[3:]}", now) is not None
    assert totp.matching_step(key, "abcdef", now) is None
    assert totp.matching_step(key, code + "1", now) is None


def test_the_provisioning_uri_carries_the_secret_issuer_and_account():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "person@example.org", "Seedling")
    assert uri.startswith("otpauth://totp/Seedling:person@example.org?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri and "issuer=Seedling" in uri and "period=30" in uri


def test_sealed_secrets_open_only_with_the_same_key_and_purpose(app, tmp_path):
    with app.app_context():
        sealed = seal("JBSWY3DPEHPK3PXP", "totp-secret")
        assert "JBSWY3DPEHPK3PXP" not in sealed
        assert unseal(sealed, "totp-secret") == "JBSWY3DPEHPK3PXP"
        with pytest.raises(Unsealable):
            unseal(sealed, "another-purpose")
    other = app_context_for(tmp_path / "other", SECRET_KEY="another-secret-key")
    try:
        with other.app_context(), pytest.raises(Unsealable):
            unseal(sealed, "totp-secret")
    finally:
        teardown(other)


# --------------------------------------------------------------------------- helpers


def current_code(secret: str, offset_steps: int = 0) -> str:
    return totp.code_at(totp.secret_bytes(secret), time.time() + offset_steps * totp.STEP_SECONDS)


def turn_on_app(client) -> tuple[str, list[str]]:
    """Set the app up through the settings pages; returns its secret and the recovery codes."""
    page = client.get("/accounts/settings/authenticator")
    assert page.status_code == 200
    secret = SECRET_SHOWN.search(page.text).group(1).replace(" ", "")
    response = client.post("/accounts/settings/authenticator", data={"code": current_code(secret), "app_password": PASSWORD})
    assert response.status_code == 200, response.text
    codes = RECOVERY_CODE_SHOWN.findall(response.text)
    assert len(codes) == 10
    return secret, codes


def next_unused_code(secret: str) -> str:
    """The code of the next step: the current one was spent turning the app on."""
    return current_code(secret, offset_steps=1)


def kinds(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.id)))


def is_signed_in(client) -> bool:
    return client.get("/journal/").status_code == 200


@pytest.fixture
def with_app(client, auth):
    auth.register()
    secret, codes = turn_on_app(client)
    auth.logout()
    return secret, codes


# --------------------------------------------------------------------------- settings


def test_turning_the_app_on_shows_a_qr_code_and_needs_a_code_and_the_password(app, client, auth):
    auth.register()
    page = client.get("/accounts/settings/authenticator")
    assert '<img class="qr-code" src="data:image/svg+xml' in page.text
    secret = SECRET_SHOWN.search(page.text).group(1).replace(" ", "")
    assert f"secret={secret}" in html.unescape(page.text)  # the otpauth:// address, as text too
    assert client.get("/accounts/settings/authenticator").text.count(secret[:4]) >= 1
    assert SECRET_SHOWN.search(client.get("/accounts/settings/authenticator").text).group(1).replace(" ", "") == secret

    wrong_password = client.post("/accounts/settings/authenticator", data={"code": current_code(secret), "app_password": "not my password at all"})
    assert "That is not your current password." in wrong_password.text
    wrong_code = client.post("/accounts/settings/authenticator", data={"code": "000000" if current_code(secret) != "000000" else "111111", "app_password": PASSWORD})
    assert "That code is not right" in wrong_code.text
    with app.app_context():
        assert db.session.scalar(select(AuthenticatorApp.confirmed_at)) is None
        assert "sign_in_code" not in kinds(app)
    response = client.post("/accounts/settings/authenticator", data={"code": current_code(secret), "app_password": PASSWORD})
    assert "Two-step sign-in is on" in response.text
    assert "app_turned_on" in kinds(app)
    assert "unused recovery codes" in client.get("/accounts/settings").text


def test_the_secret_is_stored_sealed_and_recovery_codes_hashed(app, client, auth):
    auth.register()
    secret, codes = turn_on_app(client)
    with app.app_context():
        row = db.session.scalar(select(AuthenticatorApp))
        assert secret not in row.sealed_secret
        hashes = list(db.session.scalars(select(RecoveryCode.code_hash)))
        assert len(hashes) == 10 and not set(codes) & set(hashes)


def test_turning_the_app_off_needs_the_password(app, client, auth, with_app):
    secret, _codes = with_app
    auth.login()
    client.post("/accounts/login/code", data={"code": next_unused_code(secret)})
    refused = client.post("/accounts/settings/authenticator/off", data={"off_password": "not my password at all"})
    assert "That is not your current password." in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthenticatorApp)) == 1
    client.post("/accounts/settings/authenticator/off", data={"off_password": PASSWORD})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthenticatorApp)) == 0
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert "app_turned_off" in kinds(app)
    auth.logout()
    auth.login()
    assert is_signed_in(client)  # the password alone again


# --------------------------------------------------------------------------- sign-in


def test_sign_in_asks_for_the_code_after_the_password(app, client, auth, with_app):
    secret, _codes = with_app
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login/code")
    assert "authenticator app" in client.get("/accounts/login/code").text
    assert not is_signed_in(client)
    response = client.post("/accounts/login/code", data={"code": next_unused_code(secret)})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert kinds(app)[-1] == "sign_in_code"


def test_half_signed_in_opens_no_private_page(client, auth, with_app):
    auth.login()
    for path in PRIVATE_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/accounts/login" in response.headers["Location"], path
    assert client.post("/accounts/settings/authenticator/off", data={"off_password": PASSWORD}).status_code == 302
    assert not is_signed_in(client)


def test_a_wrong_code_is_refused(client, auth, with_app):
    auth.login()
    response = client.post("/accounts/login/code", data={"code": "12345"})
    assert "That code is not right" in response.text
    assert not is_signed_in(client)


def test_a_code_signs_in_only_once(app, client, auth, with_app):
    secret, _codes = with_app
    code = next_unused_code(secret)
    auth.login()
    assert client.post("/accounts/login/code", data={"code": code}).status_code == 302
    auth.logout()
    auth.login()
    response = client.post("/accounts/login/code", data={"code": code})
    assert "That code is not right" in response.text
    assert not is_signed_in(client)


def test_the_code_that_turned_the_app_on_cannot_sign_in(client, auth):
    auth.register()
    page = client.get("/accounts/settings/authenticator")
    secret = SECRET_SHOWN.search(page.text).group(1).replace(" ", "")
    code = current_code(secret)
    client.post("/accounts/settings/authenticator", data={"code": code, "app_password": PASSWORD})
    auth.logout()
    auth.login()
    if current_code(secret) == code:  # not when the clock just crossed into a new step
        assert "That code is not right" in client.post("/accounts/login/code", data={"code": code}).text


def test_a_recovery_code_signs_in_once(app, client, auth, with_app):
    _secret, codes = with_app
    auth.login()
    response = client.post("/accounts/login/code", data={"code": codes[0].upper()}, follow_redirects=True)
    assert "You used a recovery code: 9 left" in response.text
    assert kinds(app)[-1] == "sign_in_recovery"
    auth.logout()
    auth.login()
    assert "That code is not right" in client.post("/accounts/login/code", data={"code": codes[0]}).text
    assert client.post("/accounts/login/code", data={"code": codes[1]}).status_code == 302


def test_new_recovery_codes_need_the_password_and_replace_the_old(app, client, auth, with_app):
    secret, old_codes = with_app
    auth.login()
    client.post("/accounts/login/code", data={"code": next_unused_code(secret)})
    refused = client.post("/accounts/settings/recovery-codes", data={"codes_password": "not my password at all"})
    assert "That is not your current password." in refused.text
    response = client.post("/accounts/settings/recovery-codes", data={"codes_password": PASSWORD})
    new_codes = RECOVERY_CODE_SHOWN.findall(response.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "recovery_codes_new" in kinds(app)
    auth.logout()
    auth.login()
    assert "That code is not right" in client.post("/accounts/login/code", data={"code": old_codes[2]}).text
    assert client.post("/accounts/login/code", data={"code": new_codes[2]}).status_code == 302


def test_the_half_signed_in_state_expires(client, auth, with_app, monkeypatch):
    secret, _codes = with_app
    auth.login()
    later = time.time() + second_factor.PENDING_SECONDS + 1
    monkeypatch.setattr(second_factor, "unix_time", lambda: later)
    response = client.post("/accounts/login/code", data={"code": totp.code_at(totp.secret_bytes(secret), later)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")
    assert not is_signed_in(client)


def test_without_a_password_first_the_code_page_sends_you_to_sign_in(client, with_app):
    response = client.get("/accounts/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login")


def test_a_password_reset_still_asks_for_the_code(app, client, auth, with_app):
    secret, _codes = with_app
    with app.app_context():
        token = make_reset_token(db.session.scalar(select(User)))
    response = client.post(f"/accounts/reset/{token}", data={"password": "a brand new sunflower"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/accounts/login/code")
    assert not is_signed_in(client)
    client.post("/accounts/login/code", data={"code": next_unused_code(secret)})
    assert is_signed_in(client)


def test_deleting_the_account_deletes_its_second_factor(app, client, auth, with_app):
    secret, _codes = with_app
    auth.login()
    client.post("/accounts/login/code", data={"code": next_unused_code(secret)})
    client.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthenticatorApp)) == 0
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


# --------------------------------------------------------------------------- rate limits


@pytest.fixture
def limited(tmp_path):
    app = app_context_for(
        tmp_path / "limited",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_ACCOUNT_ADDRESS="100 per minute",
        RATELIMIT_SECOND_FACTOR_ACCOUNT_ADDRESS="3 per 15 minutes",
        RATELIMIT_SECOND_FACTOR_ACCOUNT="5 per 15 minutes",
    )
    yield app
    teardown(app)
    limiter.enabled = False  # the next app decides again


def half_signed_in(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD})
    return client


def test_wrong_codes_are_limited_per_account_and_address_then_per_account(limited):
    owner = limited.test_client()
    owner.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    secret, _codes = turn_on_app(owner)
    owner.post("/accounts/logout")

    first = half_signed_in(limited, "192.0.2.1")
    for _ in range(3):
        assert first.post("/accounts/login/code", data={"code": "000000"}).status_code == 200
    # Even the right code waits now, from this address.
    assert first.post("/accounts/login/code", data={"code": next_unused_code(secret)}).status_code == 429

    second = half_signed_in(limited, "192.0.2.2")
    for _ in range(2):
        assert second.post("/accounts/login/code", data={"code": "000000"}).status_code == 200
    third = half_signed_in(limited, "192.0.2.3")
    assert third.post("/accounts/login/code", data={"code": "000000"}).status_code == 429  # 5 for the account
