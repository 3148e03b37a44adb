"""Absolute links and the hosts this app answers to.

An absolute link (in an email, the feed, the sitemap, a canonical link) must never follow a
request's Host header, or anyone could make Seedling mail a reset link pointing at their own
site, or poison the anonymous page cache. So links come from SITE_URL. Without SITE_URL (a
developer's `flask run`) only loopback hosts are served, so the request's host is then safe to
use.
"""

import ipaddress

from flask import Flask, abort, current_app, request, url_for
from werkzeug.routing import IntegerConverter

# The largest id every supported database binds for an Integer column: PostgreSQL's INTEGER
# is 32-bit (SQLite's would take up to 2**63 - 1).
LARGEST_ID = 2**31 - 1


def external_url(endpoint: str, **values) -> str:
    """An absolute link to an endpoint: SITE_URL + path, or the (loopback) request's host."""
    site_url = current_app.config.get("SITE_URL")
    if not site_url:
        return url_for(endpoint, _external=True, **values)
    # The path alone, built without any request: SITE_URL may carry a prefix such as /library.
    current_app.inject_url_defaults(endpoint, values)
    path = current_app.url_map.bind("site.invalid").build(endpoint, values)
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or [::1], with or without a port."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not _is_port_suffix(rest)):
            return False
    else:
        name, colon, port = host.partition(":")
        if colon and not _is_port_suffix(":" + port):
            return False
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_port_suffix(text: str) -> bool:
    return text.startswith(":") and text[1:].isdigit() and 0 < int(text[1:]) < 65536


def refuse_other_hosts() -> None:
    """Without SITE_URL, links follow the Host header: serve only hosts that cannot be forged
    from outside this machine."""
    if not is_loopback_host(request.host):
        abort(400)


class DatabaseIntegerConverter(IntegerConverter):
    """<int:…> that cannot reach the database with a number it cannot bind: beyond LARGEST_ID
    the route does not match, so the answer is a 404 rather than an OverflowError's 500."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = LARGEST_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_converters(app: Flask) -> None:
    """Before any blueprint: rules pick their converter when they are added."""
    app.url_map.converters["int"] = DatabaseIntegerConverter


def init_urls(app: Flask) -> None:
    app.jinja_env.globals["external_url"] = external_url
    # An operator's own TRUSTED_HOSTS (Flask checks it) replaces the loopback-only default.
    if not app.config.get("SITE_URL") and app.config.get("TRUSTED_HOSTS") is None:
        app.before_request_funcs.setdefault(None, []).insert(0, refuse_other_hosts)
