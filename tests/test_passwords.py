"""Password hashing and the rules for new passwords."""

import pytest

from webapp.accounts import passwords
from webapp.accounts.passwords import (
    CONTAINS_EMAIL,
    IS_EMAIL,
    MIN_LENGTH,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    COMMON_PASSWORDS_FILE,
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)

EMAIL = "robin.sparrow@example.org"


def test_hashes_are_slow_salted_scrypt():
    first, second = hash_password("a calm green seedling"), hash_password("a calm green seedling")
    assert first.startswith("scrypt:")
    assert first != second  # a fresh salt each time
    assert "a calm green seedling" not in first
    assert verify_password(first, "a calm green seedling")
    assert not verify_password(first, "a calm green seedlinG")


def test_unknown_emails_spend_the_same_hashing_work(monkeypatch):
    checked = []
    monkeypatch.setattr(passwords, "check_password_hash", lambda hashed, password: checked.append(hashed) or False)
    passwords.spend_hashing_time("whatever it is")
    assert checked and checked[0].startswith("scrypt:")


def test_the_common_list_is_a_real_public_list_of_tens_of_thousands():
    """Seedling's own well-known passwords plus zxcvbn's counted list from a public breach
    corpus (README, Security): lower case, one a line, small enough to send to a browser."""
    common = common_passwords()
    assert 40_000 <= len(common) <= 100_000
    for well_known in ("password123", "qwertyuiop", "1234567890", "iloveyou123", "1q2w3e4r5t"):
        assert well_known in common
    for from_the_public_list in ("leavemealone", "finalfantasy", "sonyericsson", "dimazarya"):
        assert from_the_public_list in common
    assert all(word == word.lower() and word == word.strip() and word for word in common)
    assert COMMON_PASSWORDS_FILE.stat().st_size < 500_000


def test_the_common_list_names_its_source_and_licence():
    header = [line for line in COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = " ".join(header)
    assert "dropbox/zxcvbn" in text and "data/passwords.txt" in text
    assert "Permission is hereby granted" in text and "Dan Wheeler and Dropbox" in text


def test_the_browser_gets_the_very_list_the_server_checks(client):
    """The strength meter (static/js/password-meter.js) reads the file the server refuses from."""
    response = client.get("/static/common-passwords.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data() == COMMON_PASSWORDS_FILE.read_bytes()
    response.close()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", TOO_SHORT),
        ("x" * (MIN_LENGTH - 1), TOO_SHORT),
        ("x" * 257, TOO_LONG),
        ("password123", TOO_SHORT),
        ("password1234", TOO_COMMON),
        ("Password1234", TOO_COMMON),
        ("QWERTYUIOP123", TOO_COMMON),
        ("1q2w3e4r5t6y", TOO_COMMON),
        ("iloveyou 1234", TOO_COMMON),
        ("leavemealone", TOO_COMMON),
        ("Leave me alone", TOO_COMMON),
        (EMAIL, IS_EMAIL),
        (EMAIL.upper(), IS_EMAIL),
        ("robin.sparrow1984", CONTAINS_EMAIL),
        ("my Robin.Sparrow password", CONTAINS_EMAIL),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, problem):
    assert password_problem(password, EMAIL) == problem


@pytest.mark.parametrize("password", ["a calm green seedling", "x" * MIN_LENGTH, "Tr0ub4dor&3-horse", "x" * 256])
def test_reasonable_passwords_pass(password):
    assert password_problem(password, EMAIL) is None


def test_a_very_short_local_part_is_not_held_against_the_password():
    assert password_problem("jo jumps over the fence", "jo@example.org") is None
    assert password_problem("a calm green seedling", None) is None


def test_production_hashes_are_scrypt_with_production_parameters(tmp_path):
    """Without PASSWORD_HASH_METHOD (only the tests set one) a real app hashes with scrypt at
    N=2**15, r=8, p=1; and the dummy hash for unknown emails uses the same method."""
    from tests.conftest import make_app

    app = make_app(tmp_path / "instance", PASSWORD_HASH_METHOD=None)
    with app.app_context():
        hashed = hash_password("a calm green seedling")
        method = hashed.split("$", 1)[0]
        name, n, r, p = method.split(":")
        assert name == "scrypt" and int(n) >= 2**15 and int(r) >= 8 and int(p) >= 1
        assert passwords._dummy_hash(passwords.hash_method()).startswith(method)
    from webapp.config import Defaults

    assert Defaults.PASSWORD_HASH_METHOD is None


def test_the_test_configuration_uses_a_cheap_hash(app):
    with app.app_context():
        assert hash_password("a calm green seedling").startswith("pbkdf2:sha256:1$")
