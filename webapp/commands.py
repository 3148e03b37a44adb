"""`flask --app webapp init`: every package's set-up step, in order. Part of the composition
root (with the factory): the one command that knows every package."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from . import keys
from .articles.commands import import_bundled_articles
from .journal.held_uploads import purge_stale as purge_held_imports
from .search import get_index

MIGRATIONS = Path(__file__).parent / "migrations"


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Set up or update everything: migrations, bundled articles, search index. Idempotent."""
    upgrade(directory=str(MIGRATIONS))
    import_bundled_articles()
    index = get_index()
    index.wait_until_ready()  # a missing index may be rebuilding in the background
    index.catch_up(force=True)
    purge_held_imports()  # uploads nobody confirmed within the hour
    click.echo(f"Search index: {index.document_count()} articles. Seedling is ready.")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_command)
    keys.init_app(app)
