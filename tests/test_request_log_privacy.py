"""Request logs keep no journal query strings (ASVS 8.1.3, audit finding 14): `?date=`, `?day=`,
`?month=` and the clinic report's range tell when a person wrote about what, beside their
address. The paths stay (an operator needs them); account query strings were already redacted."""

import logging
import threading
import urllib.request

from werkzeug.serving import make_server

from webapp.security import redact


def test_journal_query_strings_are_redacted_from_request_lines():
    line = '203.0.113.7 - - [date] "GET /journal/days/new?date=2026-11-11 HTTP/1.1" 200 512 "-" "Firefox"'
    assert redact(line) == '203.0.113.7 - - [date] "GET /journal/days/new?[redacted] HTTP/1.1" 200 512 "-" "Firefox"'
    assert redact("GET /journal/calendar?month=2026-11 HTTP/1.1") == "GET /journal/calendar?[redacted] HTTP/1.1"
    assert redact("GET /journal/report?start=2026-01-01&end=2026-11-30&notes=y HTTP/1.1") == "GET /journal/report?[redacted] HTTP/1.1"
    assert redact("GET /journal/inseminations/new?day=2026-11-12 HTTP/1.1") == "GET /journal/inseminations/new?[redacted] HTTP/1.1"
    assert redact("GET /journal?date=2026-11-11 HTTP/1.1") == "GET /journal?[redacted] HTTP/1.1"
    # Paths without a query and public pages are left as they are.
    assert redact("POST /journal/days/new HTTP/1.1") == "POST /journal/days/new HTTP/1.1"
    assert redact("GET /search?q=implantation HTTP/1.1") == "GET /search?q=implantation HTTP/1.1"


def test_gunicorn_access_lines_lose_journal_dates(app, caplog):
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s', {"h": "1.2.3.4", "r": "GET /journal/days/new?date=2026-11-11 HTTP/1.1", "s": "200"})
    assert "2026-11-11" not in caplog.text
    assert "/journal/days/new?[redacted]" in caplog.text


def test_the_development_server_log_loses_them_too(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/journal/days/new?date=2026-11-11"
        opener = urllib.request.build_opener(NoRedirects)
        opener.open(url)  # signed out: a redirect to sign in, logged with its request line
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "/journal/days/new?[redacted]" in caplog.text
    assert "2026-11-11" not in caplog.text


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response
