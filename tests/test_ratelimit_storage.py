"""Rate limits shared by every worker on one machine: the SQLite store, and two real workers."""

import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from tests.conftest import app_context_for, teardown
from webapp.extensions import limiter
from webapp.ratelimit_storage import SQLiteStorage, storage_uri


def test_two_stores_on_one_file_share_every_count(tmp_path):
    uri = storage_uri(tmp_path / "limits.sqlite")
    first, second = storage_from_string(uri), storage_from_string(uri)
    assert isinstance(first, SQLiteStorage)
    three_a_minute = parse("3 per minute")
    one, other = MovingWindowRateLimiter(first), MovingWindowRateLimiter(second)
    assert [one.hit(three_a_minute, "k"), other.hit(three_a_minute, "k"), one.hit(three_a_minute, "k")] == [True] * 3
    assert not other.hit(three_a_minute, "k") and not one.test(three_a_minute, "k")
    assert other.hit(three_a_minute, "another key")
    assert other.get_window_stats(three_a_minute, "k").remaining == 0
    assert first.incr("c", 60) == 1 and second.incr("c", 60) == 2 and first.get("c") == 2
    other.clear(three_a_minute, "k")
    assert one.hit(three_a_minute, "k")
    assert stat.S_IMODE((tmp_path / "limits.sqlite").stat().st_mode) == 0o600


def test_moving_window_entries_expire(tmp_path, monkeypatch):
    store = storage_from_string(storage_uri(tmp_path / "limits.sqlite"))
    limiter_ = MovingWindowRateLimiter(store)
    item = parse("2 per second")
    assert limiter_.hit(item, "k") and limiter_.hit(item, "k") and not limiter_.hit(item, "k")
    later = time.time() + 1.5
    monkeypatch.setattr("webapp.ratelimit_storage.time.time", lambda: later)
    assert limiter_.hit(item, "k")


def test_without_redis_the_default_store_is_a_file_in_the_instance_folder(tmp_path):
    app = app_context_for(tmp_path / "instance", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=None)
    try:
        assert app.config["RATELIMIT_STORAGE_URI"] == storage_uri(Path(app.instance_path) / "rate-limits.sqlite")
        assert isinstance(limiter.storage, SQLiteStorage)
    finally:
        teardown(app)
        limiter.enabled = False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post_login(base: str, n: int) -> int:
    body = f"email=person{n}%40example.org&password=not+the+password+at+all".encode()
    request = urllib.request.Request(f"{base}/accounts/login", data=body, headers={"Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


@pytest.fixture
def two_workers(tmp_path):
    """gunicorn with two workers on a loopback port, the app's default rate-limit store."""
    instance = tmp_path / "instance"
    app = app_context_for(instance, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'seedling.db'}")  # the schema
    teardown(app)
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "SEEDLING_INSTANCE_PATH": str(instance),
        "SEEDLING_SECRET_KEY": "two-workers-test",
        "SEEDLING_WTF_CSRF_ENABLED": "false",
        "SEEDLING_RATELIMIT_ACCOUNT_ADDRESS": '"6 per minute"',
        "SEEDLING_SEARCH_INDEX_PATH": '":memory:"',
    }
    env.pop("SEEDLING_RATELIMIT_STORAGE_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(s)s", "--timeout", "60", "webapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/about", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        yield base, access_log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_gunicorn_workers_share_the_rate_limit(two_workers):
    base, access_log = two_workers
    statuses = [post_login(base, n) for n in range(12)]
    assert statuses == [200] * 6 + [429] * 6
    time.sleep(0.5)  # the access log is written after each response
    pids = {line.split()[0] for line in access_log.read_text().splitlines() if re.fullmatch(r"<\d+> \d+|\d+ \d+", line)}
    assert len(pids) == 2, "both workers should have answered some of the requests"
