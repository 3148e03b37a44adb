"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint, Flask

bp = Blueprint("articles", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)


def _exempt_from_rate_limits() -> None:
    """Public GET pages have no limits; exempt, the limiter skips its per-request work here."""
    from ..extensions import limiter

    limiter.exempt(bp)


def init_app(app: Flask) -> None:
    from . import commands
    from .fragments import init_fragments
    from .metadata import init_metadata
    from .page_cache import init_page_cache
    from .search_page import init_search_page

    _exempt_from_rate_limits()
    app.register_blueprint(bp)
    init_page_cache(app)
    init_fragments(app)
    init_search_page(app)
    init_metadata(app)
    commands.init_app(app)
