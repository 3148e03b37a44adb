"""An in-process cache of public pages as anonymous readers see them.

Every anonymous reader gets the same bytes for the same address, so rendering once per library
version is enough. The key holds the search generation, which moves with every committed article
change (webapp.search.sync), so a change reaches every server's cache as soon as that server's
index catches up (SEARCH_SYNC_INTERVAL). Anyone with a session or remember cookie (signed in,
or holding a flash message or a form token) always gets a freshly rendered page, and nothing
from the journal is ever on these pages.
"""

import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, make_response, request, session

from ..search import get_index

MAX_PAGES = 1024


class PageCache:
    def __init__(self, max_entries: int = MAX_PAGES):
        self._entries: OrderedDict = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _anonymous_without_cookies() -> bool:
    config = current_app.config
    cookie_names = (config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return request.method == "GET" and not any(name in request.cookies for name in cookie_names)


def cached_public_page(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache | None = current_app.extensions.get("seedling.page_cache")
        if cache is None or not _anonymous_without_cookies():
            return view(*args, **kwargs)
        index = get_index()
        index.sync()
        # Without SITE_URL absolute links follow the (loopback) host, so it is part of the page.
        host = None if current_app.config.get("SITE_URL") else request.host_url
        key = (request.full_path, index.seen_generation, host)
        entry = cache.get(key)
        if entry is not None:
            body, status, mimetype = entry
            return current_app.response_class(body, status=status, mimetype=mimetype)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified and not response.direct_passthrough:
            cache.put(key, (response.get_data(), response.status_code, response.mimetype))
        return response

    return wrapper


def init_page_cache(app) -> None:
    if app.config.get("PAGE_CACHE_ENABLED", True):
        app.extensions["seedling.page_cache"] = PageCache()
