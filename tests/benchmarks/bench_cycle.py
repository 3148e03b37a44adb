"""Reading cycles: the Sensiplan engine, the chart, and the chart page through gunicorn.

    python tests/benchmarks/bench_cycle.py [--cycles 1000] [--seconds 10] [--connections 2 8] [--keep DIR]

1. ``sensiplan_status`` over 1,000 generated cycles (lengths 22-45 days, noisy temperatures,
   gaps, disturbed values, mucus and cervix): each alone, then each with the previous cycle
   and 11 earlier ones as the journal calls it. Prints the total and the time per cycle.
2. ``render_cycle_chart`` for a 40-day cycle in process: p50 and p99 of 500 renders.
3. The chart page of a 40-day cycle, with five years of history behind it: in process through
   the test client (server time: cold engine cache, then warm), then through gunicorn (2 sync
   workers, 127.0.0.1) with wrk, p50 and p99. Also the statistics page and the current cycle.

Serving, signing in and wrk come from bench_journal.py (the journal's own benchmark), so both
measure the same way. Needs wrk (`apt-get install -y wrk`). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from bench_journal import EMAIL, PASSWORD, measure_pages  # noqa: E402

from webapp.fertility.render.cycle_chart import render_cycle_chart  # noqa: E402
from webapp.fertility.sensiplan import sensiplan_status  # noqa: E402

CHART_TARGET_MS = 20.0
YEARS = 5


# --------------------------------------------------------------------------- generated cycles


def generated_cycle(rng: random.Random, start: date) -> list[dict]:
    """One cycle as contract day mappings: lower then higher temperatures with noise, a few
    days missing, a few disturbed, mucus building to a peak, cervix opening around it."""
    length = rng.randint(22, 45)
    ovulation = rng.randint(max(8, length - 17), length - 9)
    days = []
    for n in range(1, length + 1):
        if n > 5 and rng.random() < 0.08:
            continue  # not logged
        high = n > ovulation
        temperature = round((36.75 if high else 36.4) + rng.gauss(0, 0.08), 2)
        offset = n - ovulation
        mucus = None if n <= 4 else (4 if -2 <= offset <= 0 else 3 if -4 <= offset <= 1 else 1 if offset < 0 else 0)
        fertile = -3 <= offset <= 0
        days.append({
            "date": start + timedelta(days=n - 1),
            "temperature": temperature,
            "temperature_excluded": rng.random() < 0.04,
            "mucus": mucus if rng.random() > 0.1 else None,
            "cervix": {"opening": 2 if fertile else 0, "firmness": 1 if fertile else 0} if n > 4 else None,
            "bleeding": 3 - min(n - 1, 3) if n <= 4 else None,
        })
    return days


def bench_engine(count: int) -> None:
    rng = random.Random(1000)
    cycles, start = [], date(2015, 1, 1)
    for _ in range(count):
        cycle = generated_cycle(rng, start)
        cycles.append(cycle)
        start = cycle[-1]["date"] + timedelta(days=1)
    days = sum(len(c) for c in cycles)

    started = time.perf_counter()
    found = sum(1 for cycle in cycles if sensiplan_status(cycle)["temperature_shift"])
    alone = time.perf_counter() - started

    started = time.perf_counter()
    for index in range(1, count):
        earlier = cycles[max(0, index - 12) : index - 1][::-1]
        sensiplan_status(cycles[index], cycles[index - 1], earlier)
    with_history = time.perf_counter() - started

    print(f"sensiplan_status, {count} generated cycles ({days} days, shift found in {found}):")
    print(f"  alone:                         {alone * 1000:8.1f} ms total, {alone / count * 1000:.3f} ms per cycle")
    print(f"  with previous + 11 earlier:    {with_history * 1000:8.1f} ms total, "
          f"{with_history / (count - 1) * 1000:.3f} ms per cycle")


# --------------------------------------------------------------------------- the chart


def forty_day_chart_days() -> tuple[list[dict], dict]:
    start = date(2024, 3, 1)
    rng = random.Random(40)
    days, engine = [], []
    for n in range(1, 41):
        when = start + timedelta(days=n - 1)
        high = n > 26
        temperature = round((36.78 if high else 36.38) + rng.uniform(-0.07, 0.07), 2)
        excluded = n in (9, 31)
        mucus = 4 if 24 <= n <= 26 else 3 if 20 <= n <= 27 else 0 if n > 4 else None
        days.append({
            "date": when, "cycle_day": n, "temperature_c": temperature, "temperature_excluded": excluded,
            "bleeding": 3 - min(n - 1, 3) if n <= 4 else None, "mucus_code": mucus,
            "cervix": "os↑" if 23 <= n <= 26 else ("cf↓" if n > 4 else None),
            "ovulation_test": "peak" if n == 25 else ("negative" if 21 <= n <= 24 else None),
            "insemination": "ICI" if n in (25, 26) else None,
            "pregnancy_test": "negative" if n == 38 else None,
        })
        engine.append({"date": when, "temperature": temperature, "temperature_excluded": excluded,
                       "mucus": mucus, "cervix": None, "bleeding": days[-1]["bleeding"]})
    return days, sensiplan_status(engine)


def bench_chart(runs: int = 500) -> None:
    days, status = forty_day_chart_days()
    for _ in range(20):
        render_cycle_chart(days, status)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        svg = render_cycle_chart(days, status)
        times.append((time.perf_counter() - started) * 1000)
    print(f"\nrender_cycle_chart, 40-day cycle ({len(svg) // 1024} KiB of SVG), {runs} renders:")
    print(f"  p50 {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms "
          f"(target under {CHART_TARGET_MS:.0f} ms)")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


# --------------------------------------------------------------------------- the chart page


def seed(instance: Path) -> dict:
    """Five years of cycles ending in a 40-day cycle and a current one; the bench person."""
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from webapp import create_app
    from webapp.accounts.models import User
    from webapp.clock import today, utcnow
    from webapp.extensions import db
    from webapp.journal.demo import _cycle_days
    from webapp.journal.models import Day, Insemination, PregnancyTest

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'seedling.db'}"})
    rng = random.Random(2040)
    with app.app_context():
        db.create_all()
        user = User(email=EMAIL, password_hash=generate_password_hash(PASSWORD))
        db.session.add(user)
        db.session.flush()
        uid = user.id
        current_length = 12
        plans = []  # (length, ovulation day), oldest first
        total = 40 + current_length
        while total < 365 * YEARS:
            length = rng.randint(26, 32)
            plans.insert(0, (length, length - rng.randint(12, 14)))
            total += length
        plans += [(40, 26), (current_length, None)]
        start = today() - timedelta(days=total - 1)
        rows, starts = [], []
        for number, (length, ovulation) in enumerate(plans, start=1):
            current = ovulation is None
            starts.append(start)
            for record in _cycle_days(start, length, ovulation or 30, rng, number=number, current=current):
                symptoms = record.pop("symptoms", [])
                rows.append({"user_id": uid, "symptoms_text": ",".join(symptoms), "not_period": False,
                             "starts_cycle": False, "created_at": utcnow(), "updated_at": utcnow(),
                             **{key: record.get(key) for key in (
                                 "date", "bleeding", "temperature_centi", "temperature_time",
                                 "temperature_disturbance", "mucus_feeling", "mucus_appearance",
                                 "cervix_position", "cervix_firmness", "cervix_opening",
                                 "ovulation_test", "ovulation_test_brand", "note")}})
            start += timedelta(days=length)
        db.session.execute(insert(Day), rows)
        long_start = starts[-2]
        for offset in (24, 25):
            db.session.add(Insemination(user_id=uid, date=long_start + timedelta(days=offset), method="ici",
                                        sperm="frozen", vials_used=1))
        db.session.add(PregnancyTest(user_id=uid, date=long_start + timedelta(days=37), kind="home",
                                     result="negative"))
        db.session.commit()
        ids = dict(db.session.execute(select(Day.date, Day.id).where(Day.user_id == uid, Day.date.in_(starts[-2:]))).all())
        db.session.remove()
        db.engine.dispose()
    del os.environ["SEEDLING_INSTANCE_PATH"]
    return {"long_cycle": ids[starts[-2]], "current_cycle": ids[starts[-1]], "days": len(rows), "cycles": len(plans)}


def bench_in_process(instance: Path, paths: dict[str, str], runs: int = 200) -> None:
    """Server time per request in process (test client), cold engine cache then warm."""
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    from webapp import create_app
    from webapp.journal.history import ENGINE_CACHE

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'seedling.db'}",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    assert client.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    print(f"\nIn process (test client, SQLite), {runs} requests each:")
    for name, path in paths.items():
        ENGINE_CACHE.clear()
        started = time.perf_counter()
        response = client.get(path)
        cold = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {name:34} cold {cold:6.1f} ms · warm p50 {percentile(times, 50):5.1f} ms, "
              f"p99 {percentile(times, 99):5.1f} ms")
    del os.environ["SEEDLING_INSTANCE_PATH"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[2, 8])
    parser.add_argument("--keep", type=Path, help="seed into (and keep) this instance folder")
    args = parser.parse_args()

    bench_engine(args.cycles)
    bench_chart()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    instance = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="seedling-bench-")) / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    seeded = seed(instance)
    print(f"\nSeeded {seeded['cycles']} cycles ({seeded['days']} days) ending in a 40-day cycle and a current one")
    paths = {
        "chart page (40-day cycle)": f"/journal/cycles/{seeded['long_cycle']}/chart",
        "cycle view (40-day cycle)": f"/journal/cycles/{seeded['long_cycle']}",
        "cycle view (current)": f"/journal/cycles/{seeded['current_cycle']}",
        "statistics (every cycle)": "/journal/stats",
        "journal home": "/journal/",
    }
    bench_in_process(instance, paths)

    rows = measure_pages(instance, paths, args.connections, args.seconds, keep=bool(args.keep))
    print(f"\ngunicorn, 2 sync workers, SQLite; wrk {args.seconds} s per row\n")
    print(f"{'conns':>5}  {'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for connections, name, result in rows:
        print(f"{connections:>5}  {name:34} {result['rps']:>8.0f} {result['p50']:>8.2f} "
              f"{result['p99']:>8.2f} {result['errors']:>8}")


if __name__ == "__main__":
    main()
