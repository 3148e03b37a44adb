"""Shared page blocks (webapp/articles/fragments.py): kept per library version, never personal."""

import re

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from tests.conftest import AuthActions
from webapp.articles.fragments import EXTENSION_KEY, PersonalDataInSharedFragment, render_blocks
from webapp.articles.models import Article
from webapp.extensions import db
from webapp.search import get_index


@pytest.fixture
def app(tmp_path):
    # The page cache off: every reader, signed in or not, is served from the shared blocks.
    from tests.conftest import app_context_for, teardown

    app = app_context_for(tmp_path / "instance", PAGE_CACHE_ENABLED=False)
    yield app
    teardown(app)


def article(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.slug == slug))


def without_token(page: str) -> str:
    """The page without its CSRF token, which is signed with the time (changes every second)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', page)


def change_behind_the_apps_back(app, slug: str, **values) -> None:
    """An UPDATE without session events: the search generation does not move."""
    with app.app_context():
        db.session.execute(Article.__table__.update().where(Article.slug == slug).values(**values))
        db.session.commit()


def cached_blocks(app) -> list[str]:
    entries = app.extensions[EXTENSION_KEY]._entries.values()
    return [str(block) for entry in entries for block in entry["blocks"].values()]


def cached_frames(app) -> list[str]:
    entries = app.extensions[EXTENSION_KEY]._entries.values()
    return ["".join(frame) for entry in entries for key, frame in entry.items() if key != "blocks"]


def test_a_signed_in_reader_gets_the_kept_blocks_until_the_article_changes(app, client, auth, library):
    auth.register()
    client.get("/journal/")  # shows the welcome message, once
    first = client.get("/articles/coverline").get_data(as_text=True)
    assert "Sign out" in first
    change_behind_the_apps_back(app, "coverline", summary="A summary nobody committed properly.")
    assert without_token(client.get("/articles/coverline").get_data(as_text=True)) == without_token(first)
    with app.app_context():
        article("coverline").summary = "A new dek."
        db.session.commit()
    page = client.get("/articles/coverline").get_data(as_text=True)
    assert "A new dek." in page and "Sign out" in page


def test_related_cards_follow_a_change_to_a_related_article(app, client, library):
    with app.app_context():
        item = article("coverline")
        related_id = get_index().related(item.id, item.body_text, limit=3)[0]
    assert client.get("/articles/coverline").status_code == 200
    with app.app_context():
        related = db.session.get(Article, related_id)
        related.title = "A renamed neighbour"
        db.session.commit()
    assert "A renamed neighbour" in client.get("/articles/coverline").get_data(as_text=True)


def test_lists_and_home_follow_the_library(app, client, auth, library):
    auth.register()
    home = client.get("/").get_data(as_text=True)
    listing = client.get("/articles/").get_data(as_text=True)
    total = int(re.search(r"(\d+) articles, newest first", listing).group(1))
    with app.app_context():
        newest = db.session.scalar(select(Article).order_by(Article.published_on.desc(), Article.id.desc()))
        title = newest.title
        newest.is_published = False
        db.session.commit()
    assert title in home
    assert title not in client.get("/").get_data(as_text=True)
    listing = client.get("/articles/").get_data(as_text=True)
    assert f"{total - 1} articles, newest first" in listing


def test_nothing_personal_is_kept_and_each_reader_gets_their_own_frame(app, library):
    first, second = app.test_client(), app.test_client()
    AuthActions(first, app).register(email="first.reader@example.org")
    AuthActions(second, app).register(email="second.reader@example.org")
    paths = ["/", "/articles/coverline", "/articles/", "/search?q=sperm", "/about"]
    for path in paths:
        assert first.get(path).status_code == 200
    blocks = cached_blocks(app)
    assert len(blocks) >= len(paths)
    shared = "\n".join(blocks)
    for personal in ("first.reader", "csrf_token", "Sign out", "Journal", "Welcome to Seedling"):
        assert personal not in shared
    tokens = set()
    for client in (first, second):
        page = client.get("/articles/coverline").get_data(as_text=True)
        tokens.add(re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
        assert "Sign out" in page
    assert len(tokens) == 2  # each header carries its own reader's token
    # The kept frames are every signed-in reader's header: no address, token or message.
    frames = "\n".join(cached_frames(app))
    assert "Sign out" in frames
    for personal in ("first.reader", "second.reader", *tokens, "Welcome to Seedling"):
        assert personal not in frames


def test_a_waiting_message_is_shown_once_and_never_kept(app, client, auth, library):
    auth.register()  # leaves a welcome message for the next page
    page = client.get("/articles/coverline").get_data(as_text=True)
    assert "Welcome to Seedling" in page
    assert "Welcome to Seedling" not in client.get("/articles/coverline").get_data(as_text=True)
    assert "Welcome to Seedling" not in "\n".join(cached_frames(app) + cached_blocks(app))


def test_anonymous_and_signed_in_readers_get_their_own_blocks(app, client, auth, library):
    assert "Start a private journal" in client.get("/").get_data(as_text=True)
    auth.register()
    page = client.get("/").get_data(as_text=True)
    assert "Start a private journal" not in page and "Sign out" in page


@pytest.mark.parametrize(
    "source",
    [
        "{% block content %}{{ current_user.email }}{% endblock %}",
        "{% block content %}{{ csrf_token() }}{% endblock %}",
        "{% block content %}{{ session.get('_user_id') }}{% endblock %}",
        "{% block content %}{% for m in get_flashed_messages() %}{{ m }}{% endfor %}{% endblock %}",
    ],
)
def test_a_shared_block_that_asks_for_something_personal_fails_loudly(app, source):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"probe.html": source}), app.jinja_env.loader])
    with app.test_request_context("/probe"):
        with pytest.raises(PersonalDataInSharedFragment):
            render_blocks("probe.html", {}, signed_in=True)
