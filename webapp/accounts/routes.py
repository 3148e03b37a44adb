"""Register, sign in and out, reset a forgotten password, and the settings page."""

import hashlib
import hmac
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, select

from ..clock import utcnow
from ..extensions import db, limiter
from . import bp
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from .mail import reset_message, send_email_changed, send_password_changed, send_password_reset
from .models import User
from .data import export_user_data, forget_user, settings_templates
from .passwords import hash_password, spend_hashing_time, verify_password
from .tokens import make_decoy_token, make_reset_token, user_for_reset_token

LOGIN_FAILED = "That email address and password do not match an account. Please check them and try again."
MAX_TOKEN_LENGTH = 512


# --------------------------------------------------------------------------- helpers


def configured_limit(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def email_key() -> str:
    """Rate-limit key for the email typed into a form; keyed-hashed so no address sits in the store."""
    email = (request.form.get("email") or "").strip().lower()
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(secret, email.encode(), hashlib.sha256)
    return "email:" + digest.hexdigest()


def account_key() -> str:
    return f"account:{getattr(current_user, 'id', 'anonymous')}"


def not_redirected(response: Response) -> bool:
    """Count only failed attempts: a success redirects."""
    return response.status_code != 302


def per_address(name: str = "RATELIMIT_ACCOUNT_ADDRESS"):
    return limiter.limit(configured_limit(name), methods=["POST"])


def per_email(name: str, only_failures: bool = False):
    return limiter.limit(
        configured_limit(name),
        key_func=email_key,
        methods=["POST"],
        deduct_when=not_redirected if only_failures else None,
        scope="email",
    )


def per_account_failures():
    return limiter.limit(
        configured_limit("RATELIMIT_PASSWORD_CHECKS_ACCOUNT"),
        key_func=account_key,
        methods=["POST"],
        deduct_when=not_redirected,
        exempt_when=lambda: not current_user.is_authenticated,
        scope="account",
    )


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else (another host, a scheme) goes to the journal."""
    if target and is_local_path(target):
        return target
    return url_for("journal.home")


def is_local_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def email_taken(email: str, except_user: User | None = None) -> bool:
    query = select(User.id).where(User.email == email)
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query) is not None


def set_new_password(user: User, password: str) -> None:
    """New hash and new session token: every other session and remember cookie stops working."""
    user.password_hash = hash_password(password)
    user.rotate_session_token()


def sign_in(user: User, remember: bool = False) -> None:
    """A fresh session for the person: nothing from before sign-in carries over into it."""
    session.clear()
    login_user(user, remember=remember)


def stay_signed_in(user: User) -> None:
    """Sign this browser back in under the new session token, keeping "remember me" if it was on."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remembered)


# --------------------------------------------------------------------------- sign up, in, out


@bp.route("/register", methods=["GET", "POST"])
@per_address()
@per_email("RATELIMIT_REGISTER_EMAIL")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("journal.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        if email_taken(form.email.data):
            form.email.errors.append("An account with this email address already exists. Would you like to sign in instead?")
        else:
            user = User(email=form.email.data, password_hash=hash_password(form.password.data))
            db.session.add(user)
            db.session.commit()
            sign_in(user)
            flash("Welcome to Seedling. Your private journal is ready.", "success")
            return redirect(url_for("journal.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@per_address()
@per_email("RATELIMIT_LOGIN_EMAIL", only_failures=True)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            spend_hashing_time(form.password.data)  # unknown and known emails take as long
        elif verify_password(user.password_hash, form.password.data):
            sign_in(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        form.form_errors.append(LOGIN_FAILED)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    session.clear()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("articles.home"))


# --------------------------------------------------------------------------- password reset


@bp.route("/reset", methods=["GET", "POST"])
@per_address()
@per_email("RATELIMIT_RESET_EMAIL")
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None:
            send_password_reset(user.email, make_reset_token(user))
        else:
            # The same signing and rendering, never sent: the answer takes as long either way.
            reset_message(form.email.data, make_decoy_token())
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@per_address()
def reset_password(token: str):
    user = user_for_reset_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if user is None:
        return render_template("accounts/reset_invalid.html")
    form = ResetPasswordForm(email=user.email)
    # DataRequired: a valid form always has the password.
    if form.validate_on_submit() and form.password.data is not None:
        set_new_password(user, form.password.data)
        db.session.commit()
        sign_in(user)
        send_password_changed(user.email)
        flash("Your password has been changed. You have been signed out everywhere else.", "success")
        return redirect(url_for("journal.home"))
    return render_template("accounts/reset_password.html", form=form)


# --------------------------------------------------------------------------- settings


def render_settings(**forms):
    user = current_user
    forms.setdefault("preferences", PreferencesForm(formdata=None, obj=user))
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    forms.setdefault("password_form", ChangePasswordForm(formdata=None, email=user.email))
    return render_template("accounts/settings.html", data_templates=settings_templates(), **forms)


@bp.get("/settings")
@login_required
def settings():
    return render_settings()


@bp.post("/settings/preferences")
@login_required
def save_preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        return render_settings(preferences=form)
    current_user.temperature_unit = form.temperature_unit.data
    current_user.week_starts_on = form.week_starts_on.data
    if form.secondary_symptom.data in ("mucus", "cervix"):
        current_user.secondary_symptom = form.secondary_symptom.data
    db.session.commit()
    flash("Your preferences are saved.", "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/email")
@login_required
@per_account_failures()
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new_email = form.new_email.data
        if not verify_password(current_user.password_hash, form.email_password.data):
            form.email_password.errors.append("That is not your current password.")
        elif new_email == current_user.email:
            form.new_email.errors.append("That is already your email address.")
        elif email_taken(new_email, except_user=current_user):
            form.new_email.errors.append("Another account already uses this email address.")
        else:
            old_email = current_user.email
            current_user.email = new_email
            db.session.commit()
            send_email_changed(old_email, new_email)
            flash(f"Your email address is now {new_email}.", "success")
            return redirect(url_for("accounts.settings"))
    return render_settings(email_form=form)


@bp.post("/settings/password")
@login_required
@per_account_failures()
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(email=user.email)
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            set_new_password(user, form.new_password.data)
            db.session.commit()
            stay_signed_in(user)
            send_password_changed(user.email)
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.settings"))
    return render_settings(password_form=form)


@bp.get("/settings/export")
@login_required
def export():
    data = export_user_data(current_user._get_current_object())
    filename = f"seedling-export-{utcnow():%Y-%m-%d}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
@per_account_failures()
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            user_id = current_user.id
            # One statement: the database's ON DELETE CASCADE removes every row that is theirs.
            db.session.execute(delete(User).where(User.id == user_id))
            db.session.commit()
            forget_user(user_id)
            session.clear()
            logout_user()
            flash("Your account and your whole journal have been deleted.", "info")
            return redirect(url_for("articles.home"))
        form.password.errors.append("That is not your current password.")
    return render_template("accounts/delete.html", form=form)
