"""Absolute links come from SITE_URL only; without it only loopback hosts are served."""

import pytest

from tests.conftest import PASSWORD, outbox
from webapp.urls import external_url, is_loopback_host

EMAIL = "person@example.org"
EVIL = "evil.example"


def request_reset_for_a_known_account(app, **headers):
    client = app.test_client()
    client.post("/accounts/register", data={"email": EMAIL, "password": PASSWORD})
    client.post("/accounts/logout")
    return client.post("/accounts/reset", data={"email": EMAIL}, headers=headers)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("localhost:5000", True),
        ("127.0.0.1", True),
        ("127.0.0.22:5022", True),
        ("127.255.255.254:1", True),
        ("[::1]", True),
        ("[::1]:8000", True),
        ("LOCALHOST", True),
        (EVIL, False),
        ("evil.example:80", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.evil.example", False),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("[::2]", False),
        ("", False),
    ],
)
def test_which_hosts_are_loopback(host, loopback):
    assert is_loopback_host(host) is loopback


def test_without_site_url_another_host_gets_400_and_no_reset_mail(app):
    response = request_reset_for_a_known_account(app, Host=EVIL)
    assert response.status_code == 400
    assert outbox(app) == []
    assert app.test_client().get("/", headers={"Host": "127.0.0.22:5022"}).status_code == 200
    assert app.test_client().get("/", headers={"Host": "[::1]:5000"}).status_code == 200
    assert app.test_client().get("/", headers={"Host": "localhost.evil.example"}).status_code == 400


def test_without_site_url_links_follow_the_loopback_host(app):
    request_reset_for_a_known_account(app, Host="127.0.0.5:8080")
    [message] = outbox(app)
    assert "http://127.0.0.5:8080/accounts/reset/" in message.body


def test_with_site_url_mail_links_ignore_the_request_host(app_factory):
    app = app_factory(SITE_URL="https://seedling.example")
    request_reset_for_a_known_account(app, Host=EVIL)
    [message] = outbox(app)
    assert "https://seedling.example/accounts/reset/" in message.body
    assert EVIL not in message.body


def test_forwarded_host_is_never_trusted_by_default(app_factory):
    app = app_factory(PROXY_COUNT=1)
    response = request_reset_for_a_known_account(app, **{"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    [message] = outbox(app)
    assert EVIL not in message.body
    assert "https://localhost/accounts/reset/" in message.body


def test_forwarded_host_is_trusted_only_when_configured(app_factory):
    app = app_factory(PROXY_COUNT=1, PROXY_TRUST_FORWARDED_HOST=True, SITE_URL="https://seedling.example")
    client = app.test_client()
    response = client.get("/robots.txt", headers={"X-Forwarded-Host": EVIL})
    assert response.status_code == 200
    assert "Sitemap: https://seedling.example/sitemap.xml" in response.get_data(as_text=True)


def test_external_url_uses_site_url_with_its_path(app_factory):
    app = app_factory(SITE_URL="https://seedling.example/library/")
    with app.test_request_context("/", headers={"Host": EVIL}):
        assert external_url("articles.article", slug="coverline") == "https://seedling.example/library/articles/coverline"


def test_external_url_works_without_a_request_when_site_url_is_set(app_factory):
    app = app_factory(SITE_URL="https://seedling.example")
    with app.app_context():
        assert external_url("articles.home") == "https://seedling.example/"


@pytest.mark.parametrize("path", ["/feed.xml", "/sitemap.xml", "/robots.txt", "/articles/coverline"])
def test_public_absolute_links_come_from_site_url(app_factory, bundled_articles, path):
    from webapp.articles.importer import import_articles
    from webapp.extensions import db

    app = app_factory(SITE_URL="https://seedling.example")
    with app.app_context():
        import_articles(bundled_articles)
        db.session.commit()
    body = app.test_client().get(path, headers={"Host": EVIL}).get_data(as_text=True)
    assert EVIL not in body
    assert "https://seedling.example/" in body
