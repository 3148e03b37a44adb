"""Site-wide security, checked by walking every route the app has (so new routes are covered).

- every POST without a CSRF token is refused;
- every page that needs an account sends anonymous visitors to the sign-in page;
- every response carries the security headers, and pages with private data are never cached;
- cookies, request size, form field lengths, logs, and account enumeration.
"""

import importlib
import inspect
import logging
import pkgutil
import re
import statistics
import threading
import time
import urllib.request

import pytest
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.routing import Rule
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

import webapp
from tests.conftest import PASSWORD, app_context_for, teardown
from webapp.articles.importer import import_articles
from webapp.extensions import db
from webapp.security import CONTENT_SECURITY_POLICY, redact

EMAIL = "person@example.org"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Plausible values for URL variables, by name first, then by converter.
VALUES_BY_NAME = {"slug": "coverline", "tag": "bbt", "token": "not-a-real-token", "filename": "css/app.css"}
VALUES_BY_CONVERTER = {"IntegerConverter": 1, "DatabaseIntegerConverter": 1, "FloatConverter": 1.0, "PathConverter": "x", "UUIDConverter": "00000000-0000-0000-0000-000000000000"}
PRIVATE_PREFIXES = ("/journal", "/accounts/settings")
# The one code object every view wrapped by Flask-Login's login_required shares.
LOGIN_REQUIRED_CODE = login_required(lambda: None).__code__


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def app_factory(tmp_path, bundled_articles):
    made = []

    def build(**overrides):
        app = app_context_for(tmp_path / f"instance-{len(made)}", **overrides)
        with app.app_context():
            import_articles(bundled_articles)
            db.session.commit()
        made.append(app)
        return app

    yield build
    for app in made:
        teardown(app)


@pytest.fixture
def csrf_app(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def csrf_token(client, path: str = "/accounts/register") -> str:
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in_with_csrf(client) -> None:
    response = client.post(
        "/accounts/register", data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def url_for_rule(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values[name] = VALUES_BY_NAME.get(name, VALUES_BY_CONVERTER.get(converter, "x"))
    _, path = rule.build(values)
    return path


def rules_with(app, method: str) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if method in (rule.methods or ())]


def needs_login(app, rule: Rule) -> bool:
    if rule.rule.startswith(PRIVATE_PREFIXES):
        return True
    view = app.view_functions[rule.endpoint]
    while view is not None:
        if getattr(view, "__code__", None) is LOGIN_REQUIRED_CODE:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def assert_security_headers(response, path: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, path
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers.get("Referrer-Policy") == "no-referrer", path
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("X-Frame-Options") == "DENY", path
    assert "camera=()" in headers.get("Permissions-Policy", ""), path


def assert_no_inline_script(response, path: str) -> None:
    if response.mimetype != "text/html":
        return
    page = response.get_data(as_text=True)
    for script in re.findall(r"<script\b[^>]*>", page, flags=re.I):
        # A JSON-LD data block is never executed, so script-src does not apply to it.
        is_data = script == '<script type="application/ld+json">'
        assert "src=" in script or is_data, f"inline script on {path}: {script}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", page, flags=re.I), f"inline event handler on {path}"
    assert not re.search(r"<[^>]+\sstyle\s*=", page, flags=re.I), f"inline style on {path}"
    assert "javascript:" not in page.lower(), path


# --------------------------------------------------------------------------- CSRF


def test_every_post_route_refuses_a_request_without_a_csrf_token(csrf_app):
    post_rules = rules_with(csrf_app, "POST")
    assert {rule.endpoint for rule in post_rules} >= {"accounts.login", "accounts.register", "accounts.logout"}
    anonymous, signed_in = csrf_app.test_client(), csrf_app.test_client()
    sign_in_with_csrf(signed_in)
    for rule in post_rules:
        path = url_for_rule(rule)
        for client in (anonymous, signed_in):
            response = client.post(path, data={"email": EMAIL, "password": PASSWORD})
            assert response.status_code == 400, f"POST {path} without a CSRF token gave {response.status_code}"
            assert "This form has expired" in response.get_data(as_text=True)
            bad = client.post(path, data={"csrf_token": "forged", "email": EMAIL, "password": PASSWORD})
            assert bad.status_code == 400, f"POST {path} with a forged CSRF token gave {bad.status_code}"
    assert signed_in.get("/journal/").status_code == 200  # nothing above signed anyone out


def test_a_post_with_the_token_works(csrf_app):
    client = csrf_app.test_client()
    sign_in_with_csrf(client)
    assert client.get("/journal/").status_code == 200
    token = csrf_token(client, "/accounts/settings")
    assert client.post("/accounts/logout", data={"csrf_token": token}).status_code == 302


def test_a_token_from_another_session_is_refused(csrf_app):
    attacker, victim = csrf_app.test_client(), csrf_app.test_client()
    sign_in_with_csrf(victim)
    stolen = csrf_token(attacker, "/accounts/login")
    response = victim.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y", "csrf_token": stolen})
    assert response.status_code == 400


def test_https_forms_work_without_a_referer(csrf_app):
    """Referrer-Policy: no-referrer means browsers send no Referer, even to this site."""
    client = csrf_app.test_client()
    token = csrf_token(client, "/accounts/login")
    response = client.post(
        "/accounts/register",
        base_url="https://localhost",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_posts_a_browser_marks_as_from_another_site_are_refused(csrf_app, site):
    client = csrf_app.test_client()
    token = csrf_token(client, "/accounts/login")
    response = client.post(
        "/accounts/register",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        headers={"Sec-Fetch-Site": site},
    )
    assert response.status_code == 400
    response = client.post(
        "/accounts/register",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302


# --------------------------------------------------------------------------- login required


def test_every_private_page_sends_anonymous_visitors_to_sign_in(app_factory):
    app = app_factory()
    private = [rule for rule in app.url_map.iter_rules() if needs_login(app, rule)]
    endpoints = {rule.endpoint for rule in private}
    assert {"journal.home", "accounts.settings", "accounts.export", "accounts.delete_account"} <= endpoints
    client = app.test_client()
    for rule in private:
        path = url_for_rule(rule)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(path, method=method)
            assert response.status_code == 302, f"anonymous {method} {path} gave {response.status_code}"
            assert response.headers["Location"].startswith("/accounts/login?next="), f"{method} {path}"


def test_the_login_required_detector_sees_decorated_views(app_factory):
    app = app_factory()
    detected = {rule.endpoint for rule in app.url_map.iter_rules() if needs_login(app, rule)}
    assert "accounts.settings" in detected
    assert "articles.home" not in detected and "accounts.login" not in detected


# --------------------------------------------------------------------------- headers


def walk_get_routes(app, client) -> list[tuple[str, object]]:
    responses = []
    for rule in rules_with(app, "GET"):
        path = url_for_rule(rule)
        response = client.get(path)
        response.close()  # static files are streamed from an open file
        assert response.status_code < 500, f"GET {path} gave {response.status_code}"
        responses.append((path, response))
    return responses


def test_every_page_carries_the_security_headers(app_factory):
    app = app_factory()
    anonymous, signed_in = app.test_client(), app.test_client()
    signed_in.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    for client in (anonymous, signed_in):
        for path, response in walk_get_routes(app, client):
            assert_security_headers(response, path)
            assert_no_inline_script(response, path)
            assert "Strict-Transport-Security" not in response.headers, path  # plain HTTP


def test_private_pages_are_never_cached(app_factory):
    app = app_factory()
    anonymous, signed_in = app.test_client(), app.test_client()
    signed_in.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    for path, response in walk_get_routes(app, signed_in):
        if not path.startswith("/static/"):
            assert response.headers.get("Cache-Control") == "no-store", path
    for path, response in walk_get_routes(app, anonymous):
        if path.startswith(("/accounts", "/journal", "/calendar")):
            assert response.headers.get("Cache-Control") == "no-store", path
    public = anonymous.get("/articles/coverline")
    assert public.status_code == 200 and "no-store" not in public.headers.get("Cache-Control", "")


def test_error_pages_for_a_signed_in_person_are_not_cached_either(app_factory):
    app = app_factory()
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert_security_headers(response, "/no-such-page")


def test_hsts_only_over_https(app_factory):
    client = app_factory().test_client()
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(re.search(r"max-age=(\d+)", secure.headers["Strict-Transport-Security"]).group(1)) >= 31536000
    assert "Strict-Transport-Security" not in client.get("/").headers


# --------------------------------------------------------------------------- cookies


def test_session_cookies_are_httponly_lax_and_secure_in_production(app_factory):
    app = app_factory(TESTING=False)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    client = app.test_client()
    response = client.post(
        "/accounts/register", base_url="https://localhost", data={"email": EMAIL, "password": PASSWORD}
    )
    client.post("/accounts/logout", base_url="https://localhost")
    response = client.post(
        "/accounts/login",
        base_url="https://localhost",
        data={"email": EMAIL, "password": PASSWORD, "remember": "y"},
    )
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    assert {"__Host-session", "__Host-remember_token"} <= cookies.keys()
    for name in ("__Host-session", "__Host-remember_token"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name] and "Secure" in cookies[name], cookies[name]


def test_cookies_are_not_secure_only_when_debugging(app_factory):
    assert app_factory(DEBUG=True, TESTING=False).config["SESSION_COOKIE_SECURE"] is False


# --------------------------------------------------------------------------- sizes


def test_a_request_body_over_the_limit_gets_a_friendly_413(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/accounts/login", data={"email": EMAIL, "password": too_big})
    assert response.status_code == 413
    assert "That was too much to send at once" in response.get_data(as_text=True)
    assert_security_headers(response, "/accounts/login")


def test_one_huge_multipart_form_field_gets_a_413(app_factory):
    # Werkzeug applies MAX_FORM_MEMORY_SIZE to multipart forms; url-encoded ones are capped
    # by MAX_CONTENT_LENGTH as a whole.
    app = app_factory()
    huge = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    boundary, body = encode_multipart({"email": EMAIL, "password": huge})  # in memory, no temp file
    response = app.test_client().post(
        "/accounts/login", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "That was too much to send at once" in response.get_data(as_text=True)


def all_flask_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, stack = [], list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        found.append(form)
        stack.extend(form.__subclasses__())
    return [form for form in found if form.__module__.startswith("webapp.")]


def unbound_fields(form: type[FlaskForm]):
    for name, value in inspect.getmembers(form):
        if isinstance(value, UnboundField):
            yield name, value


def validators_of(field: UnboundField) -> list:
    if "validators" in field.kwargs:
        return list(field.kwargs["validators"] or [])
    return list(field.args[1]) if len(field.args) > 1 else []


def test_every_text_field_in_every_form_has_a_length_limit():
    forms = all_flask_forms()
    assert len(forms) >= 8
    missing = []
    for form in forms:
        for name, field in unbound_fields(form):
            if issubclass(field.field_class, StringField):
                limits = [v for v in validators_of(field) if isinstance(v, Length) and v.max and v.max > 0]
                if not limits:
                    missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert not missing, "text fields without Length(max=...): " + ", ".join(missing)


# --------------------------------------------------------------------------- logs


def test_no_password_or_token_reaches_the_logs(app_factory, caplog):
    caplog.set_level(logging.DEBUG)
    app = app_factory()
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    client.post("/accounts/login", data={"email": EMAIL, "password": "a wrong password"})
    client.post("/accounts/login", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    client.post("/accounts/reset", data={"email": EMAIL})
    [message] = app.extensions["mailman"].outbox
    token = re.search(r"/accounts/reset/(\S+)", message.body).group(1)
    client.get(f"/accounts/reset/{token}")
    client.post(f"/accounts/reset/{token}", data={"password": "a brave new sunflower"})
    logged = caplog.text
    for secret in (PASSWORD, "a wrong password", "a brave new sunflower", token):
        assert secret not in logged


def test_request_logs_redact_reset_tokens_and_account_query_strings():
    line = '127.0.0.1 - - [date] "GET /accounts/reset/abc.DEF-123_x?y=1 HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - [date] "GET /accounts/reset/[redacted]?[redacted] HTTP/1.1" 200 -'
    assert redact("GET /accounts/login?next=/journal/&email=a@b.c HTTP/1.1") == "GET /accounts/login?[redacted] HTTP/1.1"
    assert redact("GET /search?q=leakage HTTP/1.1") == "GET /search?q=leakage HTTP/1.1"
    assert redact('"GET /calendar/Zx-9_abc.ics HTTP/1.1" 200') == '"GET /calendar/[redacted].ics HTTP/1.1" 200'
    assert redact("GET /calendar/Zx-9_abc HTTP/1.1") == "GET /calendar/[redacted] HTTP/1.1"
    assert redact("GET /journal/calendar/feed HTTP/1.1") == "GET /journal/calendar/feed HTTP/1.1"


def test_the_development_server_log_never_shows_a_reset_token(app_factory, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    app = app_factory()
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    token = "SECRETTOKENabc.def-ghi"
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/accounts/reset/{token}") as response:  # nosec B310: a local test server
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "/accounts/reset/[redacted]" in caplog.text
    assert token not in caplog.text


def test_gunicorn_access_lines_are_redacted_too(caplog):
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s', {"h": "1.2.3.4", "r": "GET /accounts/reset/TOPSECRET HTTP/1.1", "s": "200"})
    assert "TOPSECRET" not in caplog.text
    assert "/accounts/reset/[redacted]" in caplog.text


# --------------------------------------------------------------------------- enumeration


def without_csrf(page: str) -> str:
    return CSRF_FIELD.sub('name="csrf_token" type="hidden" value=""', page)


def test_login_answers_known_and_unknown_emails_identically(csrf_app):
    client = csrf_app.test_client()
    sign_in_with_csrf(client)
    client.post("/accounts/logout", data={"csrf_token": csrf_token(client, "/accounts/settings")})

    def attempt(email):
        response = client.post("/accounts/login", data={"email": email, "password": "not the password", "csrf_token": csrf_token(client, "/accounts/login")})
        return response.status_code, without_csrf(response.get_data(as_text=True)).replace(email, "EMAIL")

    assert attempt(EMAIL) == attempt("nobody@example.org")


def test_reset_answers_known_and_unknown_emails_identically(csrf_app):
    client = csrf_app.test_client()
    sign_in_with_csrf(client)
    client.post("/accounts/logout", data={"csrf_token": csrf_token(client, "/accounts/settings")})

    def attempt(email):
        response = client.post("/accounts/reset", data={"email": email, "csrf_token": csrf_token(client, "/accounts/reset")})
        return response.status_code, without_csrf(response.get_data(as_text=True)).replace(email, "EMAIL")

    assert attempt(EMAIL) == attempt("nobody@example.org")


def median_seconds(request, repeats: int = 7) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        request()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def assert_similar(known: float, unknown: float) -> None:
    # Generous on purpose: a missing dummy hash makes one side ten times faster, not 40 %.
    slower, faster = max(known, unknown), min(known, unknown)
    assert faster >= 0.6 * slower or slower - faster < 0.03, f"known {known:.4f}s, unknown {unknown:.4f}s"


def test_login_takes_as_long_for_unknown_emails(app_factory):
    client = app_factory(PASSWORD_HASH_METHOD=None).test_client()  # the real, slow hash
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    login = lambda email: client.post("/accounts/login", data={"email": email, "password": "not the password"})  # noqa: E731
    login("warm-up@example.org")  # the dummy hash is made on first use
    known = median_seconds(lambda: login(EMAIL))
    unknown = median_seconds(lambda: login("nobody@example.org"))
    assert known > 0.02  # a real, slow hash
    assert_similar(known, unknown)


def test_reset_takes_as_long_for_unknown_emails(app_factory):
    client = app_factory(PASSWORD_HASH_METHOD=None).test_client()  # the real, slow hash
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    reset = lambda email: client.post("/accounts/reset", data={"email": email})  # noqa: E731
    reset("warm-up@example.org")
    known = median_seconds(lambda: reset(EMAIL))
    unknown = median_seconds(lambda: reset("nobody@example.org"))
    assert_similar(known, unknown)


def test_a_database_error_logs_no_parameter_values(app, caplog):
    """A failed INSERT's message (what Flask logs for a 500) must not carry the row: notes."""
    from sqlalchemy.exc import IntegrityError

    from webapp.accounts.models import User

    marker = "zebra-leak-marker@example.org"
    with app.app_context():
        db.session.add(User(email=marker, password_hash="x"))
        db.session.commit()
        db.session.add(User(email=marker, password_hash="x"))
        with pytest.raises(IntegrityError) as error:
            db.session.commit()
        db.session.rollback()
        app.logger.error("Exception on /accounts/register [POST]", exc_info=error.value)  # as Flask logs a 500
    assert "UNIQUE" in caplog.text.upper() and "INSERT INTO" in caplog.text  # still says what failed
    assert marker not in caplog.text


def test_email_change_links_are_redacted_from_request_logs():
    assert redact('"GET /accounts/confirm-email/eyJ1c2VyIjoy.abc HTTP/1.1" 200') == '"GET /accounts/confirm-email/[redacted] HTTP/1.1" 200'
