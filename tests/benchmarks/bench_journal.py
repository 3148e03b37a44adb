"""The journal under load: five years of daily entries, measured through gunicorn with wrk.

    python tests/benchmarks/bench_journal.py [--seconds 10] [--connections 1 2 8] [--keep DIR]

Seeds one person with five years of daily entries (temperatures, bleeding, mucus, cervix,
ovulation tests, symptoms and notes), two inseminations a cycle with three notes each,
pregnancy tests, donors and outcomes into a fresh SQLite database in a temporary instance
folder; starts gunicorn (2 sync workers) on 127.0.0.1 with that instance; signs in through the
real sign-in form (CSRF on) to get a session cookie; then measures with wrk, for each number
of connections: the journal home, the cycle view of the last finished cycle, the current cycle
and the month calendar, printing requests/s, p50 and p99. The target (p99 under 50 ms) is
checked at the first number of connections: one person using their journal. More connections
than the two workers (and the two cores wrk shares with them on a small machine) measure
queueing, not the pages.

Needs wrk (`apt-get install -y wrk`). Not collected by pytest (the name starts with bench_).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

EMAIL = "bench@example.org"
PASSWORD = "a calm green seedling under load"
YEARS = 5
TARGET_P99_MS = 50.0


# --------------------------------------------------------------------------- seeding


def seed(instance: Path) -> dict:
    """Create the database and one person's five-year journal; returns a few ids and counts."""
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from webapp import create_app
    from webapp.accounts.models import User
    from webapp.articles.content import read_article_files
    from webapp.articles.importer import import_articles
    from webapp.articles.commands import BUNDLED_ARTICLES
    from webapp.clock import today, utcnow
    from webapp.extensions import db
    from webapp.journal.models import (
        CycleOutcome,
        Day,
        Donor,
        Insemination,
        InseminationNote,
        PregnancyTest,
        VialEntry,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'seedling.db'}"})
    rng = random.Random(2026)
    with app.app_context():
        db.create_all()
        import_articles(read_article_files(BUNDLED_ARTICLES))
        user = User(email=EMAIL, password_hash=generate_password_hash(PASSWORD))
        db.session.add(user)
        db.session.flush()
        uid = user.id
        donors = [
            Donor(user_id=uid, kind="bank", code=f"DK-{n}", bank="Nordic Cryobank")
            for n in range(3)
        ]
        db.session.add_all(donors)
        db.session.flush()

        end = today()
        first = end - timedelta(days=365 * YEARS)
        # Vials live in the ledger: 60 bought of each donor when the journal begins.
        db.session.add_all(
            VialEntry(user_id=uid, donor_id=donor.id, date=first, kind="purchase", vials=60, cost_cents=60 * 90000)
            for donor in donors
        )
        days, inseminations, tests, outcomes, starts = [], [], [], [], []
        start = first
        while start <= end:
            length = rng.randint(25, 32)
            ovulation_day = length - rng.randint(12, 14)
            starts.append(start)
            for offset in range(length):
                when = start + timedelta(days=offset)
                if when > end:
                    break
                cycle_day = offset + 1
                high = cycle_day > ovulation_day
                bleeding = {1: "heavy", 2: "heavy", 3: "medium", 4: "light", 5: "spotting"}.get(cycle_day)
                fertile = ovulation_day - 5 <= cycle_day <= ovulation_day
                days.append({
                    "user_id": uid,
                    "date": when,
                    "bleeding": bleeding,
                    "not_period": False,
                    "starts_cycle": False,
                    "temperature_centi": (3675 if high else 3625) + rng.randint(-12, 12),
                    "temperature_time": datetime(2000, 1, 1, 6, rng.randint(0, 59)).time(),
                    "temperature_disturbance": "alcohol" if rng.random() < 0.03 else None,
                    "mucus_feeling": "slippery" if fertile else ("dry" if high else "nothing"),
                    "mucus_appearance": "egg_white" if fertile else "nothing",
                    "cervix_position": "high" if fertile else "low",
                    "cervix_firmness": "soft" if fertile else "firm",
                    "cervix_opening": "open" if fertile else "closed",
                    "ovulation_test": ("peak" if cycle_day == ovulation_day - 1 else "negative")
                    if ovulation_day - 4 <= cycle_day <= ovulation_day else None,
                    "ovulation_test_brand": None,
                    "symptoms_text": "cramps" if bleeding in ("heavy", "medium") else "",
                    "mood": "calm" if rng.random() < 0.5 else None,
                    "note": "Slept well, felt fine." if rng.random() < 0.3 else None,
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                })
            for gap in (1, 0):
                when = start + timedelta(days=ovulation_day - 1 - gap)
                if when <= end:
                    inseminations.append((when, donors[len(starts) % 3].id))
            for dpo in (10, 14):
                when = start + timedelta(days=ovulation_day - 1 + dpo)
                if when <= end and dpo < length - ovulation_day + 1:
                    tests.append({
                        "user_id": uid, "date": when, "kind": "home", "result": "negative",
                        "sensitivity_miu": 10, "created_at": utcnow(), "updated_at": utcnow(),
                    })
            if start + timedelta(days=length) <= end:
                outcomes.append({
                    "user_id": uid, "cycle_start": start, "outcome": "not_pregnant",
                    "created_at": utcnow(), "updated_at": utcnow(),
                })
            start += timedelta(days=length)

        db.session.execute(insert(Day), days)
        db.session.execute(insert(PregnancyTest), tests)
        db.session.execute(insert(CycleOutcome), outcomes)
        notes = 0
        for when, donor_id in inseminations:
            insemination = Insemination(
                user_id=uid, date=when, time=datetime(2000, 1, 1, 20, 30).time(), method="ici",
                sperm="frozen", donor_id=donor_id, vials_used=1, note="Calm evening.",
            )
            db.session.add(insemination)
            db.session.flush()
            for minutes, leakage in ((20, "a_little"), (180, "none"), (60 * 24 * 3, None)):
                db.session.add(InseminationNote(
                    user_id=uid, insemination_id=insemination.id,
                    noted_at=datetime.combine(when, insemination.time) + timedelta(minutes=minutes),
                    leakage=leakage, cramping="mild", lying_down_minutes=20 if minutes == 20 else None,
                    note="A little cramping." if leakage is None else None,
                ))
                notes += 1
        db.session.commit()

        last_finished = starts[-2]
        ids = {
            date: day_id for date, day_id in db.session.execute(
                select(Day.date, Day.id).where(Day.user_id == uid, Day.date.in_([starts[-2], starts[-1]]))
            )
        }
        counts = {
            "days": len(days), "cycles": len(starts), "inseminations": len(inseminations),
            "notes": notes, "tests": len(tests), "outcomes": len(outcomes),
        }
        db.session.remove()
        db.engine.dispose()
    del os.environ["SEEDLING_INSTANCE_PATH"]
    return {
        "finished_cycle": ids[last_finished],
        "current_cycle": ids.get(starts[-1], ids[last_finished]),
        "counts": counts,
    }


# --------------------------------------------------------------------------- serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(instance: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "SEEDLING_INSTANCE_PATH": str(instance)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "webapp:create_app()"],
        env=env, cwd=ROOT,
    )
    for _ in range(300):
        try:
            status, _, _ = request(port, "GET", "/accounts/login")
            if status == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def request(port: int, method: str, path: str, body: str | None = None, cookies: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    set_cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            set_cookies[name] = rest.split(";", 1)[0]
    connection.close()
    return response.status, text, set_cookies


def sign_in(port: int) -> str:
    """The session cookie ("name=value") after signing in through the real form (CSRF on)."""
    status, page, cookies = request(port, "GET", "/accounts/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    body = urlencode({"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD})
    status, _, new_cookies = request(port, "POST", "/accounts/login", body, cookies)
    # Production settings name it __Host-session (Secure cookies; the benchmark's client sends
    # them over loopback HTTP all the same).
    if status != 302 or not any(name.endswith("session") for name in new_cookies):
        raise SystemExit(f"signing in failed: {status}")
    cookies.update(new_cookies)
    status, page, _ = request(port, "GET", "/journal/", cookies=cookies)
    if status != 200 or "of your cycle" not in page:
        raise SystemExit(f"the journal home did not answer as expected: {status}")
    name = next(name for name in new_cookies if name.endswith("session"))
    return f"{name}={cookies[name]}"


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(port: int, path: str, session: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-H", f"Cookie: {session}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure_pages(instance: Path, targets: dict[str, str], connection_counts, seconds: int, keep: bool):
    """Serve `instance` with gunicorn, sign in, warm up, then wrk every page at every count.

    Returns (connections, page name, figures) rows; removes the instance unless `keep`.
    """
    process, port = start_gunicorn(instance)
    rows = []
    try:
        session = sign_in(port)
        for path in targets.values():
            wrk(port, path, session, 2, 2)  # warm up both workers
        for connections in connection_counts:
            for name, path in targets.items():
                rows.append((connections, name, wrk(port, path, session, seconds, connections)))
    finally:
        stop(process)
        if not keep:
            shutil.rmtree(instance.parent, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 2, 8],
                        help="wrk connections per run; the verdict uses the first (one person: 1)")
    parser.add_argument("--keep", type=Path, help="seed into (and keep) this instance folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    instance = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="seedling-bench-")) / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    seeded = seed(instance)
    counts = seeded["counts"]
    print(f"Seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    targets = {
        "journal home": "/journal/",
        "cycle view (last finished)": f"/journal/cycles/{seeded['finished_cycle']}",
        "cycle view (current)": f"/journal/cycles/{seeded['current_cycle']}",
        "month calendar": "/journal/calendar",
    }
    rows = measure_pages(instance, targets, args.connections, args.seconds, keep=bool(args.keep))

    print(f"\ngunicorn, 2 sync workers, SQLite; wrk {args.seconds} s per row\n")
    print(f"{'conns':>5}  {'page':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    worst = 0.0
    for connections, name, result in rows:
        print(f"{connections:>5}  {name:28} {result['rps']:>8.0f} {result['p50']:>8.2f} "
              f"{result['p99']:>8.2f} {result['errors']:>8}")
        if connections == args.connections[0]:
            worst = max(worst, result["p99"])
    verdict = "under" if worst < TARGET_P99_MS else "OVER"
    print(f"\nWorst p99 at {args.connections[0]} connections: {worst:.1f} ms ({verdict} the {TARGET_P99_MS:.0f} ms target)")


if __name__ == "__main__":
    main()
