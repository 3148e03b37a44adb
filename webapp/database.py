"""Engine set-up that differs by database, done once per app."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from .extensions import db

# The database holds health data: readable by the server's own user only. SQLite gives its
# -wal and -shm files the database file's permissions, so the main file decides.
OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets gunicorn workers read while one writes; the busy timeout makes writers queue.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in free pages of the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def sqlite_file(engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_owner_only(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use 0644), or tighten it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY)
    os.close(fd)
    for name in [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)]:
        if name.exists() and (name.stat().st_mode & 0o777) != OWNER_ONLY:
            name.chmod(OWNER_ONLY)


def checkpoint_wal() -> None:
    """Copy the WAL into the database and empty it: after an account deletion its rows must
    not stay readable in the -wal file (secure_delete zeroes them in the main file)."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            path = sqlite_file(engine)
            if path is not None and path.parent.is_dir():
                make_owner_only(path)
