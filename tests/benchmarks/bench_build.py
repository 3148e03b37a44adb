"""How the Whoosh index build grows with the library, one writer against Whoosh's parallel one.

    python tests/benchmarks/bench_build.py [--sizes 500 1000 2000] [--procs 2]

Builds an index of N synthetic articles (as synthetic.py writes them, ~800 words each) into a
temporary folder with the schema and writer settings of SearchIndex.rebuild, and prints wall
time and CPU time (this process and its children) per size. With --procs, the same documents
are also built by Whoosh's multiprocessing writer (procs=N, multisegment=True: each process
writes its own segment, nothing is merged), which is the only parallel build Whoosh offers.
No database is involved: this measures the index alone.
"""

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "benchmarks")]

from synthetic import CATEGORIES, corpus_words, paragraphs  # noqa: E402
from whoosh.filedb.filestore import FileStorage  # noqa: E402

from webapp.search.index import SearchDocument, build_schema  # noqa: E402


def documents(count: int, words: list[str], seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    vocabulary = sorted({w.lower() for w in words if len(w) > 3})
    tags = rng.sample(vocabulary, 60)
    out = []
    for n in range(count):
        out.append(SearchDocument(
            id=str(n + 1),
            title=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 7))).capitalize(),
            summary=paragraphs(rng, words, 22)[:290],
            tags=tuple(sorted(rng.sample(tags, 3))),
            category=rng.choice(CATEGORIES)[0],
            body=paragraphs(rng, words, 800),
        ).fields())
    return out


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(docs: list[dict], procs: int) -> tuple[float, float, int]:
    folder = Path(tempfile.mkdtemp(prefix="seedling-build-"))
    try:
        index = FileStorage(str(folder)).create_index(build_schema())
        started, cpu = time.perf_counter(), cpu_seconds()
        options = {"limitmb": 256}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        writer = index.writer(**options)
        for fields in docs:
            writer.add_document(**fields)
        writer.commit()
        wall, used = time.perf_counter() - started, cpu_seconds() - cpu
        segments = len(index.reader().leaf_readers()) if index.doc_count() else 0
        index.close()
        return wall, used, segments
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--procs", type=int, default=0, help="also build with Whoosh's procs=N")
    args = parser.parse_args()
    words = corpus_words()
    print(f"{'articles':>8} {'writer':>14} {'wall s':>8} {'CPU s':>8} {'CPU ms/article':>15} {'segments':>9}")
    for size in args.sizes:
        docs = documents(size, words)
        for procs in [1] + ([args.procs] if args.procs > 1 else []):
            wall, used, segments = build(docs, procs)
            label = "one writer" if procs == 1 else f"procs={procs}"
            print(f"{size:>8} {label:>14} {wall:>8.1f} {used:>8.1f} {used * 1000 / size:>15.1f} {segments:>9}")


if __name__ == "__main__":
    main()
