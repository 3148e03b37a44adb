"""Library pages through gunicorn (2 sync workers each) with wrk, beside a bare Flask route.

    python tests/benchmarks/bench_http.py --instance DIR [--seconds 8] [--connections 16] [--rounds 2]

DIR is an instance folder seeded by bench_search.py (10,000 synthetic articles and their index).
Four servers run side by side on the same instance: the bare route (the reference), Seedling as
configured (page cache and shared page blocks), Seedling with the page cache off (shared blocks
only: what every signed-in reader gets) and Seedling with both off (every page computed). Rows
are measured in rounds (A B C ... A B C ...), so load from the machine's other work falls on
all of them alike, and each figure is the round's median. CPU ms per request is the server's
worker CPU time (from /proc) over the requests wrk completed.
"""

import argparse
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_journal import request  # noqa: E402

QUERIES = [
    "implantation bleeding", "frozen sperm", "cervical mucus", "egg white mucus", "luteal phase",
    "pregnancy test", "ovulation", "donor", "thaw vial", "coverline temperature",
    "leakage after insemination", "two week wait", "hcg levels", "known donor",
    "irregular cycles", "basal body temperature", "positive ovulation test", "miscarriage",
    "fertility specialist", '"implantation bleeding"',
]
EMAIL = "bench-reader@example.org"
PASSWORD = "a calm green seedling for benchmarks"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, app_spec: str, env: dict, code: Path = ROOT):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--chdir", str(code), app_spec],
            env={**os.environ, **env, "PYTHONPATH": str(code)}, cwd=code,
        )
        probe = "/robots.txt" if "webapp" in app_spec else "/"
        for _ in range(900):
            try:
                urllib.request.urlopen(self.url + probe, timeout=2).read()  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise SystemExit(f"gunicorn did not start for {name}")

    def worker_cpu_seconds(self) -> float:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def sign_in(server: Server) -> str:
    """A reader's session cookie ("name=value"): registered (or signed in) through the real
    forms, CSRF on. Production settings name it __Host-session (a Secure cookie; wrk sends it
    over loopback HTTP all the same)."""
    for path in ("/accounts/register", "/accounts/login"):
        _, page, cookies = request(server.port, "GET", path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        body = f"csrf_token={quote_plus(token.group(1))}&email={quote_plus(EMAIL)}&password={quote_plus(PASSWORD)}"
        status, _, new_cookies = request(server.port, "POST", path, body, cookies)
        name = next((name for name in new_cookies if name.endswith("session")), None)
        if status == 302 and name is not None:
            cookies.update(new_cookies)
            # Shows (and so clears) the welcome message, which would keep the session changing.
            _, _, after = request(server.port, "GET", "/journal/", cookies=cookies)
            cookies.update(after)
            status, page, _ = request(server.port, "GET", "/", cookies=cookies)
            if "Sign out" in page:  # else not signed in (registering an existing reader): sign in
                return f"{name}={cookies[name]}"
    raise SystemExit("could not register or sign in the benchmark reader")


def lua_for(paths: list[str], session: str | None) -> str:
    quoted = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    headers = f'{{["Cookie"] = "{session}"}}' if session else "nil"
    return (
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        f"  return wrk.format('GET', paths[(i % #paths) + 1], {headers})\nend\n"
    )


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(server: Server, paths: list[str], seconds: int, connections: int, session: str | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_for(paths, session))
    cpu_before = server.worker_cpu_seconds()
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, server.url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    cpu = server.worker_cpu_seconds() - cpu_before
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "cpu_ms": cpu * 1000 / max(requests, 1),
        "errors": int(errors.group(1)) if errors else 0,
    }


def article_paths(instance: Path, count: int = 200) -> list[str]:
    connection = sqlite3.connect(instance / "test.db")
    slugs = [row[0] for row in connection.execute("SELECT slug FROM article ORDER BY id LIMIT ?", (count,))]
    connection.close()
    return [f"/articles/{slug}" for slug in slugs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path,
                        help="a checkout of earlier code (git worktree add --detach DIR COMMIT): its "
                             "signed-in article and search rows are measured in the same rounds")
    args = parser.parse_args()
    instance = args.instance.resolve()
    env = {
        "SEEDLING_INSTANCE_PATH": str(instance),
        "SEEDLING_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'test.db'}",
        "SEEDLING_SEARCH_INDEX_PATH": "search-index",
        "SEEDLING_SECRET_KEY": "benchmark-only",
    }
    articles = article_paths(instance)
    searches = [f"/search?q={quote_plus(q)}" for q in QUERIES]
    lists = ["/articles/", "/articles/?page=2", "/categories/donor-sperm", "/categories/pregnancy-loss"]
    servers = {
        "bare": Server("bare", "tests.benchmarks.bare_app:app", {}),
        "as configured": Server("as configured", "webapp:create_app()", env),
        "page cache off": Server("page cache off", "webapp:create_app()", {**env, "SEEDLING_PAGE_CACHE_ENABLED": "false"}),
        "nothing cached": Server("nothing cached", "webapp:create_app()", {
            **env, "SEEDLING_PAGE_CACHE_ENABLED": "false", "SEEDLING_FRAGMENT_CACHE_ENABLED": "false"}),
    }
    if args.before:
        servers["before"] = Server("before", "webapp:create_app()", env, code=args.before.resolve())
    try:
        sessions = {name: sign_in(server) for name, server in servers.items() if name != "bare"}
        # (label, server, paths, signed in)
        rows = [
            ("bare Flask route (reference)", "bare", ["/"], False),
            ("article, anonymous (page cache)", "as configured", articles, False),
            ("article, signed in", "page cache off", articles, True),
            ("article, anonymous, page cache off", "page cache off", articles, False),
            ("home, signed in", "page cache off", ["/"], True),
            ("article lists, signed in", "page cache off", lists, True),
            ("search, signed in (shared results)", "page cache off", searches, True),
            ("search, anonymous (page cache)", "as configured", searches, False),
            ("search, computed every time", "nothing cached", searches, True),
            ("article, computed every time", "nothing cached", articles, True),
        ]
        if args.before:
            rows += [
                ("before: article, anonymous (page cache)", "before", articles, False),
                ("before: article, signed in", "before", articles, True),
                ("before: home, signed in", "before", ["/"], True),
                ("before: search, signed in", "before", searches, True),
            ]
        for _, name, paths, signed_in in rows:
            # Warm up to the steady state: every page seen by both workers (searchers open,
            # postings read, blocks rendered where they are kept).
            session = sessions.get(name) if signed_in else None
            wrk(servers[name], paths, 3, 4, session)
            for path in paths * 2:
                request(servers[name].port, "GET", path, cookies=dict([session.split("=", 1)]) if session else None)
        results: dict[str, list[dict]] = {label: [] for label, *_ in rows}
        load = os.getloadavg()
        for _ in range(args.rounds):
            for label, name, paths, signed_in in rows:
                session = sessions.get(name) if signed_in else None
                results[label].append(wrk(servers[name], paths, args.seconds, args.connections, session))
        load_after = os.getloadavg()
    finally:
        for server in servers.values():
            server.stop()

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in results[label])

    bare_rps = median(rows[0][0], "rps")
    print(f"\n{time.strftime('%Y-%m-%d %H:%M')}; {args.connections} connections, {args.seconds} s a row, "
          f"{args.rounds} rounds (median); gunicorn 2 sync workers; load average {load[0]:.1f} before, "
          f"{load_after[0]:.1f} after\n")
    print(f"{'row':38} {'req/s':>7} {'x bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>10} {'non-2xx':>8}")
    for label, *_ in rows:
        print(f"{label:38} {median(label, 'rps'):>7.0f} {median(label, 'rps') / bare_rps:>6.2f}x "
              f"{median(label, 'p50'):>8.1f} {median(label, 'p99'):>8.1f} {median(label, 'cpu_ms'):>10.2f} "
              f"{sum(r['errors'] for r in results[label]):>8}")


if __name__ == "__main__":
    main()
