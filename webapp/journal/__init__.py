"""The private journal: only its owner ever sees an entry.

Two blueprints: ``journal`` (every page needs a session) and ``calendar_feed`` (the private
calendar address, read by calendar apps without a session: its token is the key).
"""

from flask import Blueprint

bp = Blueprint("journal", __name__)
feed_bp = Blueprint("calendar_feed", __name__)

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
    notes,
    stats,
    tests,
)
