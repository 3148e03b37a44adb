"""On-demand security scans of a fresh, seeded Seedling on loopback (not part of pytest or CI).

    python -m tests.security.run_scans --scanners-bin /path/to/scanner-venv/bin

Creates a temporary folder with its own instance (`flask --app webapp init`, two people with a
demo journal each), serves it with gunicorn on 127.0.0.1 and a free port, walks person B's
session over person A's ids, runs wapiti (anonymous, then signed in as A) and sqlmap (anonymous
and signed in as B) each within a time and request budget, stops everything and prints a
summary (also written to summary.json in that folder, which is kept unless --clean). See tests/security/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from . import cross_account
from .bounded import Run, run_bounded
from .scanners import SQLMAP_TARGETS, sqlmap_command, sqlmap_findings, wapiti_command, wapiti_findings
from .seeded_server import MARKERS, SeededServer

PHASES = ("cross-account", "wapiti-public", "wapiti-journal", "sqlmap")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scanners-bin", type=Path, required=True, help="folder holding the wapiti and sqlmap executables")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, from {', '.join(PHASES)}")
    parser.add_argument("--wapiti-seconds", type=int, default=240, help="each wapiti run's time budget")
    parser.add_argument("--wapiti-requests", type=int, default=8000, help="each wapiti run's request budget")
    parser.add_argument("--sqlmap-seconds", type=int, default=60, help="each sqlmap target's time budget")
    parser.add_argument("--sqlmap-requests", type=int, default=3000, help="each sqlmap target's request budget")
    parser.add_argument("--sqlmap-level", type=int, default=1, help="sqlmap --level (the audit used 3, with --risk 2, over hours)")
    parser.add_argument("--sqlmap-targets", default="", help="only these sqlmap targets (comma-separated names)")
    parser.add_argument("--clean", action="store_true", help="delete the temporary folder (logs, reports) at the end")
    return parser.parse_args()


def log_leaks(server: SeededServer) -> dict[str, list[str]]:
    """Journal text, emails or passwords in the server's logs (there must be none)."""
    secrets = {f"note marker {key}": marker for key, marker in MARKERS.items()}
    for person in server.people.values():
        secrets[f"email {person.key}"] = person.email
        secrets[f"password {person.key}"] = person.password
    found: dict[str, list[str]] = {}
    for log in (server.access_log, server.error_log):
        text = log.read_text(errors="replace") if log.exists() else ""
        found[log.name] = [name for name, secret in secrets.items() if secret in text]
    return found


def server_errors(server: SeededServer) -> list[str]:
    text = server.error_log.read_text(errors="replace") if server.error_log.exists() else ""
    lines = text.splitlines()
    return [line for line in lines if "Traceback" in line or "[ERROR]" in line or "WORKER TIMEOUT" in line][:20]


def scan_wapiti(server: SeededServer, options, name: str, start: str, cookie: str, skip_public: bool) -> dict:
    report = server.root / f"{name}.json"
    # wapiti's own limit well inside the budget: stopped from outside, it writes no report.
    scan_seconds = max(30, options.wapiti_seconds * 2 // 3)
    command = wapiti_command(options.scanners_bin / "wapiti", server.base_url, start, cookie, report, scan_seconds, max(10, scan_seconds // 10), skip_public)
    run = run_bounded(server, Run(name, command), server.root, options.wapiti_seconds, options.wapiti_requests)
    return {**summary_of(run), "findings": wapiti_findings(report)}


def scan_sqlmap(server: SeededServer, options, cookies: dict[str, str], tokens: dict[str, str]) -> list[dict]:
    chosen = set(filter(None, options.sqlmap_targets.split(",")))
    results = []
    for name, method, path, fields, parameters, who in SQLMAP_TARGETS:
        if chosen and name not in chosen:
            continue
        key = who or "anonymous"
        data = dict(fields) if method == "GET" else {**fields, "csrf_token": tokens[key]}
        command = sqlmap_command(options.scanners_bin / "sqlmap", server.base_url, method, path, data, parameters, cookies[key], server.root / "sqlmap", options.sqlmap_level)
        run = run_bounded(server, Run(f"sqlmap-{name}", command), server.root, options.sqlmap_seconds, options.sqlmap_requests)
        results.append({**summary_of(run), "target": f"{method} {path} ({key})", **sqlmap_findings(run.output)})
    return results


def summary_of(run: Run) -> dict:
    return {"name": run.name, "requests": run.requests, "seconds": run.seconds, "stopped_by": run.stopped_by, "statuses": run.statuses}


def main() -> int:
    options = arguments()
    phases = set(options.phases.split(","))
    needed = {"wapiti"} if phases & {"wapiti-public", "wapiti-journal"} else set()
    needed |= {"sqlmap"} if "sqlmap" in phases else set()
    for tool in sorted(needed):
        if not (options.scanners_bin / tool).exists():
            sys.exit(f"{options.scanners_bin / tool} not found: install wapiti3 and sqlmap into their own venv")
    server = SeededServer(Path(tempfile.mkdtemp(prefix="seedling-scan-")))
    summary: dict = {"folder": str(server.root)}
    try:
        server.initialise()
        server.start()
        summary["server"] = server.base_url
        if "cross-account" in phases:
            summary["cross_account"] = cross_account.probe(server)
        # Frozen cookies: each holds a session with a CSRF secret, so the forms' tokens match.
        anonymous = server.client()
        tokens = {"anonymous": anonymous.csrf_token("/accounts/login")}
        clients = {"anonymous": anonymous}
        for key in ("a", "b"):
            clients[key] = server.signed_in(key)
            tokens[key] = clients[key].csrf_token("/accounts/settings")
        cookies = {key: client.cookie_header() for key, client in clients.items()}
        if "wapiti-public" in phases:
            summary["wapiti_public"] = scan_wapiti(server, options, "wapiti-public", "/", cookies["anonymous"], skip_public=False)
        if "wapiti-journal" in phases:
            summary["wapiti_journal"] = scan_wapiti(server, options, "wapiti-journal", "/journal/", cookies["a"], skip_public=True)
        if "sqlmap" in phases:
            summary["sqlmap"] = scan_sqlmap(server, options, cookies, tokens)
        summary["healthy_after"] = server.client().request("GET", "/about")[0] == 200
        summary["a_still_signed_in"] = clients["a"].request("GET", "/journal/")[0] == 200
    finally:
        server.stop()
    summary["log_leaks"] = log_leaks(server)
    summary["server_errors"] = server_errors(server)
    summary["total_requests"] = server.request_count()
    (server.root / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    if options.clean:
        shutil.rmtree(server.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
