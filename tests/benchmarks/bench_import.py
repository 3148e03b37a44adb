"""Importing five years of daily drip data: time and peak memory, beside references.

    python tests/benchmarks/bench_import.py [--years 5] [--repeat 3]

Writes a drip CSV of one row a day for ``--years`` years (temperature every day, a period every
28 days, mucus, a note a week, sex with a partner twice a week with or without a condom), then, in a fresh SQLite database in a temporary instance folder,
measures (best of ``--repeat``, peak memory by tracemalloc in a separate pass):

- reference 1, parsing alone (``webapp.fertility.imports.parse_export``);
- reference 2, a trivial bulk insert of as many bare day rows (date and one temperature);
- reading and checking the file for the journal (parse, map, the spec's checks, the merge plan);
- the whole import through the page: upload (preview) and apply, into an empty journal;
- the same file again into that journal (every day already there: the preview compares all).

Not collected by pytest (the name starts with bench_).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

EMAIL = "bench@example.org"
PASSWORD = "a calm green seedling importing"
HEADER = (
    "date,temperature.value,temperature.exclude,temperature.time,temperature.note,"
    "bleeding.value,bleeding.exclude,mucus.feeling,mucus.texture,mucus.value,mucus.exclude,note.value,"
    "sex.partner,sex.condom,sex.none"
)


def drip_csv(days: int, last) -> bytes:
    lines = [HEADER]
    for offset in range(days):  # drip writes the newest date first
        when = last - timedelta(days=offset)
        cycle_day = (days - offset) % 28
        bleeding = "2,false" if cycle_day < 5 else ","
        temperature = 36.3 + (0.35 if cycle_day > 15 else 0) + (offset % 7) / 100
        mucus = "2,1,2,false" if 10 <= cycle_day <= 15 else "0,0,0,false"
        note = f"\"week {offset // 7}, feeling fine\"" if offset % 7 == 0 else ""
        sex = ("true,true," if offset % 2 else "true,,true") if offset % 7 in (2, 5) else ",,"
        lines.append(
            f"{when.isoformat()},{temperature:.2f},false,07:{offset % 60:02d},,{bleeding},{mucus},{note},{sex}"
        )
    return ("\n".join(lines) + "\n").encode()


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_of(action) -> float:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["SEEDLING_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import delete, func, insert, select

    from webapp import create_app
    from webapp.accounts.models import User
    from webapp.clock import today
    from webapp.extensions import db
    from webapp.fertility.imports import parse_export
    from webapp.journal import importing
    from webapp.journal.models import Day, Intercourse

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}",
        "SEARCH_INDEX_PATH": ":memory:", "SEARCH_SYNC_INTERVAL": 0, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "locmem", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    })
    days = args.years * 365 + args.years // 4
    data = drip_csv(days, today() - timedelta(days=1))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == EMAIL))

    def clear() -> None:
        with app.app_context():
            db.session.execute(delete(Day).where(Day.user_id == user_id))
            db.session.execute(delete(Intercourse).where(Intercourse.user_id == user_id))
            db.session.commit()

    def parse_only() -> None:
        parse_export("drip.csv", data, today=today())

    def trivial_insert() -> None:
        with app.app_context():
            first = today() - timedelta(days=days)
            rows = [
                {"user_id": user_id, "date": first + timedelta(days=n), "temperature_centi": 3650, "symptoms_text": ""}
                for n in range(days)
            ]
            db.session.execute(insert(Day), rows)
            db.session.commit()
        clear()

    def read_and_plan() -> None:
        with app.app_context():
            person = db.session.get(User, user_id)
            incoming = importing.read_upload("drip.csv", data, person=person, budget_seconds=60)
            importing.plan(user_id, incoming)

    def through_the_page() -> None:
        response = client.post("/journal/import", data={"file": (io.BytesIO(data), "drip.csv")},
                               content_type="multipart/form-data")
        plan = re.search(r'name="plan" type="hidden" value="([0-9a-f]+)"', response.get_data(as_text=True))
        assert plan, response.get_data(as_text=True)[-2000:]
        applied = client.post("/journal/import/apply", data={"resolution": "mine", "plan": plan.group(1)})
        assert applied.status_code == 302, applied.status_code

    def imported_count() -> tuple[int, int]:
        with app.app_context():
            return tuple(  # type: ignore[return-value]
                db.session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id))
                for model in (Day, Intercourse)
            )

    def page_then_clear() -> None:
        through_the_page()
        clear()

    def preview_again() -> None:
        response = client.post("/journal/import", data={"file": (io.BytesIO(data), "drip.csv")},
                               content_type="multipart/form-data")
        assert "Nothing new" in response.get_data(as_text=True)
        client.post("/journal/import/cancel")

    results = [
        ("reference: parse alone", best_of(args.repeat, parse_only), peak_of(parse_only)),
        ("reference: trivial bulk insert of the days", best_of(args.repeat, trivial_insert), peak_of(trivial_insert)),
        ("read, map, check and plan", best_of(args.repeat, read_and_plan), peak_of(read_and_plan)),
        ("through the page: upload + apply", best_of(args.repeat, page_then_clear), peak_of(page_then_clear)),
    ]
    through_the_page()
    count, intercourse = imported_count()
    results.append(
        ("again into that journal: upload (all already there) + cancel",
         best_of(args.repeat, preview_again), peak_of(preview_again))
    )
    print(f"{args.years} years of daily drip data: {days} rows, {len(data) / 1_000_000:.2f} MB; {count} days and {intercourse} intercourse entries imported")
    print(f"{'step':<62} {'time':>9} {'peak memory':>12}")
    for name, seconds, megabytes in results:
        print(f"{name:<62} {seconds * 1000:>7.0f} ms {megabytes:>9.1f} MB")


if __name__ == "__main__":
    main()
