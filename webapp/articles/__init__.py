"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint

bp = Blueprint("articles", __name__)


@bp.record_once
def _setup(state) -> None:
    from .metadata import init_metadata
    from .page_cache import init_page_cache

    init_page_cache(state.app)
    init_metadata(state.app)


from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
