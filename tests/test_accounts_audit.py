"""The account's own audit trail: what happened, when and from where; never journal content."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from tests.conftest import PASSWORD
from webapp.accounts import audit
from webapp.accounts.models import AuditEvent, User
from webapp.clock import today
from webapp.extensions import db

EMAIL = "person@example.org"
NEW_PASSWORD = "a brave new sunflower"


def kinds(app, email: str = EMAIL) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEvent.kind).join(User).where(User.email == email).order_by(AuditEvent.id))
        )


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sign_ins_are_recorded_with_their_address_and_a_new_browser_as_a_new_device(app, auth):
    auth.register()
    auth.logout()
    laptop = from_address(app, "198.51.100.7")
    laptop.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD})
    laptop.post("/accounts/logout")
    laptop.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD})  # the same browser again
    assert kinds(app) == ["new_device", "sign_in", "sign_in"]
    page = laptop.get("/accounts/settings").get_data(as_text=True)
    assert "Recent activity" in page and "198.51.100.7" in page and "Signed in from a new device" in page


def test_a_failed_sign_in_records_nothing(app, auth):
    auth.register()
    auth.logout()
    auth.login(password="not the password at all")
    assert kinds(app) == []


def test_exports_password_and_email_changes_are_recorded(app, client, auth):
    auth.register()
    client.get("/accounts/settings/export")
    client.post("/accounts/settings/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    client.post("/accounts/settings/email", data={"new_email": "new@example.org", "email_password": NEW_PASSWORD})
    link = app.extensions["mailman"].outbox[-1].body.split("http://localhost", 1)[1].split()[0]
    client.post(link)
    assert kinds(app, "new@example.org") == ["export", "password_changed", "email_changed"]


def test_a_password_reset_is_recorded(app, client, auth):
    auth.register()
    auth.logout()
    client.post("/accounts/reset", data={"email": EMAIL})
    link = app.extensions["mailman"].outbox[-1].body.split("http://localhost", 1)[1].split()[0]
    client.post(link, data={"password": NEW_PASSWORD})
    assert "password_reset" in kinds(app)


def test_the_journal_can_record_its_imports(app, client, auth):
    auth.register()
    with app.test_request_context("/journal/import", environ_base={"REMOTE_ADDR": "192.0.2.4"}):
        from flask import request

        user_id = db.session.scalar(select(User.id).where(User.email == EMAIL))
        audit.record(user_id, "import", request)
    page = client.get("/accounts/settings").get_data(as_text=True)
    assert "Imported a journal file" in page and "192.0.2.4" in page


def test_unknown_kinds_are_refused(app):
    with app.test_request_context():
        from flask import request

        with pytest.raises(ValueError):
            audit.record(1, "note text here", request)


def test_an_audit_event_can_hold_no_journal_content(app, client, auth):
    with app.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("audit_event")}
    assert columns == {"id", "user_id", "kind", "created_at", "address"}
    auth.register()
    yesterday = (today() - timedelta(days=1)).isoformat()
    client.post("/journal/days/new", data={"date": yesterday, "temperature_unit": "C", "note": "ZEBRA-audit-note"})
    client.get("/accounts/settings/export")
    assert "ZEBRA-audit-note" not in client.get("/accounts/settings").get_data(as_text=True)
