"""The private journal: only its owner ever sees an entry.

Two blueprints: ``journal`` (every page needs a session) and ``calendar_feed`` (the private
calendar address, read by calendar apps without a session: its token is the key).
"""

from flask import Flask

from .blueprints import bp, feed_bp

from . import models  # noqa: E402,F401  (the tables exist whenever the blueprint does)
from . import templating  # noqa: E402,F401
from .views import (  # noqa: E402,F401
    calendar,
    chart,
    cycles,
    data,
    days,
    donors,
    feed,
    home,
    inseminations,
    intercourse,
    medicines,
    notes,
    progesterone,
    stats,
    tests,
)


def init_app(app: Flask) -> None:
    """Register the journal: its blueprints, engine caches, revision counter, account data
    section and ``demo`` command."""
    from ..accounts.data import DataSection, register_section
    from . import revisions
    from .demo import demo_command
    from .history import JournalCaches, forget_user
    from .page import init_journal_frames
    from .portability import export_journal

    app.register_blueprint(bp, url_prefix="/journal")
    app.register_blueprint(feed_bp)
    app.extensions[JournalCaches.EXTENSION] = JournalCaches()
    init_journal_frames(app)
    revisions.listen()
    register_section(
        app,
        DataSection(
            "journal",
            export=lambda user: export_journal(user.id),
            forget=forget_user,
            settings_template="journal/_partials/data_downloads.html",
        ),
    )
    app.cli.add_command(demo_command)
