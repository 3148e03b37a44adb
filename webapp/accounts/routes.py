"""Register, sign in and out, reset a forgotten password, and the settings page."""

import hashlib
import hmac
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, select
from werkzeug.wrappers import Response as BaseResponse

from ..clock import DEFAULT_ZONE, utcnow
from ..database import checkpoint_wal
from ..extensions import db, limiter
from . import alerts, audit, bp, second_factor, throttle
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmEmailForm,
    DeleteAccountForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignOutDeviceForm,
    TimeZoneForm,
)
from .mail import reset_message, send_address_in_use, send_email_changed, send_email_confirmation, send_password_changed, send_password_reset
from .models import User
from .data import export_user_data, forget_user, settings_templates
from .passwords import hash_password, spend_hashing_time, verify_password
from .reauth import recent_authentication_required
from .second_factor_settings import second_factor_settings
from .sessions import end_other_sessions, end_session, sessions_of, start_session
from .tokens import email_change_for_token, make_decoy_token, make_email_change_token, make_reset_token, user_for_reset_token

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


def email_and_address_key() -> str:
    return f"{email_key()}:address:{get_remote_address()}"


def account_key() -> str:
    return f"account:{getattr(current_user, 'id', 'anonymous')}"


def not_redirected(response: Response) -> bool:
    """Count only failed attempts: a success redirects."""
    return response.status_code != 302


def per_address(name: str = "RATELIMIT_ACCOUNT_ADDRESS"):
    return limiter.limit(configured_limit(name), methods=["POST"], on_breach=alerts.on_breach(name))


def per_email(name: str, only_failures: bool = False, key_func: Callable[[], str] = email_key, scope: str = "email"):
    return limiter.limit(
        configured_limit(name),
        key_func=key_func,
        methods=["POST"],
        deduct_when=not_redirected if only_failures else None,
        scope=scope,
        on_breach=alerts.on_breach(name),
    )


def per_account_failures():
    return limiter.limit(
        configured_limit("RATELIMIT_PASSWORD_CHECKS_ACCOUNT"),
        key_func=account_key,
        methods=["POST"],
        deduct_when=not_redirected,
        exempt_when=lambda: not current_user.is_authenticated,
        scope="account",
        on_breach=alerts.on_breach("RATELIMIT_PASSWORD_CHECKS_ACCOUNT"),
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
    """New hash and new token: every link already sent, and every other session, stop working."""
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    end_other_sessions(user)


def sign_in(user: User, remember: bool = False) -> None:
    """A fresh session for the person: nothing from before sign-in carries over into it."""
    session.clear()
    start_session(user, remember)
    db.session.commit()
    login_user(user, remember=remember)


def complete_sign_in(user: User, remember: bool, next_path: str | None, kind: str = "sign_in") -> BaseResponse:
    """Every check passed (password, code or passkey): the session, the audit trail, the way on."""
    sign_in(user, remember=remember)
    new_device = not audit.is_known_device(user, request)
    if new_device:
        audit.record(user.id, "new_device", request, commit=False)
    audit.record(user.id, kind, request)
    response = redirect(safe_next(next_path))
    if new_device:
        audit.remember_device(user, response)
    return response


def sign_out() -> None:
    """End this browser's session on the server too, so a copied cookie is worth nothing."""
    if current_user.is_authenticated:
        end_session(current_user, current_user.current_session_id)
        db.session.commit()
    session.clear()
    logout_user()


# --------------------------------------------------------------------------- sign up, in, out


@bp.route("/register", methods=["GET", "POST"])
@per_address()
@per_email("RATELIMIT_REGISTER_EMAIL")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("journal.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        password_hash = hash_password(form.password.data)  # the same work whether or not it is taken
        if email_taken(form.email.data):
            # The same answer as for a free address, so the form cannot be used to find out who
            # has an account; the address's owner hears about it instead.
            send_address_in_use(form.email.data, "register")
        else:
            user = User(email=form.email.data, password_hash=password_hash, time_zone=form.chosen_time_zone())
            db.session.add(user)
            db.session.commit()
            sign_in(user)
        flash("Welcome to Seedling. Your private journal is ready.", "success")
        return redirect(url_for("journal.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@per_address()
@per_email("RATELIMIT_LOGIN_EMAIL_ADDRESS", only_failures=True, key_func=email_and_address_key, scope="email-address")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        throttle.slow_down_if_guessed(email_key())
        user = find_user(form.email.data)
        if user is None:
            spend_hashing_time(form.password.data)  # unknown and known emails take as long
        elif verify_password(user.password_hash, form.password.data):
            if second_factor.has_second_factor(user):
                # Half signed in: nothing private until the code is right (second_factor_views).
                second_factor.begin_pending_sign_in(user, form.remember.data, request.args.get("next"))
                return redirect(url_for("accounts.sign_in_code"))
            return complete_sign_in(user, form.remember.data, request.args.get("next"))
        throttle.record_failure(email_key())
        form.form_errors.append(LOGIN_FAILED)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    sign_out()
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
        audit.record(user.id, "password_reset", request, commit=False)
        db.session.commit()
        send_password_changed(user.email)
        if second_factor.has_second_factor(user):
            # A reset proves the mailbox, not the second factor: the code is still asked for.
            second_factor.begin_pending_sign_in(user, False, None)
            flash("Your password has been changed. To sign in, enter a code from your authenticator app.", "success")
            return redirect(url_for("accounts.sign_in_code"))
        sign_in(user)
        flash("Your password has been changed. You have been signed out everywhere else.", "success")
        return redirect(url_for("journal.home"))
    return render_template("accounts/reset_password.html", form=form)


# --------------------------------------------------------------------------- settings


def render_settings(**forms):
    user = current_user
    forms.setdefault("devices", sessions_of(user))
    forms.setdefault("activity", audit.recent(user))
    forms.setdefault("activity_label", audit.label)
    if "preferences" not in forms:
        forms["preferences"] = PreferencesForm(formdata=None, obj=user)
        # No zone stored: the journal counts in DEFAULT_ZONE, so that is the one selected (else
        # the browser shows the list's first zone, which a save of the preferences would keep).
        forms["preferences"].time_zone.data = user.time_zone or DEFAULT_ZONE
    forms.setdefault("email_form", ChangeEmailForm(formdata=None))
    forms.setdefault("password_form", ChangePasswordForm(formdata=None, email=user.email))
    forms.setdefault("second_factor", second_factor_settings(user))
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
    if "time_zone" in request.form:  # left out of a post (an older form), it stays as it is
        current_user.time_zone = form.time_zone.data or None
    db.session.commit()
    flash("Your preferences are saved.", "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/time-zone")
@login_required
def save_time_zone():
    """The one-tap offer of the browser's time zone (static/js/time-zone.js shows it)."""
    form = TimeZoneForm()
    if not form.validate_on_submit():
        flash(" ".join(form.time_zone.errors) or "Please try again.", "error")
        return redirect(url_for("accounts.settings"))
    current_user.time_zone = form.time_zone.data
    db.session.commit()
    flash(f"Your journal now uses the time zone {form.time_zone.data}.", "success")
    return redirect(safe_next(request.form.get("next")))


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
        else:
            if email_taken(new_email, except_user=current_user):
                send_address_in_use(new_email, "change")  # the same answer: no one learns who has an account
            else:
                send_email_confirmation(new_email, make_email_change_token(current_user, new_email))
            flash(f"We have sent a link to {new_email}. Your address changes when you open it (within an hour).", "info")
            return redirect(url_for("accounts.settings"))
    return render_settings(email_form=form)


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@per_address()
def confirm_email(token: str):
    """The new address's link: a page with a button, so a mail scanner's fetch changes nothing."""
    change = email_change_for_token(token) if len(token) <= MAX_TOKEN_LENGTH else None
    if change is None or email_taken(change[1], except_user=change[0]):
        return render_template("accounts/link_invalid.html")
    user, new_email = change
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        old_email = user.email
        this_device = current_user.is_authenticated and current_user.id == user.id
        user.email = new_email
        user.rotate_session_token()  # links sent to the old address stop working
        if this_device:
            user.attach_session(current_user.login_token, current_user.current_session_id)
        else:
            user.attach_session(None, None)
        end_other_sessions(user)  # every other device is signed out
        audit.record(user.id, "email_changed", request, commit=False)
        db.session.commit()
        send_email_changed(old_email, new_email)
        if this_device:
            flash(f"Your email address is now {new_email}. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.settings"))
        flash(f"Your email address is now {new_email}. Please sign in with it.", "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/confirm_email.html", form=form, new_email=new_email)


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
            set_new_password(user, form.new_password.data)  # this session stays
            audit.record(user.id, "password_changed", request, commit=False)
            db.session.commit()
            send_password_changed(user.email)
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.settings"))
    return render_settings(password_form=form)


@bp.post("/settings/sessions/<int:session_id>/sign-out")
@login_required
def sign_out_device(session_id: int):
    if not SignOutDeviceForm().validate_on_submit():
        abort(400)
    if session_id == current_user.current_session_id:
        sign_out()
        flash("You are signed out.", "info")
        return redirect(url_for("articles.home"))
    if not end_session(current_user, session_id):
        abort(404)
    db.session.commit()
    flash("That device is signed out.", "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/sessions/sign-out-others")
@login_required
def sign_out_other_devices():
    if not SignOutDeviceForm().validate_on_submit():
        abort(400)
    end_other_sessions(current_user)
    db.session.commit()
    flash("You are signed out on every other device.", "success")
    return redirect(url_for("accounts.settings"))


@bp.get("/settings/export")
@login_required
@recent_authentication_required
def export():
    data = export_user_data(current_user._get_current_object())
    audit.record(current_user.id, "export", request)
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
            checkpoint_wal()
            forget_user(user_id)
            session.clear()  # the sessions' rows went with the account
            logout_user()
            flash("Your account and your whole journal have been deleted.", "info")
            return redirect(url_for("articles.home"))
        form.password.errors.append("That is not your current password.")
    return render_template("accounts/delete.html", form=form)
