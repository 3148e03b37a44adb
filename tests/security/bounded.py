"""Run one scanner with a time and a request budget.

Neither wapiti nor sqlmap can stop after N requests, so the budget is kept from the outside:
the server's access log is counted every second, and the scanner's process group is ended as
soon as it passes either limit.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .seeded_server import SeededServer

# gunicorn's default access line: ... "GET /path HTTP/1.1" 200 1234 "-" "agent"
STATUS = re.compile(r'" (\d{3}) (?:\d+|-) "')


@dataclass
class Run:
    name: str
    command: list[str]
    requests: int = 0
    seconds: float = 0.0
    stopped_by: str = "finished"  # or "time budget", "request budget"
    returncode: int | None = None
    output: Path | None = None
    statuses: dict[str, int] | None = None


def run_bounded(server: SeededServer, run: Run, folder: Path, max_seconds: float, max_requests: int) -> Run:
    run.output = folder / f"{run.name}.out"
    first_line = server.request_count()
    started = time.monotonic()
    with run.output.open("w") as output:
        process = subprocess.Popen(run.command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        while process.poll() is None:
            time.sleep(1)
            run.requests = server.request_count() - first_line
            if time.monotonic() - started > max_seconds:
                run.stopped_by = "time budget"
            elif run.requests > max_requests:
                run.stopped_by = "request budget"
            else:
                continue
            _stop(process)
            break
    run.returncode = process.wait()
    run.seconds = round(time.monotonic() - started, 1)
    time.sleep(1)  # gunicorn writes the last lines of the access log
    run.requests = server.request_count() - first_line
    run.statuses = status_counts(server.access_log, first_line, first_line + run.requests)
    return run


def _stop(process: subprocess.Popen) -> None:
    """End the scanner we started (its whole process group, nothing else)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def status_counts(access_log: Path, start: int, end: int) -> dict[str, int]:
    """Status codes of the access-log lines [start, end) (gunicorn's default format)."""
    counts: dict[str, int] = {}
    with access_log.open(encoding="utf-8", errors="replace") as log:
        for number, line in enumerate(log):
            if number < start:
                continue
            if number >= end:
                break
            match = STATUS.search(line)
            status = match.group(1) if match else "?"
            counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))
