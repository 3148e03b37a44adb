"""Throughput and latency through gunicorn (2 sync workers) with wrk, on 127.0.0.1.

    python tests/benchmarks/bench_http.py --instance DIR [--seconds 10] [--connections 16]

DIR is an instance folder seeded by bench_search.py (10,000 synthetic articles and their index).
Measures the home page, article pages (200 different ones), searches (20 different queries), and
a bare Flask route in the same run (the floor). Public pages are measured as anonymous readers
see them (the page cache on) and with the page cache off (every request rendered), each after a
warm-up that visits every page three times (the steady state of a running server; a page's very
first visit in a process costs more, see bench_search.py).
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    "implantation bleeding", "frozen sperm", "cervical mucus", "egg white mucus", "luteal phase",
    "pregnancy test", "ovulation", "donor", "thaw vial", "coverline temperature",
    "leakage after insemination", "two week wait", "hcg levels", "known donor",
    "irregular cycles", "basal body temperature", "positive ovulation test", "miscarriage",
    "fertility specialist", "spotting after insemination",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, env: dict, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app_spec],
        env={**os.environ, **env}, cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/robots.txt" if "webapp" in app_spec else url, timeout=1)  # noqa: S310
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start for {app_spec}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def lua_for(paths: list[str]) -> str:
    quoted = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    return (
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, paths: list[str], seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_for(paths))
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def article_paths(instance: Path, count: int = 200) -> list[str]:
    import sqlite3

    connection = sqlite3.connect(instance / "test.db")
    slugs = [row[0] for row in connection.execute("SELECT slug FROM article ORDER BY id LIMIT ?", (count,))]
    connection.close()
    return [f"/articles/{slug}" for slug in slugs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    instance = args.instance.resolve()
    env = {
        "SEEDLING_INSTANCE_PATH": str(instance),
        "SEEDLING_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'test.db'}",
        "SEEDLING_SEARCH_INDEX_PATH": "search-index",
        "SEEDLING_SECRET_KEY": "benchmark-only",
    }
    from urllib.parse import quote_plus

    targets = {
        "home": ["/"],
        "article": article_paths(instance),
        "search": [f"/search?q={quote_plus(q)}" for q in QUERIES],
    }
    rows = []
    floor_process, floor_url = start_gunicorn("tests.benchmarks.bare_app:app", {})
    try:
        wrk(floor_url, ["/"], 2, args.connections)  # warm up
        floor = wrk(floor_url, ["/"], args.seconds, args.connections)
    finally:
        stop(floor_process)
    rows.append(("bare Flask route (floor)", floor))
    for label, cache in (("page cache on", "true"), ("page cache off", "false")):
        process, url = start_gunicorn("webapp:create_app()", {**env, "SEEDLING_PAGE_CACHE_ENABLED": cache})
        try:
            for name, paths in targets.items():
                # Warm up to the steady state: every page seen by both workers (searchers open,
                # related articles and postings computed, pages cached where the cache is on).
                for path in paths * 3:
                    urllib.request.urlopen(url + path, timeout=60).read()  # noqa: S310
                wrk(url, paths, 3, args.connections)
                rows.append((f"{name} ({label})", wrk(url, paths, args.seconds, args.connections)))
        finally:
            stop(process)
    print(f"\n{args.connections} connections, {args.seconds} s each, gunicorn 2 sync workers\n")
    print(f"{'target':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs floor':>9} {'non-2xx':>8}")
    for name, result in rows:
        print(f"{name:34} {result['rps']:>9.0f} {result['p50']:>8.2f} {result['p99']:>8.2f} "
              f"{result['rps'] / floor['rps']:>8.2f}x {result['errors']:>8}")


if __name__ == "__main__":
    main()
