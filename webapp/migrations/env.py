"""Alembic environment for Flask-Migrate: migrations run against the app's own engine.

Unlike the generated template, this leaves logging alone (fileConfig would silence the app's
loggers) and never copies the database URL, password included, into Alembic's config.
"""

import logging

from alembic import context
from flask import current_app

config = context.config
logger = logging.getLogger("alembic.env")
migrate = current_app.extensions["migrate"]


def skip_empty_autogenerate(_context, _revision, directives) -> None:
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(
        url=migrate.db.engine.url, target_metadata=migrate.db.metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    configure_args = dict(migrate.configure_args)
    configure_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    with migrate.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=migrate.db.metadata, **configure_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
