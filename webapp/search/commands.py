"""The search index's command: `flask --app webapp reindex`."""

import time

import click
from flask import Flask
from flask.cli import with_appcontext

from . import get_index


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database (safe while the site serves)."""
    started = time.perf_counter()
    count = get_index().rebuild()
    click.echo(f"Indexed {count} articles in {time.perf_counter() - started:.1f} s.")


def init_app(app: Flask) -> None:
    app.cli.add_command(reindex_command)
