"""A rate-limit store in a SQLite file, shared by every worker on one machine.

The `limits` library keeps counters in memory (one count per gunicorn worker, so every limit
is multiplied by the worker count), Redis, Memcached or MongoDB. A single machine without
Redis gets this store instead: `seedling-sqlite:///absolute/path/to/file`. Several servers
still need Redis. Writes take SQLite's write lock at once (BEGIN IMMEDIATE), so two workers
cannot both take the last slot of a limit.
"""

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from limits.storage import MovingWindowSupport, Storage

SCHEME = "seedling-sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS event (key TEXT NOT NULL, at REAL NOT NULL, expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS ix_event_key_at ON event (key, at);
CREATE INDEX IF NOT EXISTS ix_event_expires_at ON event (expires_at);
"""
SWEEP_EVERY = 500  # writes between removals of every expired row


def storage_uri(path: Path) -> str:
    return f"{SCHEME}://{path}"


class SQLiteStorage(Storage, MovingWindowSupport):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = unquote(urlsplit(uri or "").path)
        if not path or not os.path.isabs(path):
            raise ValueError(f"{SCHEME} needs an absolute file path, e.g. {SCHEME}:///var/lib/seedling/rate-limits.sqlite")
        self.path = Path(path)
        self._local = threading.local()
        self._writes = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    # -- connections ----------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread and process: a gunicorn fork must not share the parent's.
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            if not self.path.exists():
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))  # addresses: owner only
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @contextmanager
    def _writing(self):
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:
            self._sweep()

    def _sweep(self) -> None:
        now = time.time()
        with self._connection() as connection:
            connection.execute("DELETE FROM event WHERE expires_at <= ?", (now,))
            connection.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))

    # -- fixed windows --------------------------------------------------------------------

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._writing() as connection:
            row = connection.execute("SELECT count, expires_at FROM counter WHERE key = ?", (key,)).fetchone()
            if row is None or row[1] <= now:
                connection.execute("REPLACE INTO counter (key, count, expires_at) VALUES (?, ?, ?)", (key, amount, now + expiry))
                return amount
            connection.execute("UPDATE counter SET count = count + ? WHERE key = ?", (amount, key))
            return row[0] + amount

    def get(self, key: str) -> int:
        row = self._connection().execute(
            "SELECT count FROM counter WHERE key = ? AND expires_at > ?", (key, time.time())
        ).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute("SELECT expires_at FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    # -- moving windows -------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._writing() as connection:
            connection.execute("DELETE FROM event WHERE key = ? AND at <= ?", (key, now - expiry))
            (count,) = connection.execute("SELECT COUNT(*) FROM event WHERE key = ?", (key,)).fetchone()
            if count + amount > limit:
                return False
            connection.executemany("INSERT INTO event (key, at, expires_at) VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, count = self._connection().execute(
            "SELECT MIN(at), COUNT(*) FROM event WHERE key = ? AND at > ?", (key, now - expiry)
        ).fetchone()
        return (oldest, count) if count else (now, 0)

    # -- housekeeping ---------------------------------------------------------------------

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._writing() as connection:
            removed = connection.execute("DELETE FROM counter").rowcount + connection.execute("DELETE FROM event").rowcount
        return removed

    def clear(self, key: str) -> None:
        with self._writing() as connection:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))
            connection.execute("DELETE FROM event WHERE key = ?", (key,))
