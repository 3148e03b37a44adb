from sqlalchemy import select

from webapp.articles.models import Article
from webapp.extensions import db


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
