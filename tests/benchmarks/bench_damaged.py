"""A damaged index at start (its TOC deleted) under gunicorn: do pages wait for the rebuild?

    python tests/benchmarks/bench_damaged.py --instance DIR [--clients 4]

DIR is an instance folder seeded by bench_search.py. It is copied (database and index) to a
temporary folder, the copy's TOC is deleted, and gunicorn (2 sync workers) is started on it.
From the first second, a few clients ask for the home page, the article list, an article and a
search for one article's title, until the search finds that article again. Prints when the
server first answered, each page's latency while the index was being rebuilt, and when search
was correct again.
"""

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_http import Server  # noqa: E402


def fetch(url: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            body = response.read().decode()
            status = response.status
    except OSError as error:
        body, status = str(error), 0
    return (time.perf_counter() - started) * 1000, status, body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--limit", type=int, default=900, help="give up after this many seconds")
    args = parser.parse_args()
    source = args.instance.resolve()
    instance = Path(tempfile.mkdtemp(prefix="seedling-damaged-")) / "instance"
    shutil.copytree(source, instance, ignore=shutil.ignore_patterns("*.building-*", "*.damaged-*"))
    for toc in (instance / "search-index").glob("*.toc"):
        toc.unlink()
    connection = sqlite3.connect(instance / "test.db")
    slug, title = connection.execute("SELECT slug, title FROM article ORDER BY id LIMIT 1").fetchone()
    connection.close()
    env = {
        "SEEDLING_INSTANCE_PATH": str(instance),
        "SEEDLING_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'test.db'}",
        "SEEDLING_SEARCH_INDEX_PATH": "search-index",
        "SEEDLING_SECRET_KEY": "benchmark-only",
    }
    started = time.perf_counter()
    server = Server("damaged", "webapp:create_app()", env)
    first_answer = time.perf_counter() - started
    targets = {
        "home": "/", "article list": "/articles/", "article": f"/articles/{slug}",
        "search": f"/search?q={quote_plus(title)}",
    }
    latencies = {name: [] for name in targets}
    statuses: list[int] = []
    correct_at: list[float] = []
    stop = threading.Event()

    def client(offset: int) -> None:
        names = list(targets)
        i = offset
        while not stop.is_set():
            name = names[i % len(names)]
            i += 1
            # Cache-busting query: each request is computed, not a page cached before the fix.
            ms, status, body = fetch(f"{server.url}{targets[name]}{'&' if '?' in targets[name] else '?'}n={i}")
            statuses.append(status)
            if name == "search" and f"/articles/{slug}" in body:
                correct_at.append(time.perf_counter() - started)
                stop.set()
            else:
                latencies[name].append(ms)
            if time.perf_counter() - started > args.limit:
                stop.set()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.stop()
    shutil.rmtree(instance.parent, ignore_errors=True)

    print(f"\nTOC deleted at start; gunicorn 2 sync workers; {args.clients} clients")
    print(f"first answer {first_answer:.1f} s after start")
    print(f"{'page (while rebuilding)':26} {'requests':>8} {'p50 ms':>8} {'max ms':>8}")
    for name, values in latencies.items():
        if values:
            print(f"{name:26} {len(values):>8} {statistics.median(values):>8.0f} {max(values):>8.0f}")
    print(f"non-200 answers: {sum(1 for s in statuses if s != 200)} of {len(statuses)}")
    if correct_at:
        print(f"search correct again {correct_at[0]:.0f} s after start")
    else:
        print(f"search not correct within {args.limit} s")


if __name__ == "__main__":
    main()
