"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint

bp = Blueprint("articles", __name__)


def _exempt_from_rate_limits() -> None:
    """Public GET pages have no limits; exempt, the limiter skips its per-request work here."""
    from ..extensions import limiter

    limiter.exempt(bp)


@bp.record_once
def _setup(state) -> None:
    from .fragments import init_fragments
    from .page_cache import init_page_cache
    from .search_page import init_search_page

    _exempt_from_rate_limits()
    init_page_cache(state.app)
    init_fragments(state.app)
    init_search_page(state.app)


from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
