"""Fixtures in the flaskr style: a fresh app, database and index for every test.

Set SEEDLING_TEST_DATABASE_URI (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
the whole suite against PostgreSQL; by default each test gets its own SQLite file.
"""

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from webapp import create_app
from webapp.articles.content import read_article_files
from webapp.articles.importer import import_articles
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.extensions import db

def _admin_engine(url):
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def database_for_this_run(uri: str | None) -> str | None:
    """On PostgreSQL, a database of this test process's own beside the configured one (e.g.
    ``test_gw0_5f2a9c1e``), made now and dropped when the session ends: every test resets its
    schema, so two xdist workers, or two runs on one server, must never share one."""
    if not uri or not uri.startswith("postgresql"):
        return uri
    url = make_url(uri)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8] or str(os.getpid())
    name = f"{url.database}_{worker}_{run}"
    admin = _admin_engine(url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URI = database_for_this_run(os.environ.get("SEEDLING_TEST_DATABASE_URI"))


def pytest_sessionfinish(session, exitstatus) -> None:
    """Drop this process's PostgreSQL database, so runs leave nothing behind on the server."""
    if not TEST_DATABASE_URI or not TEST_DATABASE_URI.startswith("postgresql"):
        return
    url = make_url(TEST_DATABASE_URI)
    admin = _admin_engine(url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


PASSWORD = "a calm green seedling"


def reset_database() -> None:
    if db.engine.dialect.name == "postgresql":
        # Start from an empty schema, whatever an earlier run (or a newer model) left behind.
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def make_app(instance: Path, **overrides):
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    try:
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URI or f"sqlite:///{instance / 'test.db'}",
            "SEARCH_INDEX_PATH": ":memory:",
            "SEARCH_SYNC_INTERVAL": 0,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "locmem",
            # A cheap hash: real scrypt is ~0.1 s of CPU per registration. The timing and
            # hashing tests ask for the production method (PASSWORD_HASH_METHOD=None).
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            # The start-up check of the key ring against the database: a PostgreSQL run reuses
            # one database, whose keys an earlier test's ring registered (tests/test_encryption.py).
            "DATA_KEYS_CHECK": False,
        }
        config.update(overrides)
        return create_app(config)
    finally:
        del os.environ["SEEDLING_INSTANCE_PATH"]


@pytest.fixture(scope="session")
def bundled_articles():
    """The bundled library parsed once; importing it is then cheap for each test."""
    return read_article_files(BUNDLED_ARTICLES)


def app_context_for(instance: Path, **overrides):
    app = make_app(instance, **overrides)
    with app.app_context():
        reset_database()
    return app


def teardown(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = app_context_for(tmp_path / "instance")
    yield app
    teardown(app)


@pytest.fixture
def app_factory(tmp_path):
    """Apps with their own settings (``app_factory(SETTING=value)``); each gets a fresh instance
    folder and database, and all are torn down after the test."""
    made = []

    def build(**overrides):
        app = app_context_for(tmp_path / f"instance-{len(made)}", **overrides)
        made.append(app)
        return app

    yield build
    for app in made:
        teardown(app)


def outbox(app) -> list:
    """The mails the app has sent (the in-memory mail backend of the tests)."""
    return getattr(app.extensions["mailman"], "outbox", [])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def library(app, bundled_articles):
    """The bundled articles imported into this test's database and index."""
    with app.app_context():
        import_articles(bundled_articles)
        db.session.commit()
    return bundled_articles


@pytest.fixture(scope="module")
def library_app(tmp_path_factory, bundled_articles):
    """One read-only app with the bundled library for a whole module (search relevance)."""
    app = app_context_for(tmp_path_factory.mktemp("library") / "instance")
    with app.app_context():
        import_articles(bundled_articles)
        db.session.commit()
    yield app
    teardown(app)


class AuthActions:
    def __init__(self, client, app):
        self._client = client
        self._app = app

    def register(self, email="person@example.org", password=PASSWORD):
        return self._client.post("/accounts/register", data={"email": email, "password": password})

    def login(self, email="person@example.org", password=PASSWORD, remember=False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/accounts/login", data=data)

    def logout(self):
        return self._client.post("/accounts/logout")


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)
