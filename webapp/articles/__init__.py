"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint

bp = Blueprint("articles", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
