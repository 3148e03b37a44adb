import shutil

from sqlalchemy import func, select

from webapp.articles.models import Article
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.extensions import db
from webapp.search import get_index


def published_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Article.id)).where(Article.is_published))


def test_articles_import_upserts_and_unpublishes_removed_files(app, runner, tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    total = len(list(folder.glob("*.md")))
    result = runner.invoke(args=["articles", "import", str(folder)])
    assert f"Articles: {total} new" in result.output
    assert published_count(app) == total

    (folder / "coverline.md").unlink()
    text = (folder / "luteal-phase.md").read_text().replace('title: "', 'title: "Updated: ', 1)
    (folder / "luteal-phase.md").write_text(text)
    result = runner.invoke(args=["articles", "import", str(folder)])
    assert "0 new, 1 updated" in result.output and "1 unpublished" in result.output
    assert published_count(app) == total - 1
    with app.app_context():
        assert get_index().document_count() == total - 1
        luteal = db.session.scalar(select(Article).where(Article.slug == "luteal-phase"))
        assert luteal.title.startswith("Updated: ")

    (folder / "coverline.md").write_text((BUNDLED_ARTICLES / "coverline.md").read_text())
    result = runner.invoke(args=["articles", "import", str(folder)])
    assert "1 updated" in result.output
    assert published_count(app) == total


def test_a_bad_article_file_stops_the_import_with_its_reason(app, runner, tmp_path):
    (tmp_path / "good-one.md").write_text("---\ntitle: T\nsummary: S\ncategory: C\npublished: 2026-01-01\n---\nBody.\n")
    (tmp_path / "bad-one.md").write_text("---\ntitle: T\ncategory: C\npublished: 2026-01-01\n---\nBody.\n")
    result = runner.invoke(args=["articles", "import", str(tmp_path)])
    assert result.exit_code != 0
    assert "bad-one.md: 'summary' is required" in result.output
    assert published_count(app) == 0  # nothing half imported


def test_init_is_idempotent(app, runner):
    with app.app_context():
        db.drop_all()  # init creates the schema through the migrations
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "Seedling is ready" in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    assert "0 new, 0 updated" in second.output
    assert published_count(app) >= 24


def test_reindex(app, runner, library):
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0
    assert f"Indexed {len(library)} articles" in result.output
