"""Confirm it's you: re-authentication before sensitive actions (ASVS 3.7.1, 3.3.2).

Downloading a person's data and deleting every journal entry need a session in which the
person proved who they are within REAUTH_MINUTES (15 by default): its sign-in, or a
confirmation on this page since. Older sessions, and every session kept by "keep me signed
in", are sent here first, and on afterwards to where they were going (a path on this site
only). The time is kept on the server, per session (``UserSession.authenticated_at``).

Views opt in with :func:`recent_authentication_required`; the page is in ``reauth_views``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, request, url_for
from flask_login import current_user

from .sessions import authenticated_recently


def _here() -> str:
    """This request's path and query, to come back to after confirming."""
    query = request.query_string.decode("utf-8", "replace")
    return f"{request.path}?{query}" if query else request.path


def recent_authentication_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a signed-in person whose proof is older than REAUTH_MINUTES to confirm it is them.

    Signed-out requests are left to the view's own sign-in check. A POST is not replayed: the
    person comes back to the page (GET) and sends it again."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated and not authenticated_recently(current_user):
            return redirect(url_for("accounts.confirm_it_is_you", next=_here()))
        return view(*args, **kwargs)

    return checked
