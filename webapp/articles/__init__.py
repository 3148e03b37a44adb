"""The public library: home page, articles, categories, tags, search and feeds."""

from flask import Blueprint, Flask

bp = Blueprint("articles", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)


def init_app(app: Flask) -> None:
    from . import commands
    from .metadata import init_metadata
    from .page_cache import init_page_cache

    app.register_blueprint(bp)
    init_page_cache(app)
    init_metadata(app)
    commands.init_app(app)
