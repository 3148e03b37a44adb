"""People with an account. Everything in the journal belongs to one of them."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import Model


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    # Part of every reset and email-change link's fingerprint: replacing it (on a password
    # change or reset) makes every link already sent stop working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    temperature_unit: Mapped[str] = mapped_column(String(1), default="C")  # "C" or "F"
    week_starts_on: Mapped[int] = mapped_column(default=0)  # 0 Monday … 6 Sunday
    secondary_symptom: Mapped[str] = mapped_column(String(10), default="mucus")  # or "cervix"
    # An IANA name ("Pacific/Auckland"): what "today" is for this person (webapp.clock.today_for).
    # None for accounts made before the setting existed: they keep the server's UTC date.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def attach_session(self, token: str | None, session_id: int | None) -> None:
        """The signed-in session this request came with (see accounts.sessions): Flask-Login
        keeps its random id, not the user's, in the session and remember cookies."""
        self._login_token, self._session_id = token, session_id

    @property
    def login_token(self) -> str | None:
        return getattr(self, "_login_token", None)

    @property
    def current_session_id(self) -> int | None:
        return getattr(self, "_session_id", None)

    def get_id(self) -> str | None:
        return self.login_token

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserSession(Model):
    """One signed-in browser. Only a hash of its random id is stored: the id itself lives in
    that browser's cookies. Deleting the row signs the browser out."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the person last proved it was them in this session: the sign-in, or a "confirm it's
    # you" since (accounts.reauth). None in rows made before the column: created_at counts.
    authenticated_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(120), default="")  # "Firefox on Linux", no version
    remember: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<UserSession {self.id} of user {self.user_id}>"


class AuditEvent(Model):
    """Something that happened to an account, shown to its owner: what, when and from which
    address. Nothing else fits in it, so no journal content can ever end up here."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of accounts.audit.KINDS
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(45), default="")  # IPv4 or IPv6, as the app sees it


class AuthenticatorApp(Model):
    """A person's authenticator app (TOTP). Unconfirmed until they type a first code: only a
    confirmed one is asked for at sign-in. The secret is stored sealed (accounts.sealing)."""

    __tablename__ = "authenticator_app"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    sealed_secret: Mapped[str] = mapped_column(String(200))
    # The last time step a code was accepted for: that code, and every earlier one, is spent.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"<AuthenticatorApp of user {self.user_id}>"


class RecoveryCode(Model):
    """A single-use code for when the authenticator app is lost. Only its SHA-256 is kept: the
    code is 80 random bits, far too many to guess from the hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class Passkey(Model):
    """A WebAuthn credential (a passkey) a person signs in with instead of a password."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    def __repr__(self) -> str:
        return f"<Passkey {self.id} of user {self.user_id}>"
