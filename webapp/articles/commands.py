"""The library's commands: `flask --app webapp articles import [DIR]`."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .content import ArticleFormatError, read_article_files
from .importer import import_articles
from ..extensions import db

BUNDLED_ARTICLES = Path(__file__).resolve().parents[1] / "content" / "articles"

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


def import_bundled_articles() -> None:
    """The library's part of `flask init`: the configured or bundled articles, upserted."""
    run_import(articles_dir(None))


def init_app(app: Flask) -> None:
    app.cli.add_command(articles_cli)
