"""The wapiti and sqlmap command lines (as in the audit, but shorter) and what their reports say.

Every target is the seeded server on 127.0.0.1; the modules that need the internet (ssrf, xxe,
log4shell, takeover, wapp, nikto, ssl) are left out, and wapiti's crash reports are off.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

# The audit's list, with blindsql under its current name (timesql) and ldap added.
WAPITI_MODULES = "backup,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,sql,timesql,xss,shellshock,ldap"
# Pages that would end the scanner's own session or account, and the two settings forms the
# audit saw swallow half of wapiti's time (they only check a password; sqlmap covers them).
WAPITI_EXCLUDED = (
    "/accounts/logout", "/accounts/settings/delete", "/accounts/settings/sessions/*",
    "/accounts/settings/email", "/accounts/settings/password",
)


# The journal run skips what the public run already covers.
PUBLIC_PAGES = ("/articles/*", "/categories/*", "/tags/*")


def wapiti_command(binary: Path, base_url: str, start: str, cookie: str, report: Path, scan_seconds: int, attack_seconds: int, skip_public: bool) -> list[str]:
    # -C seeds wapiti's jar with the signed-in session; the jar then follows the app's Set-Cookie
    # (wapiti 3.2.3 drops a -H Cookie header, and --drop-set-cookie empties the -C cookies too).
    command = [
        str(binary), "-u", f"{base_url}/", "-s", f"{base_url}{start}", "--scope", "folder",
        "-m", WAPITI_MODULES, "-C", cookie,
        "--max-scan-time", str(scan_seconds), "--max-attack-time", str(attack_seconds),
        "-d", "5", "--max-links-per-page", "60", "--max-files-per-dir", "40", "--max-parameters", "15",
        "--tasks", "4", "-f", "json", "-o", str(report), "--no-bugreport", "--flush-session", "-v", "1",
    ]
    for path in WAPITI_EXCLUDED + (PUBLIC_PAGES if skip_public else ()):
        command += ["-x", f"{base_url}{path}"]
    return command


def wapiti_findings(report: Path) -> dict[str, dict]:
    """{category: {count, examples}} for every non-empty category of the report (vulnerabilities,
    anomalies such as 500s, and additional notes), with the first few items of each."""
    if not report.exists():
        return {}
    data = json.loads(report.read_text())
    findings: dict[str, dict] = {}
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (data.get(section) or {}).items():
            if items:
                findings[f"{section}: {category}"] = {
                    "count": len(items),
                    "examples": [{key: item.get(key) for key in ("method", "path", "parameter", "info")} for item in items[:3]],
                }
    return findings


# --------------------------------------------------------------------------- sqlmap

# (name, method, path, fields, parameters to test, who). Fields hold sensible values; the
# csrf_token is added by the driver and never tested.
SQLMAP_TARGETS = [
    ("search", "GET", "/search", {"q": "ovulation", "category": "", "page": "1"}, "q,category,page", None),
    ("login", "POST", "/accounts/login", {"email": "person-a@example.org", "password": "wrong password here"}, "email,password", None),
    ("register", "POST", "/accounts/register", {"email": "new.person@example.org", "password": "a long enough password", "time_zone": "Europe/London"}, "email,time_zone", None),
    ("reset", "POST", "/accounts/reset", {"email": "person-b@example.org"}, "email", None),
    ("days-new", "POST", "/journal/days/new", {"date": "2020-01-05", "bleeding": "light", "temperature": "36.55", "temperature_unit": "C", "mood": "calm", "note": "a note"}, "date,bleeding,temperature,mood,note", "b"),
    ("calendar", "GET", "/journal/calendar", {"month": "2024-01"}, "month", "b"),
    ("days-new-query", "GET", "/journal/days/new", {"date": "2020-01-06"}, "date", "b"),
    ("preferences", "POST", "/accounts/settings/preferences", {"temperature_unit": "C", "week_starts_on": "0", "secondary_symptom": "mucus", "time_zone": "Europe/London", "submit_preferences": "Save preferences"}, "temperature_unit,week_starts_on,secondary_symptom,time_zone", "b"),
    ("email-change", "POST", "/accounts/settings/email", {"new_email": "other@example.org", "email_password": "not the password", "submit_email": "Change email address"}, "new_email,email_password", "b"),
]


def sqlmap_command(binary: Path, base_url: str, method: str, path: str, fields: dict, parameters: str, cookie: str, output: Path, level: int) -> list[str]:
    # --skip-heuristics: the email validator refuses payloads before any query, which sqlmap's
    # heuristics read as "type casting" and then skip the parameter (audit §1).
    command = [
        str(binary), "--batch", "--level", str(level), "--risk", "2" if level >= 3 else "1", "--threads", "2",
        "-p", parameters, "--skip-heuristics",
        "--cookie", cookie, "--drop-set-cookie", "--output-dir", str(output), "--flush-session",
        "--disable-coloring", "--skip-waf", "--timeout", "20", "--retries", "1",
    ]
    if method == "GET":
        command += ["-u", f"{base_url}{path}?{urlencode(fields)}"]
    else:
        command += ["-u", f"{base_url}{path}", "--data", urlencode(fields)]
    return command


TESTING = re.compile(r"testing for SQL injection on (?:GET|POST) parameter '([^']+)'|testing if (?:GET|POST) parameter '([^']+)' is dynamic")
NOT_INJECTABLE = re.compile(r"(?:GET|POST) parameter '([^']+)' does not seem to be injectable")
CANDIDATE = re.compile(r"parameter '([^']+)' (?:is vulnerable|appears to be '[^']*' injectable)")
CONFIRMED = "identified the following injection point"
SKIPPED = re.compile(r"(?:GET|POST) parameter '([^']+)' (?:might not be injectable|is not dynamic)|skipping (?:GET|POST) parameter '([^']+)'")


def sqlmap_findings(output: Path) -> dict:
    text = output.read_text(errors="replace") if output.exists() else ""
    started = {next(filter(None, match.groups())) for match in TESTING.finditer(text)}
    completed = set(NOT_INJECTABLE.findall(text))
    candidates = set(CANDIDATE.findall(text))
    return {
        "completed": sorted(completed),
        "cut_off": sorted(started - completed),
        # sqlmap's own false-positive check ends a rejected candidate with "does not seem to be
        # injectable"; a confirmed one is listed under "identified the following injection point".
        "injectable_or_unconfirmed": sorted(candidates - completed),
        "confirmed_injection": CONFIRMED in text,
        "rejected_candidates": sorted(candidates & completed),
        "notes": [line.strip() for line in text.splitlines() if "[CRITICAL]" in line or "[ERROR]" in line][:5],
    }
