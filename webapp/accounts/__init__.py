"""Accounts: registration, sign-in, recovery and settings."""

from flask import Blueprint, Flask

from ..extensions import login_manager
from .models import User
from .sessions import user_for_token

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see your journal."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # The id in the session and remember cookie is a signed-in session's, checked each request.
    return user_for_token(session_id)


from . import passkey_views, reauth_views, routes, second_factor_views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """The blueprint under /accounts, mail (its backend chosen before Flask-Mailman reads the
    settings), and the registry other packages add a person's data sections to."""
    from ..extensions import mail
    from . import data
    from .mail import configure_mail

    configure_mail(app)
    mail.init_app(app)
    data.init_app(app)
    app.register_blueprint(bp, url_prefix="/accounts")
