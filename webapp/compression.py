"""Gzip for text responses (pages, CSS, JavaScript, feeds) when the browser accepts it.

Skipped for small bodies, streamed or file-passthrough bodies we would have to hold whole,
partial and not-modified answers, and anything already encoded. ``Vary: Accept-Encoding`` keeps
shared caches from handing a compressed body to a client that did not ask for one.

BREACH: a compressed page that holds a secret (the CSRF token, health data) next to text an
attacker chooses (a search query) leaks the secret through its length, if the attacker can make
the person's browser fetch it many times from another site. So pages for a signed-in person,
and account and journal pages, are only compressed for requests the browser marks as coming
from this site or from the person (``Sec-Fetch-Site: same-origin`` or ``none``); static files,
the same for everyone, always are.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

from .security import shows_private_data

MIN_SIZE = 500
LEVEL = 6
TEXT_TYPES = frozenset(
    {
        "application/atom+xml",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
        "text/calendar",
        "text/css",
        "text/html",
        "text/javascript",
        "text/plain",
        "text/xml",
    }
)
OWN_SITE = frozenset({"same-origin", "none"})


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def safe_from_breach() -> bool:
    if request.endpoint == "static" or request.headers.get("Sec-Fetch-Site") in OWN_SITE:
        return True
    return not shows_private_data()


def compressible(response: Response) -> bool:
    if response.status_code != 200 or request.method == "HEAD":
        return False
    # A generator streams on purpose; a file from disk (direct passthrough) has a known length.
    if (response.is_streamed and not response.direct_passthrough) or "Content-Encoding" in response.headers:
        return False
    if response.mimetype not in TEXT_TYPES:
        return False
    # A file sent from disk says its length in its header; a page is measured.
    length = response.content_length if response.direct_passthrough else response.calculate_content_length()
    return length is not None and length >= MIN_SIZE


def compress(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    if not (compressible(response) and accepts_gzip() and safe_from_breach()):
        return response
    # A static file is sent straight from disk; read it (a small CSS or script) to compress it.
    response.direct_passthrough = False
    response.set_data(gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, _ = response.get_etag()
    if etag:
        # Other bytes, the same content: a weak validator (as nginx does), which still answers
        # If-None-Match with 304, since that comparison is weak.
        response.set_etag(etag, weak=True)
    return response


def init_compression(app: Flask) -> None:
    app.after_request(compress)
