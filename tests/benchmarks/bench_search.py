"""In-process search benchmark: our Whoosh search against SQLite FTS5 on the same corpus.

    python tests/benchmarks/bench_search.py [--articles 10000] [--instance DIR]

Seeds a synthetic library (see synthetic.py) into a fresh SQLite database, times the Whoosh
index build, builds an FTS5 table over the same text, then runs the same reader queries through
both and prints per-query times. Ours does the whole results-page work (total, category counts,
top 10, highlighted fragments); FTS5 does the same with bm25(), snippet() and a GROUP BY count.
"Cold" is a query's first run on a fresh searcher; "warm" the median of five more runs.
Then one article is changed and committed: the incremental index update, the first search after
it (new searcher and scorer), and each phrase's first use on that new index version are timed.
"""

import argparse
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "benchmarks")]

from conftest import make_app, reset_database  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from synthetic import seed_articles  # noqa: E402

from webapp.articles.models import Article  # noqa: E402
from webapp.articles.search_page import results_page  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.search import get_index  # noqa: E402

QUERIES = [
    "implantation bleeding", "frozen sperm", "cervical mucus", "egg white mucus", "luteal phase",
    "pregnancy test", '"implantation bleeding"', "ovulation", "donor", "thaw vial",
    "coverline temperature", "leakage after insemination", "two week wait", "hcg levels",
    "known donor", "irregular cycles", "basal body temperature", "positive ovulation test",
    "miscarriage", "fertility specialist",
]


def fts_query(text: str) -> str:
    """A reader's words as an FTS5 query: quoted phrases kept, other words ANDed."""
    phrases = re.findall(r'"([^"]+)"', text)
    words = re.findall(r"\w+", re.sub(r'"[^"]+"', " ", text))
    return " AND ".join([f'"{p}"' for p in phrases] + [f'"{w}"' for w in words])


def build_fts(database: Path) -> float:
    connection = sqlite3.connect(database)
    started = time.perf_counter()
    connection.executescript(
        """
        DROP TABLE IF EXISTS fts;
        CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, category UNINDEXED, tokenize='porter');
        INSERT INTO fts(rowid, title, summary, body, category)
            SELECT article.id, title, summary, body_text, category.slug
            FROM article JOIN category ON category.id = article.category_id;
        """
    )
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def fts_search(connection, text: str):
    match = fts_query(text)
    counts = connection.execute(
        "SELECT category, count(*) FROM fts WHERE fts MATCH ? GROUP BY category", (match,)
    ).fetchall()
    rows = connection.execute(
        "SELECT rowid, snippet(fts, 2, '<mark>', '</mark>', '…', 32) FROM fts "
        "WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.5, 1.0) LIMIT 10",
        (match,),
    ).fetchall()
    return sum(c for _, c in counts), rows


PHRASES = ['"implantation bleeding"', '"egg white mucus"', '"two week wait"', '"basal body temperature"',
           '"known donor"', '"positive ovulation test"']


def ours(text: str):
    """The results page's work without rendering: ranking, counts, cards, snippets."""
    page = results_page(text, page=1, per_page=10, category=None, full=False)
    return page.results.total, page.snippets


def change_one_article() -> tuple[float, object]:
    """Edit one article through the ORM; returns the commit's incremental index update, ms."""
    item = db.session.scalar(select(Article).order_by(Article.id.desc()).limit(1))
    item.summary = item.summary[:280] + f" ({time.time():.0f})"
    index = get_index()
    started = time.perf_counter()
    db.session.commit()  # after_commit catches the index up (webapp/search/sync.py)
    return (time.perf_counter() - started) * 1000, index


def timed(function, *args, runs: int = 5):
    started = time.perf_counter()
    first = function(*args)
    cold = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return first, cold, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--instance", type=Path, help="reuse a seeded instance folder")
    args = parser.parse_args()
    instance = args.instance or Path(tempfile.mkdtemp(prefix="seedling-bench-")) / "instance"
    database = instance / "test.db"
    seeded = database.exists()
    app = make_app(instance, SEARCH_INDEX_PATH="search-index", SEARCH_SYNC_INTERVAL=60)
    with app.app_context():
        if not seeded:
            reset_database()
            started = time.perf_counter()
            seed_articles(args.articles)
            db.session.commit()
            print(f"seeded {args.articles} articles in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            count = get_index().rebuild()
            print(f"Whoosh index build: {count} articles in {time.perf_counter() - started:.1f} s")
            print(f"FTS5 index build:   {build_fts(database):.1f} s")
        total_articles = db.session.scalar(select(func.count(Article.id)))
        connection = sqlite3.connect(database)
        print(f"\n{total_articles} articles; times in ms (cold = first run, warm = median of 5)")
        print(f"{'query':32} {'hits':>6} {'ours cold':>10} {'ours warm':>10} {'FTS5 cold':>10} {'FTS5 warm':>10}")
        ours_warm, fts_warm, ours_cold = [], [], []
        for text in QUERIES:
            (hits, _), cold, warm = timed(ours, text)
            (fts_hits, _), fcold, fwarm = timed(fts_search, connection, text)
            ours_warm.append(warm)
            ours_cold.append(cold)
            fts_warm.append(fwarm)
            print(f"{text:32} {hits:>6} {cold*1000:>10.1f} {warm*1000:>10.1f} {fcold*1000:>10.1f} {fwarm*1000:>10.1f}   (FTS5 hits {fts_hits})")
        median_ours, median_fts = statistics.median(ours_warm), statistics.median(fts_warm)
        print(f"\nmedian warm: ours {median_ours*1000:.1f} ms, FTS5 {median_fts*1000:.1f} ms, ratio {median_ours/median_fts:.2f}x")
        print(f"median cold: ours {statistics.median(ours_cold)*1000:.1f} ms")
        started = time.perf_counter()
        suggestion = get_index().suggest("implantaion bleding")
        print(f"did-you-mean for two misspelled words: {suggestion!r} in {(time.perf_counter()-started)*1000:.1f} ms")

        print("\nafter one article change (a new index version):")
        update_ms, index = change_one_article()
        print(f"incremental index update in the commit: {update_ms:.1f} ms")
        started = time.perf_counter()
        ours("ovulation")
        print(f"first search on the new version (new searcher and scorer): {(time.perf_counter()-started)*1000:.1f} ms")
        print(f"{'phrase':32} {'hits':>6} {'first use':>10} {'ours warm':>10} {'FTS5 warm':>10} {'ratio':>6}")
        for text in PHRASES:
            (hits, _), first, warm = timed(ours, text)
            (fts_hits, _), _, fwarm = timed(fts_search, connection, text)
            print(f"{text:32} {hits:>6} {first*1000:>10.1f} {warm*1000:>10.1f} {fwarm*1000:>10.1f} {warm/fwarm:>5.2f}x   (FTS5 hits {fts_hits})")
        connection.close()
    print(f"\ninstance kept at {instance} (pass --instance to reuse it)")


if __name__ == "__main__":
    main()
