"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint, Flask, request

bp = Blueprint("articles", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)


def _is_library_page() -> bool:
    return request.blueprint == "articles"


def _exempt_from_rate_limits() -> None:
    """Public GET pages have no limits. Exempting the blueprint alone still has the limiter
    resolve every limit on every request (about a tenth of a cached page's CPU); its request
    filter skips that work for library pages (the limiter is one object for every app: once)."""
    from ..extensions import limiter

    limiter.exempt(bp)
    if _is_library_page not in limiter._request_filters:
        limiter.request_filter(_is_library_page)


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
