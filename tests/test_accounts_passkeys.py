"""Passkeys, server side: what the JSON routes refuse. The whole ceremony runs in Chromium with a
virtual authenticator in tests/browser/test_second_factor.py."""

import json

from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp.accounts import passkeys
from webapp.accounts.models import Passkey, User
from webapp.extensions import db


def test_the_relying_party_is_site_urls_host_or_the_request_host(app):
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert passkeys.relying_party_id() == "localhost"
        assert passkeys.expected_origin() == "http://localhost:5000"
    app.config["SITE_URL"] = "https://seedling.example/library"
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert passkeys.relying_party_id() == "seedling.example"
        assert passkeys.expected_origin() == "https://seedling.example"


def test_adding_a_passkey_needs_the_password(client, auth):
    auth.register()
    refused = client.post("/accounts/settings/passkeys/options", data={"passkey_name": "Phone", "passkey_password": "not my password at all"})
    assert refused.status_code == 403 and refused.json == {"error": "That is not your current password."}
    response = client.post("/accounts/settings/passkeys/options", data={"passkey_name": "Phone", "passkey_password": PASSWORD})
    options = response.json
    assert options["rp"]["id"] == "localhost"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["user"]["name"] == "person@example.org"
    assert "person" not in options["user"]["id"]  # the handle says nothing about the person


def test_a_made_up_answer_adds_no_passkey(app, client, auth):
    auth.register()
    assert client.post("/accounts/settings/passkeys", data="{}").status_code == 400  # no challenge asked for
    client.post("/accounts/settings/passkeys/options", data={"passkey_name": "Phone", "passkey_password": PASSWORD})
    response = client.post("/accounts/settings/passkeys", data=json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}))
    assert response.status_code == 400 and "could not be checked" in response.json["error"]
    with app.app_context():
        assert db.session.scalars(select(Passkey)).all() == []


def test_signing_in_with_an_unknown_or_forged_passkey_is_refused(app, client, auth):
    auth.register()
    auth.logout()
    assert client.post("/accounts/login/passkey", data="{}").status_code == 400  # no challenge
    options = client.post("/accounts/login/passkey/options").json
    assert options["userVerification"] == "required" and options["allowCredentials"] == []
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {"clientDataJSON": "", "authenticatorData": "", "signature": ""}}
    response = client.post("/accounts/login/passkey", data=json.dumps(forged))
    assert response.status_code == 400 and "not one of this site's" in response.json["error"]
    assert client.get("/journal/").status_code == 302
    # A stored passkey, but a signature that is not its: refused as well.
    with app.app_context():
        user = db.session.scalar(select(User))
        db.session.add(Passkey(user_id=user.id, credential_id=b"\x00\x00\x00", public_key=b"not a key", name="Phone"))
        db.session.commit()
    client.post("/accounts/login/passkey/options")
    response = client.post("/accounts/login/passkey", data=json.dumps(forged))
    assert response.status_code == 400 and "could not be checked" in response.json["error"]
    assert client.get("/journal/").status_code == 302


def test_only_the_owner_can_remove_a_passkey(app, client, auth):
    auth.register(email="owner@example.org")
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@example.org"))
        passkey = Passkey(user_id=owner.id, credential_id=b"\x01\x02", public_key=b"key", name="Phone")
        db.session.add(passkey)
        db.session.commit()
        passkey_id = passkey.id
    auth.logout()
    auth.register(email="other@example.org")
    assert client.post(f"/accounts/settings/passkeys/{passkey_id}/remove").status_code == 404
    auth.logout()
    auth.login(email="owner@example.org")
    assert "Phone" in client.get("/accounts/settings").text
    assert client.post(f"/accounts/settings/passkeys/{passkey_id}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(Passkey, passkey_id) is None
