"""Command-line tasks: `flask --app webapp init | articles import [DIR] | reindex | demo`."""

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from .articles.content import ArticleFormatError, read_article_files
from .articles.importer import import_articles
from .extensions import db
from .journal.demo import demo_command
from .search import get_index

BUNDLED_ARTICLES = Path(__file__).parent / "content" / "articles"

articles_cli = AppGroup("articles", help="Manage the public article library.")


def articles_dir(directory: str | None) -> Path:
    return Path(directory or current_app.config["ARTICLES_DIR"] or BUNDLED_ARTICLES)


def run_import(directory: Path) -> None:
    try:
        contents = read_article_files(directory)
    except ArticleFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    if not contents:
        raise click.ClickException(f"No article files (*.md) found in {directory}")
    report = import_articles(contents)
    db.session.commit()
    click.echo(
        f"Articles: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.unpublished} unpublished."
    )


@articles_cli.command("import")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
def import_command(directory: str | None) -> None:
    """Import (upsert by slug) the Markdown articles in DIRECTORY, or the bundled library."""
    run_import(articles_dir(directory))


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Set up or update everything: migrations, bundled articles, search index. Idempotent."""
    upgrade(directory=str(Path(__file__).parent / "migrations"))
    run_import(articles_dir(None))
    index = get_index()
    index.wait_until_ready()
    index.catch_up(force=True)
    click.echo(f"Search index: {index.document_count()} articles. Seedling is ready.")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database (safe while the site serves)."""
    started = time.perf_counter()
    count = get_index().rebuild()
    click.echo(f"Indexed {count} articles in {time.perf_counter() - started:.1f} s.")


def init_commands(app: Flask) -> None:
    app.cli.add_command(articles_cli)
    app.cli.add_command(init_command)
    app.cli.add_command(reindex_command)
    app.cli.add_command(demo_command)
