"""The private journal: only its owner ever sees an entry."""

from flask import Blueprint

bp = Blueprint("journal", __name__)

from . import models  # noqa: E402,F401  (the tables exist whenever the blueprint does)
from . import routes  # noqa: E402,F401
from . import feed, routes_calendar_feed, routes_chart, routes_stats  # noqa: E402,F401
