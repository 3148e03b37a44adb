"""The journal's two blueprints: ``journal`` (every page needs a session) and ``calendar_feed``
(the private calendar address, read by calendar apps without a session: its token is the key).
Defined apart from the package so that views import them without importing each other."""

from flask import Blueprint

bp = Blueprint("journal", __name__)
feed_bp = Blueprint("calendar_feed", __name__)
