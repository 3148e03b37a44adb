"""The journal's pages with five years of entries, in process and through gunicorn, beside a
bare Flask route measured in the same run.

    python tests/benchmarks/bench_journal.py [--before CHECKOUT] [--seconds 6] [--rounds 2]
        [--connections 1 8] [--requests 60] [--keep DIR]

Seeds one person with five years of daily entries (temperatures, bleeding, mucus, cervix,
ovulation tests, symptoms and notes), two inseminations a cycle with three notes each,
pregnancy tests, donors with a vial ledger and outcomes into a fresh SQLite database in a
temporary instance folder (``--keep DIR``: into DIR, kept). Pages: the journal home, the cycle
view of the last finished cycle and of the current one, the chart page of the last finished
cycle, the statistics, the month calendar, and a library article read by the signed-in person.

1. In process (a subprocess per checkout, so each imports its own code): signs in through the
   real form (CSRF on) with Flask's test client, warms each page up, then times ``--requests``
   requests a page per round in CPU time (``time.process_time``), rounds interleaved, and
   prints the median of the rounds beside a bare Flask route (``bare_app.py``) timed the same
   way in the same process. Each journal page is also timed "after a change": the person's
   journal revision moved before every request (as saving an entry moves it), so what is kept
   per revision is worked out again; the move's own CPU is measured alone and taken off.
2. Through gunicorn (2 sync workers each): the bare route, this checkout and, with
   ``--before``, an earlier one (``git worktree add --detach DIR COMMIT``) on a copy of the same
   instance, signed in through the real form; wrk (``-t min(2, connections)``, ``--seconds`` a
   row) at each number of connections, rows in rounds (A B C ... A B C ...), each figure the
   median of the rounds: requests/s, p50, p99 and CPU ms per request (the workers' CPU time
   from /proc over the requests completed).

The machine's load is printed; only same-run ratios and CPU per request mean much on a shared
machine. Needs wrk. Not collected by pytest (the name starts with bench_).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
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


# --------------------------------------------------------------------------- pages


def page_paths(seeded: dict) -> dict[str, str]:
    finished, current = seeded["finished_cycle"], seeded["current_cycle"]
    return {
        "journal home": "/journal/",
        "cycle view (last finished)": f"/journal/cycles/{finished}",
        "cycle view (current)": f"/journal/cycles/{current}",
        "chart page (last finished)": f"/journal/cycles/{finished}/chart",
        "statistics": "/journal/stats",
        "month calendar": "/journal/calendar",
        "article, signed in": f"/articles/{seeded['article']}",
    }


def first_article(instance: Path) -> str:
    connection = sqlite3.connect(instance / "seedling.db")
    try:
        return connection.execute("SELECT slug FROM article WHERE is_published = 1 ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        connection.close()


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on the sign-in page")
    return found.group(1)


# --------------------------------------------------------------------------- in process


def in_process(code: Path, instance: Path, paths: dict[str, str], requests: int, rounds: int) -> dict:
    """CPU ms a request (median of the rounds) of each page and of the bare route, timed in this
    process with ``code``'s webapp. Run by a subprocess of its own for each checkout."""
    sys.path.insert(0, str(code))
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    os.environ["SEEDLING_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'seedling.db'}"
    from webapp import create_app

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bare_app import app as bare

    app = create_app()
    client = app.test_client()
    base = "https://localhost"  # production cookies are Secure (__Host-session)
    page = client.get("/accounts/login", base_url=base).get_data(as_text=True)
    answer = client.post(
        "/accounts/login", base_url=base,
        data={"csrf_token": csrf_token(page), "email": EMAIL, "password": PASSWORD},
    )
    if answer.status_code != 302:
        raise SystemExit(f"signing in (in process) failed: {answer.status_code}")
    client.get("/journal/", base_url=base)  # shows (and so clears) the welcome message
    bare_client = bare.test_client()

    def timed(get, path: str, count: int) -> float:
        started = time.process_time()
        for _ in range(count):
            get(path)
        return (time.process_time() - started) * 1000 / count

    def journal_get(path: str):
        response = client.get(path, base_url=base)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    for path in paths.values():
        for _ in range(5):
            journal_get(path)
    # "After a change": each request follows a new journal revision, as the first view after
    # saving an entry does (what is kept per revision is worked out again; the engine's results
    # for unchanged cycles stay cached, as they do after a real change). The revision is moved
    # by a separate SQLite connection; that statement's own CPU is measured alone and taken off.
    database = sqlite3.connect(instance / "seedling.db", isolation_level=None)
    found = database.execute("SELECT id FROM user WHERE email = ?", (EMAIL,)).fetchone()
    has_revisions = database.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal_revision'"
    ).fetchone()
    bump_sql = "UPDATE journal_revision SET revision = revision + 1 WHERE user_id = ?"

    def bump(_path: str = "") -> None:
        database.execute(bump_sql, (found[0],))

    def changed_get(path: str):
        bump()
        return journal_get(path)

    changing = {f"{name}, after a change": path for name, path in paths.items() if path.startswith("/journal")}
    names = ["bare Flask route", *paths, *(changing if has_revisions else ())]
    results: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        results["bare Flask route"].append(timed(bare_client.get, "/", requests * 10))
        for name, path in paths.items():
            results[name].append(timed(journal_get, path, requests))
        if has_revisions:
            alone = timed(bump, "", requests)
            for name, path in changing.items():
                results[name].append(timed(changed_get, path, requests) - alone)
    database.close()
    return {name: statistics.median(values) for name, values in results.items()}


def in_process_subprocess(code: Path, instance: Path, paths: dict[str, str], requests: int, rounds: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--in-process", json.dumps({
            "code": str(code), "instance": str(instance), "paths": paths, "requests": requests, "rounds": rounds,
        })],
        capture_output=True, text=True, check=False, cwd=code, timeout=3600,
        env={**os.environ, "PYTHONPATH": str(code)},
    )
    if output.returncode != 0:
        raise SystemExit(f"the in-process run of {code} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- through gunicorn


def request(port: int, method: str, path: str, body: str | None = None, cookies: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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
    body = urlencode({"csrf_token": csrf_token(page), "email": EMAIL, "password": PASSWORD})
    status, _, new_cookies = request(port, "POST", "/accounts/login", body, cookies)
    # Production settings name it __Host-session (Secure cookies; the benchmark's client sends
    # them over loopback HTTP all the same).
    if status != 302 or not any(name.endswith("session") for name in new_cookies):
        raise SystemExit(f"signing in failed: {status}")
    cookies.update(new_cookies)
    status, page, after = request(port, "GET", "/journal/", cookies=cookies)
    if status != 200 or "of your cycle" not in page:
        raise SystemExit(f"the journal home did not answer as expected: {status}")
    cookies.update(after)
    name = next(name for name in new_cookies if name.endswith("session"))
    return f"{name}={cookies[name]}"


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(server, path: str, cookie: str | None, seconds: int, connections: int) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    cpu_before = server.worker_cpu_seconds()
    output = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", *headers,
         f"http://127.0.0.1:{server.port}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    cpu = server.worker_cpu_seconds() - cpu_before
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    done = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "cpu_ms": cpu * 1000 / max(done, 1),
        "errors": int(errors.group(1)) if errors else 0,
    }


def through_gunicorn(codes: dict[str, tuple[Path, Path]], paths: dict[str, str], connection_counts, seconds: int, rounds: int):
    """{(label, page, connections): median figures}; ``codes`` maps a label to (checkout, instance)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_http import Server

    servers = {"bare": Server("bare", "tests.benchmarks.bare_app:app", {})}
    try:
        for label, (code, instance) in codes.items():
            servers[label] = Server(label, "webapp:create_app()", {
                "SEEDLING_INSTANCE_PATH": str(instance),
                "SEEDLING_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'seedling.db'}",
            }, code=code)
        cookies = {label: sign_in(servers[label].port) for label in codes}
        rows = [("bare", "bare Flask route", "/")]
        rows += [(label, page, path) for page, path in paths.items() for label in codes]
        for label, _, path in rows:  # warm up both workers of every server on every page
            wrk(servers[label], path, cookies.get(label), 2, 2)
        results: dict[tuple, list[dict]] = {}
        for _ in range(rounds):
            for connections in connection_counts:
                for label, page, path in rows:
                    figures = wrk(servers[label], path, cookies.get(label), seconds, connections)
                    results.setdefault((label, page, connections), []).append(figures)
    finally:
        for server in servers.values():
            server.stop()
    return {
        key: {name: statistics.median(r[name] for r in runs) for name in ("rps", "p50", "p99", "cpu_ms")}
        | {"errors": sum(r["errors"] for r in runs)}
        for key, runs in results.items()
    }


def measure_pages(instance: Path, targets: dict[str, str], connection_counts, seconds: int, keep: bool):
    """Serve ``instance`` with gunicorn (this checkout), sign in, warm up, then wrk every page at
    every count (bench_cycle.py's pages). Returns (connections, page name, figures) rows;
    removes the instance's folder unless ``keep``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_http import Server

    server = Server("journal", "webapp:create_app()", {
        "SEEDLING_INSTANCE_PATH": str(instance),
        "SEEDLING_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'seedling.db'}",
    })
    rows = []
    try:
        cookie = sign_in(server.port)
        for path in targets.values():
            wrk(server, path, cookie, 2, 2)  # warm up both workers
        for connections in connection_counts:
            for name, path in targets.items():
                rows.append((connections, name, wrk(server, path, cookie, seconds, connections)))
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(instance.parent, ignore_errors=True)
    return rows


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=6, help="wrk seconds a row")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--requests", type=int, default=60, help="requests a page a round, in process")
    parser.add_argument("--before", type=Path, help="a checkout of earlier code, measured in the same run")
    parser.add_argument("--keep", type=Path, help="seed into (and keep) this instance folder")
    parser.add_argument("--no-gunicorn", action="store_true", help="in process only")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        job = json.loads(args.in_process)
        print(json.dumps(in_process(Path(job["code"]), Path(job["instance"]), job["paths"], job["requests"], job["rounds"])))
        return
    if not args.no_gunicorn and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    folder = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="seedling-bench-"))
    instance = folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    seeded = seed(instance)
    seeded["article"] = first_article(instance)
    counts = seeded["counts"]
    print(f"Seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    codes = {"after": (ROOT, instance)}
    if args.before:
        before_instance = folder / "instance-before"
        shutil.rmtree(before_instance, ignore_errors=True)
        shutil.copytree(instance, before_instance)
        codes["before"] = (args.before.resolve(), before_instance)
    paths = page_paths(seeded)
    try:
        load = os.getloadavg()
        when = time.strftime("%Y-%m-%d %H:%M")
        inside = {label: in_process_subprocess(code, inst, paths, args.requests, args.rounds) for label, (code, inst) in codes.items()}
        served = {} if args.no_gunicorn else through_gunicorn(codes, paths, args.connections, args.seconds, args.rounds)
        load_after = os.getloadavg()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\n{when}; load average {load[0]:.1f} before, {load_after[0]:.1f} after; "
          f"{counts['days']} days, {counts['cycles']} cycles")
    labels = list(codes)
    print(f"\nIn process: CPU ms a request (median of {args.rounds} rounds of {args.requests}), x the bare route")
    header = "".join(f" {label + ' ms':>10} {'x bare':>7}" for label in labels)
    print(f"{'page':44}{header}")
    for page in inside[labels[0]]:
        cells = "".join(
            f" {inside[label][page]:>10.2f} {inside[label][page] / inside[label]['bare Flask route']:>6.1f}x"
            if page in inside[label] else f" {'':>10} {'':>7}"
            for label in labels
        )
        print(f"{page:44}{cells}")
    if served:
        print(f"\ngunicorn 2 sync workers, SQLite; wrk {args.seconds} s a row, median of {args.rounds} rounds; "
              "CPU = worker CPU ms per request")
        for connections in args.connections:
            print(f"\n{connections} connection(s)")
            print(f"{'page':30} {'code':7} {'req/s':>7} {'x bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7} {'non-2xx':>7}")
            bare = served[("bare", "bare Flask route", connections)]
            rows = [("bare", "bare Flask route")] + [(label, page) for page in paths for label in labels]
            for label, page in rows:
                r = served[(label, page, connections)]
                print(f"{page:30} {label:7} {r['rps']:>7.0f} {r['rps'] / bare['rps']:>6.2f}x {r['p50']:>8.1f} "
                      f"{r['p99']:>8.1f} {r['cpu_ms']:>7.2f} {r['errors']:>7}")


if __name__ == "__main__":
    main()
