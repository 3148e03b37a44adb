"""Accounts: registration, sign-in, recovery and settings."""

from flask import Blueprint
from sqlalchemy import select

from ..extensions import db, login_manager
from .models import User

bp = Blueprint("accounts", __name__)

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please sign in to see your journal."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token))


from . import routes  # noqa: E402,F401
