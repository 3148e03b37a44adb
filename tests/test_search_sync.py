"""The index follows committed article changes, in this process and on other servers."""

import threading
from pathlib import Path

from sqlalchemy import select

from tests.conftest import make_app
from tests.test_search import results_heading
from webapp.articles.models import Article
from webapp.extensions import db
from webapp.search import get_index
from webapp.search.sync import current_generation


def article(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.slug == slug))


def found(slug_words: str) -> list[int]:
    return get_index().search(slug_words).ids


def test_commit_updates_the_index_and_rollback_does_not(app, library):
    with app.app_context():
        item = article("coverline")
        item.title = "The coverline and the zebrafinch rule"
        db.session.rollback()
        assert found("zebrafinch") == []
        item = article("coverline")
        item.body_text += " A quokka appears."
        item.title = "The coverline and the zebrafinch rule"
        db.session.flush()  # flushed early: the commit must still index it
        db.session.commit()
        assert found("zebrafinch") == [item.id]
        assert found("quokka") == [item.id]


def test_unpublished_and_deleted_articles_leave_the_index(app, library):
    with app.app_context():
        hidden = article("coverline")
        hidden.is_published = False
        db.session.commit()
        assert hidden.id not in found("coverline")
        gone = article("luteal-phase")
        gone_id = gone.id
        db.session.delete(gone)
        db.session.commit()
        assert gone_id not in found("luteal")
        assert get_index().document_count() == len(library) - 2


def test_a_change_through_one_server_reaches_another(tmp_path, library, app):
    """Two app instances, one database, separate index folders, like two servers."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    server_a = make_app(tmp_path / "a", SQLALCHEMY_DATABASE_URI=uri, SEARCH_INDEX_PATH="index", SEARCH_SYNC_INTERVAL=0)
    server_b = make_app(tmp_path / "b", SQLALCHEMY_DATABASE_URI=uri, SEARCH_INDEX_PATH="index", SEARCH_SYNC_INTERVAL=0)
    try:
        with server_b.app_context():
            assert get_index().document_count() == len(library)  # built from the database at start
            assert found("wombatbread") == []
        with server_a.app_context():
            item = article("hcg-levels")
            item.body_text += " Wombatbread."
            db.session.commit()
            changed_id = item.id
        with server_b.app_context():
            assert found("wombatbread") == [changed_id]
            page = server_b.test_client().get("/search?q=wombatbread").get_data(as_text=True)
            assert "/articles/hcg-levels" in page
    finally:
        for server in (server_a, server_b):
            with server.app_context():
                get_index().close()
                db.engine.dispose()


def test_other_servers_wait_for_the_sync_interval(tmp_path, app, library):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    lazy = make_app(tmp_path / "lazy", SQLALCHEMY_DATABASE_URI=uri, SEARCH_SYNC_INTERVAL=3600)
    try:
        with lazy.app_context():
            found("coverline")  # the first search syncs; the next one waits an hour
        with app.app_context():
            article("coverline").body_text += " Capybaraquest."
            db.session.commit()
        with lazy.app_context():
            assert found("capybaraquest") == []
            get_index().catch_up(force=True)
            assert found("capybaraquest") != []
    finally:
        with lazy.app_context():
            db.engine.dispose()


def test_missing_or_damaged_index_is_rebuilt_at_start(tmp_path, app, library, caplog):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    instance = tmp_path / "server"
    server = make_app(instance, SQLALCHEMY_DATABASE_URI=uri, SEARCH_INDEX_PATH="index")
    with server.app_context():
        assert get_index().document_count() == len(library)
        get_index().close()
        db.engine.dispose()
    for segment in Path(instance, "index").glob("*.seg"):
        segment.write_bytes(b"not an index")
    for toc in Path(instance, "index").glob("*.toc"):
        toc.write_bytes(b"garbage")
    caplog.set_level("WARNING")
    server = make_app(instance, SQLALCHEMY_DATABASE_URI=uri, SEARCH_INDEX_PATH="index")
    with server.app_context():
        assert get_index().document_count() == len(library)
        assert found("coverline")
        get_index().close()
        db.engine.dispose()
    assert "rebuilding it from the database" in caplog.text


def test_reindex_while_searching(app, library):
    errors = []

    def search_repeatedly():
        with app.app_context():
            for _ in range(30):
                try:
                    assert get_index().search("sperm").total > 0
                except Exception as exc:  # collected and reported below
                    errors.append(exc)

    thread = threading.Thread(target=search_repeatedly)
    thread.start()
    with app.app_context():
        for _ in range(3):
            assert get_index().rebuild() == len(library)
    thread.join()
    assert errors == []


def test_generation_moves_only_with_article_changes(app, library):
    with app.app_context():
        with db.engine.connect() as connection:
            before = current_generation(connection)
        article("coverline")  # reading changes nothing
        db.session.commit()
        with db.engine.connect() as connection:
            assert current_generation(connection) == before
        article("coverline").summary = "A new dek."
        db.session.commit()
        with db.engine.connect() as connection:
            assert current_generation(connection) == before + 1


def test_a_database_behind_the_index_triggers_a_rebuild(app, library, caplog):
    """A restored or replaced database restarts the generation count: the index must notice."""
    with app.app_context():
        index = get_index()
        index._write_watermark(10_000)  # as if built from a database that had moved further
        caplog.set_level("WARNING")
        assert found("coverline")
        item = article("coverline")
        item.is_published = False
        db.session.commit()
        assert item.id not in found("coverline")
    assert "ahead of the database" in caplog.text


def test_a_damaged_large_index_is_rebuilt_in_the_background_while_pages_are_served(tmp_path, app, library, monkeypatch):
    """A deleted TOC at start: pages answer at once (search says it is being rebuilt), nothing
    waits for the rebuild, and search is back and correct once it is done."""
    from webapp.articles.search_documents import ArticleDocuments

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    instance = tmp_path / "server"
    settings = dict(SQLALCHEMY_DATABASE_URI=uri, SEARCH_INDEX_PATH="index", SEARCH_REBUILD_IN_BACKGROUND_ABOVE=0)
    server = make_app(instance, **settings)
    with server.app_context():
        assert get_index().wait_until_ready(timeout=30)
        assert get_index().document_count() == len(library)
        get_index().close()
        db.engine.dispose()
    for toc in Path(instance, "index").glob("*.toc"):
        toc.unlink()

    release = threading.Event()
    every_document = ArticleDocuments.all_documents

    def held_documents(self):
        assert release.wait(20), "the test never let the rebuild go on"
        yield from every_document(self)

    monkeypatch.setattr(ArticleDocuments, "all_documents", held_documents)
    server = make_app(instance, **settings)  # returns at once: the rebuild waits in its thread
    client = server.test_client()
    try:
        with server.app_context():
            assert not get_index().ready
        for path in ("/", "/articles/", "/articles/coverline"):
            assert client.get(path).status_code == 200
        waiting = client.get("/search?q=coverline").get_data(as_text=True)
        assert "Search is being rebuilt" in waiting
        # A second server on the same folder does not rebuild it too: it waits for this one.
        other = make_app(tmp_path / "other", **{**settings, "SEARCH_INDEX_PATH": str(instance / "index")})
        with other.app_context():
            assert not get_index().ready
        release.set()
        with server.app_context():
            assert get_index().wait_until_ready(timeout=120)  # generous: a shared, loaded machine
            assert get_index().document_count() == len(library)
        page = client.get("/search?q=coverline").get_data(as_text=True)
        assert "Search is being rebuilt" not in page and "coverline" in results_heading(page).lower()
        with other.app_context():
            assert get_index().wait_until_ready(timeout=120)  # generous: a shared, loaded machine
            assert found("coverline")
            db.engine.dispose()
    finally:
        release.set()
        with server.app_context():
            get_index().wait_until_ready(timeout=20)
            get_index().close()
            db.engine.dispose()
