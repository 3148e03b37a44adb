"""Friendly error pages; a 500 also rolls back whatever the request left half done."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .extensions import db

MESSAGES = {
    400: ("This request could not be understood", "Something in it was malformed. Please go back and try again."),
    403: ("This page is not available to you", "If you think this is a mistake, sign in and try again."),
    404: ("We could not find that page", "It may have moved, or the address may have a typo."),
    405: ("That action is not allowed here", "Please go back and use the page's own buttons."),
    413: ("That was too much to send at once", "Please send less, or split it into smaller parts."),
    429: ("Too many attempts", "For your safety we have paused this for a little while. Please wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again in a moment."),
}


def render_error(status: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    return (
        render_template("errors/error.html", status=status, title=title or default_title, message=message or default_message),
        status,
    )


def init_errors(app: Flask) -> None:
    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            "This form has expired",
            "For your security, forms can only be sent from this site's own pages. Please go back, reload the page and try again.",
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
