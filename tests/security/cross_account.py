"""Person B's session against person A's ids, on every journal route of app.url_map, through
the real server: every answer must be a 404, and A must reach the same GET pages herself.

tests/test_journal_ownership.py does the same in-process on every test run (and checks that
nothing of A's changed); this is its live counterpart, through gunicorn and real cookies.
"""

from __future__ import annotations

from .seeded_server import SeededServer

# Plausible fields, so that a POST that reached a form would pass validation and write.
FORM_FIELDS = {
    "date": "2024-01-02", "method": "ici", "kind": "home", "result": "positive", "outcome": "loss",
    "noted_at": "2024-01-02T10:00", "leakage": "a_lot", "code": "X", "bank": "Y",
    "temperature": "36.5", "temperature_unit": "C", "confirm": "y",
}


def probe(server: SeededServer) -> dict:
    owner, intruder = server.people["a"], server.people["b"]
    intruder_client = server.signed_in("b")
    owner_client = server.signed_in("a")
    token = intruder_client.csrf_token("/accounts/settings")
    results: list[tuple[str, str, int]] = []
    owner_misses: list[tuple[str, int]] = []
    for rule, arguments, methods in server.url_rules:
        if not rule.startswith("/journal") or not arguments:
            continue
        url = rule
        for name in arguments:
            url = url.replace(f"<int:{name}>", str(owner.ids[name]))
        for method in methods:
            if method in ("HEAD", "OPTIONS"):
                continue
            data = {**FORM_FIELDS, "csrf_token": token} if method == "POST" else None
            status = intruder_client.request(method, url, data)[0]
            results.append((method, url, status))
        if "GET" in methods:
            status = owner_client.request("GET", url)[0]
            if status != 200:
                owner_misses.append((url, status))
    for query_url in ("/journal/inseminations/new?day={}", "/journal/tests/new?day={}"):
        url = query_url.format(owner.ids["day_id"])
        results.append(("GET", url, intruder_client.request("GET", url)[0]))
    not_404 = [result for result in results if result[2] != 404]
    return {
        "requests": len(results),
        "not_404": not_404,
        "all_404": not not_404,
        "owner_not_200": owner_misses,
        "intruder": intruder.email,
    }
