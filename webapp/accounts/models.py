"""People with an account. Everything in the journal belongs to one of them."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import Model


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    # What Flask-Login keeps in the session and remember cookie instead of the id: replacing it
    # (on a password change or reset) signs out every other session at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    temperature_unit: Mapped[str] = mapped_column(String(1), default="C")  # "C" or "F"
    week_starts_on: Mapped[int] = mapped_column(default=0)  # 0 Monday … 6 Sunday
    secondary_symptom: Mapped[str] = mapped_column(String(10), default="mucus")  # or "cervix"
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id}>"
