from contextlib import contextmanager

from sqlalchemy import select

from tests.conftest import app_context_for, teardown
from webapp.articles.importer import import_articles
from webapp.articles.models import Article
from webapp.extensions import db
from webapp.search import get_index


def test_anonymous_pages_are_served_from_the_cache_until_an_article_changes(app, client, library):
    first = client.get("/articles/coverline").get_data(as_text=True)
    with app.app_context():
        # Changed behind the app's back (no session events): the cache must not notice.
        db.session.execute(
            Article.__table__.update().where(Article.slug == "coverline").values(title="Sneaky title")
        )
        db.session.commit()
    assert client.get("/articles/coverline").get_data(as_text=True) == first
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == "coverline")).summary = "A new dek."
        db.session.commit()  # a real change moves the search generation
    page = client.get("/articles/coverline").get_data(as_text=True)
    assert "Sneaky title" in page and "A new dek." in page


def test_signed_in_people_and_sessions_never_get_cached_pages(app, client, auth, library):
    client.get("/")  # cached for anonymous readers
    auth.register()
    page = client.get("/").get_data(as_text=True)
    assert "Sign out" in page and "Journal" in page
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_errors_are_not_cached(app, client, library):
    assert client.get("/articles/not-yet").status_code == 404
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == "coverline")).slug = "not-yet"
        db.session.commit()
    assert client.get("/articles/not-yet").status_code == 200


def test_security_headers_on_cached_pages(client, library):
    client.get("/about")
    response = client.get("/about")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_forged_loopback_host_never_reaches_another_readers_cached_page(client, library):
    # Without SITE_URL links follow the (loopback) host: each host has its own cached copy.
    client.get("/robots.txt", headers={"Host": "127.0.0.9:1"})
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)


def test_forwarded_host_never_reaches_a_cached_page(tmp_path, bundled_articles):
    app = app_context_for(tmp_path / "instance", SITE_URL="https://seedling.example", PROXY_COUNT=1)
    try:
        with app.app_context():
            import_articles(bundled_articles)
            db.session.commit()
        client = app.test_client()
        for path in ("/robots.txt", "/feed.xml", "/sitemap.xml", "/articles/coverline"):
            client.get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
            page = client.get(path).get_data(as_text=True)
            assert "evil.example" not in page and "https://seedling.example/" in page, path
    finally:
        teardown(app)


def test_a_failed_index_write_leaves_the_cache_key_on_the_old_generation(app, library, monkeypatch, caplog):
    with app.app_context():
        index = get_index()
        before = index.seen_generation

        @contextmanager
        def failing_writer():
            raise OSError("disk full")
            yield  # pragma: no cover

        monkeypatch.setattr(index, "_writing", failing_writer)
        db.session.scalar(select(Article).where(Article.slug == "coverline")).summary = "A new dek."
        db.session.commit()
        index.sync()
        assert "failed" in caplog.text
        assert index.seen_generation == before  # pages are not cached under a version not applied
        monkeypatch.undo()
        index.sync()
        assert index.seen_generation > before
