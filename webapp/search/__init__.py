"""Full-text search over the public library (never the journal)."""

from pathlib import Path

from flask import Flask, current_app

from .index import DocumentSource, IndexRebuilding, SearchDocument, SearchIndex, SearchPage
from .snippets import make_snippet
from .sync import EXTENSION_KEY, SearchGeneration, register_session_events

__all__ = [
    "DocumentSource", "IndexRebuilding", "SearchDocument", "SearchGeneration", "SearchIndex", "SearchPage",
    "get_index", "init_search", "make_snippet",
]


def init_search(app: Flask, source: DocumentSource) -> SearchIndex:
    register_session_events()
    configured = app.config["SEARCH_INDEX_PATH"]
    path = None if configured == ":memory:" else Path(app.instance_path, configured)
    index = SearchIndex(
        source,
        path,
        writer_timeout=float(app.config["SEARCH_WRITER_TIMEOUT"]),
        sync_interval=float(app.config["SEARCH_SYNC_INTERVAL"]),
        max_query_length=int(app.config["SEARCH_MAX_QUERY_LENGTH"]),
        rebuild_in_background_above=int(app.config["SEARCH_REBUILD_IN_BACKGROUND_ABOVE"]),
        background_context=app.app_context,
    )
    app.extensions[EXTENSION_KEY] = index
    with app.app_context():
        index.open(rebuild_if_missing=source_is_ready(source))
    return index


def source_is_ready(source: DocumentSource) -> bool:
    """Before `init` has created the tables there is nothing to index yet."""
    try:
        source.generation()
    except Exception:
        return False
    return True


def get_index() -> SearchIndex:
    return current_app.extensions[EXTENSION_KEY]
