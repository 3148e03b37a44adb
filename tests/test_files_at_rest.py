"""Health data at rest: owner-only files, and no deleted rows left behind in the WAL."""

import os
import stat
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, TEST_DATABASE_URI, app_context_for, teardown
from webapp.clock import today
from webapp.extensions import db

MARKER = "ZEBRA-leak-note-at-rest-123"
on_sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URI), reason="the app fixture's database is not SQLite")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_instance_folder_and_sqlite_files_are_owner_only(tmp_path):
    previous = os.umask(0o022)  # the usual umask: files would be 0644 without the app's care
    try:
        instance = tmp_path / "instance"
        app = app_context_for(instance, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'seedling.db'}")
        try:
            client = app.test_client()
            client.post("/accounts/register", data={"email": "person@example.org", "password": PASSWORD})
            with app.app_context():
                assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
            assert mode(instance) == 0o700
            for name in ("seedling.db", "seedling.db-wal", "seedling.db-shm", "secret_key"):
                if name == "secret_key" and not (instance / name).exists():
                    continue  # the tests pass their own key
                assert mode(instance / name) == 0o600, name
        finally:
            teardown(app)
    finally:
        os.umask(previous)


def test_an_existing_world_readable_database_is_made_owner_only(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    database = instance / "seedling.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    app = app_context_for(instance, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    teardown(app)
    assert mode(instance) == 0o700
    assert mode(database) == 0o600


@on_sqlite_only
def test_sqlite_connections_overwrite_deleted_content(app):
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA secure_delete")).scalar() == 1


@on_sqlite_only
def test_a_deleted_accounts_notes_do_not_linger_in_the_database_files(app, client):
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    client.post("/accounts/register", data={"email": "person@example.org", "password": PASSWORD})
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = client.post("/journal/days/new", data={"date": yesterday, "temperature_unit": "C", "note": MARKER})
    assert response.status_code == 302
    files = [database, database + "-wal"]
    assert any(MARKER.encode() in contents(name) for name in files)

    client.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y"})

    for name in files:
        assert MARKER.encode() not in contents(name), name


def contents(name: str) -> bytes:
    with open(name, "rb") as handle:
        return handle.read()
