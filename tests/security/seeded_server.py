"""A throw-away Seedling served by gunicorn on loopback, with two people and their journals.

Everything lives in one temporary folder (instance, logs); nothing outside it is touched. The
server listens on 127.0.0.1 only, on a free port, and is configured as in production (no
SITE_URL, so only loopback hosts are served) except for two things: rate limiting is off, as in
the audit (otherwise the scanners' attacks would mostly measure 429s), and cookies are not
Secure, because the scanners' cookie jars never send Secure cookies over plain HTTP and would
lose the session at the first Set-Cookie (the production flags are tested in tests/test_security.py).
"""

from __future__ import annotations

import html
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

WORKTREE = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Distinctive text written into each journal, looked for in the logs afterwards.
MARKERS = {"a": "ZEBRA-leak-note-A-7431", "b": "ZEBRA-leak-note-B-2208"}
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class LoopbackClient:
    """A tiny HTTP client that can only talk to 127.0.0.1 and keeps its cookies by hand: the
    app's cookies are Secure, which ordinary cookie jars never send over plain HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        connection = HTTPConnection(HOST, self.port, timeout=60)
        body = urlencode(data, doseq=True) if data is not None else None
        sent = {"User-Agent": "seedling-security-probe", **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["expires"] and "1970" in morsel["expires"] or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, dict(response.getheaders()), text
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def csrf_token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        match = CSRF_FIELD.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return html.unescape(match.group(1) or match.group(2))

    def sign_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/accounts/login")
        status, headers, _ = self.request(
            "POST", "/accounts/login", {"csrf_token": token, "email": email, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"sign-in as {email} failed ({status})")


@dataclass
class Person:
    key: str
    email: str
    password: str
    ids: dict[str, int] = field(default_factory=dict)  # route argument name -> one of their ids


@dataclass
class SeededServer:
    root: Path
    port: int = 0
    people: dict[str, Person] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def instance(self) -> Path:
        return self.root / "instance"

    @property
    def access_log(self) -> Path:
        return self.root / "access.log"

    @property
    def error_log(self) -> Path:
        return self.root / "error.log"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("SEEDLING_")}
        env.update(
            SEEDLING_INSTANCE_PATH=str(self.instance),
            SEEDLING_RATELIMIT_ENABLED="false",
            SEEDLING_SESSION_COOKIE_SECURE="false",
            SEEDLING_REMEMBER_COOKIE_SECURE="false",
            FLASK_APP="webapp",
        )
        return env

    def client(self) -> LoopbackClient:
        return LoopbackClient(self.port)

    # ------------------------------------------------------------------ set-up

    def initialise(self) -> None:
        """`flask --app webapp init` into the fresh instance folder, then two seeded people."""
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp", "init"],
            cwd=WORKTREE, env=self.environment(), check=True, capture_output=True,
        )
        for key in ("a", "b"):
            self.people[key] = Person(key, f"person-{key}@example.org", secrets.token_urlsafe(18))
        self._seed_in_process()

    def _seed_in_process(self) -> None:
        # The app is built here only to write rows and read ids; the server is another process.
        os.environ["SEEDLING_INSTANCE_PATH"] = str(self.instance)
        os.environ["SEEDLING_RATELIMIT_ENABLED"] = "false"
        from sqlalchemy import select

        from webapp import create_app
        from webapp.accounts.models import User
        from webapp.accounts.passwords import hash_password
        from webapp.clock import today
        from webapp.extensions import db
        from webapp.journal.demo import demo_plan, write_plan
        from webapp.journal.models import CycleOutcome, Day, Donor, Insemination, InseminationNote, PregnancyTest

        app = create_app()
        self.url_rules = [(rule.rule, sorted(rule.arguments), sorted(rule.methods or ())) for rule in app.url_map.iter_rules()]
        with app.app_context():
            for person in self.people.values():
                user = User(email=person.email, password_hash=hash_password(person.password))
                db.session.add(user)
                db.session.flush()
                plan = demo_plan(today())
                plan.days[-1]["note"] = f"{MARKERS[person.key]} day note"
                write_plan(user.id, plan)
                db.session.commit()
                first = lambda model: db.session.scalar(select(model.id).where(model.user_id == user.id).order_by(model.id))
                cycle_start = db.session.scalar(
                    select(Day.id).where(Day.user_id == user.id, Day.date == plan.cycle_starts[-1])
                )
                person.ids = {
                    "day_id": cycle_start, "donor_id": first(Donor), "insemination_id": first(Insemination),
                    "note_id": first(InseminationNote), "test_id": first(PregnancyTest), "outcome_id": first(CycleOutcome),
                }
            db.engine.dispose()

    # ------------------------------------------------------------------ serving

    def start(self) -> None:
        self.port = free_loopback_port()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"{HOST}:{self.port}",
                "--access-logfile", str(self.access_log), "--error-logfile", str(self.error_log),
                "webapp:create_app()",
            ],
            cwd=WORKTREE, env=self.environment(), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.client().request("GET", "/about")[0] == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer on {self.base_url}; see {self.error_log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def signed_in(self, key: str) -> LoopbackClient:
        """A client signed in as person `key`, whose session already holds a CSRF secret (so a
        frozen copy of its cookie keeps matching the forms' tokens)."""
        person = self.people[key]
        client = self.client()
        client.sign_in(person.email, person.password)
        client.csrf_token("/accounts/settings")
        return client

    def request_count(self) -> int:
        if not self.access_log.exists():
            return 0
        with self.access_log.open("rb") as log:
            return sum(1 for _ in log)
