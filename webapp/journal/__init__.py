"""The private journal: only its owner ever sees an entry."""

from flask import Blueprint

bp = Blueprint("journal", __name__)

from . import routes  # noqa: E402,F401
