"""Pages of the second factor: the code step of sign-in, and turning the app on and off."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
import segno

from ..extensions import db, limiter
from . import alerts, audit, bp, second_factor, totp
from .passwords import verify_password
from .routes import complete_sign_in, configured_limit, per_account_failures, per_address, render_settings, safe_next
from .second_factor_forms import NewRecoveryCodesForm, SignInCodeForm, TurnOffAppForm, TurnOnAppForm
from .second_factor_settings import second_factor_settings

WRONG_CODE = "That code is not right, or it has been used already. Please try the newest code."
NOT_YOUR_PASSWORD = "That is not your current password."


def pending_account_key() -> str:
    return f"second-factor:{second_factor.pending_user_id()}"


def pending_account_and_address_key() -> str:
    return f"{pending_account_key()}:address:{get_remote_address()}"


def code_refused(response) -> bool:
    """A wrong code shows the form again; a right one redirects, and a refusal (429) of one
    limit must not count against the other."""
    return response.status_code == 200


def wrong_codes(name: str, key_func, scope: str):
    """Failed codes only, counted for the account being signed in to."""
    return limiter.limit(
        configured_limit(name), key_func=key_func, methods=["POST"], deduct_when=code_refused, scope=scope, on_breach=alerts.on_breach(name)
    )


# --------------------------------------------------------------------------- sign-in


@bp.route("/login/code", methods=["GET", "POST"])
@per_address()
@wrong_codes("RATELIMIT_SECOND_FACTOR_ACCOUNT_ADDRESS", pending_account_and_address_key, "second-factor-address")
@wrong_codes("RATELIMIT_SECOND_FACTOR_ACCOUNT", pending_account_key, "second-factor-account")
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    pending = second_factor.pending_sign_in()
    if pending is None:
        flash("Please sign in again: that sign-in was not finished in time.", "info")
        return redirect(url_for("accounts.login"))
    form = SignInCodeForm()
    if form.validate_on_submit() and form.code.data:
        kind = second_factor.spend_code(pending.user, form.code.data)
        if kind is not None:
            db.session.commit()  # the code is spent before anything else can fail
            response = complete_sign_in(pending.user, pending.remember, pending.next, "sign_in_recovery" if kind == "recovery" else "sign_in_code")
            if kind == "recovery":  # after the sign-in, which starts a fresh session
                left = second_factor.recovery_codes_left(pending.user)
                flash(f"You used a recovery code: {left} left. You can make new ones in your settings.", "info")
            return response
        db.session.rollback()
        form.code.errors.append(WRONG_CODE)
    return render_template("accounts/sign_in_code.html", form=form)


# --------------------------------------------------------------------------- settings


def qr_code_svg(uri: str) -> str:
    """The otpauth:// address as an SVG data URI: drawn here, no third party sees the secret."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#1f2a24", light="#ffffff")


def render_set_up(form: TurnOnAppForm):
    _app, secret = second_factor.setup_in_progress(current_user)
    db.session.commit()
    uri = totp.provisioning_uri(secret, current_user.email, current_app.config["SITE_NAME"])
    grouped = " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))
    return render_template("accounts/authenticator_set_up.html", form=form, secret=grouped, uri=uri, qr_code=qr_code_svg(uri))


@bp.get("/settings/authenticator")
@login_required
def set_up_authenticator():
    if second_factor.has_second_factor(current_user):
        return redirect(url_for("accounts.settings", _anchor="second-factor-heading"))
    return render_set_up(TurnOnAppForm(formdata=None))


@bp.post("/settings/authenticator")
@login_required
@per_account_failures()
def turn_on_authenticator():
    if second_factor.has_second_factor(current_user):
        return redirect(url_for("accounts.settings"))
    user = current_user._get_current_object()
    form = TurnOnAppForm()
    if form.validate_on_submit() and form.code.data:
        if not verify_password(user.password_hash, form.app_password.data):
            form.app_password.errors.append(NOT_YOUR_PASSWORD)
        else:
            codes = second_factor.confirm_setup(user, form.code.data)
            if codes is not None:
                audit.record(user.id, "app_turned_on", request, commit=False)
                db.session.commit()
                # Shown once, on this page, never again: only their hashes are kept.
                return render_template("accounts/recovery_codes.html", codes=codes, just_turned_on=True)
            form.code.errors.append(WRONG_CODE)
    return render_set_up(form)


@bp.post("/settings/authenticator/off")
@login_required
@per_account_failures()
def turn_off_authenticator():
    user = current_user._get_current_object()
    form = TurnOffAppForm()
    if form.validate_on_submit():
        if verify_password(user.password_hash, form.off_password.data):
            second_factor.turn_off(user)
            audit.record(user.id, "app_turned_off", request, commit=False)
            db.session.commit()
            flash("Two-step sign-in is off: your password alone now signs you in.", "success")
            return redirect(url_for("accounts.settings"))
        form.off_password.errors.append(NOT_YOUR_PASSWORD)
    return render_settings(second_factor=second_factor_settings(user, off_form=form))


@bp.post("/settings/recovery-codes")
@login_required
@per_account_failures()
def new_recovery_codes():
    user = current_user._get_current_object()
    if not second_factor.has_second_factor(user):
        return redirect(url_for("accounts.settings"))
    form = NewRecoveryCodesForm()
    if form.validate_on_submit():
        if verify_password(user.password_hash, form.codes_password.data):
            codes = second_factor.replace_recovery_codes(user)
            audit.record(user.id, "recovery_codes_new", request, commit=False)
            db.session.commit()
            return render_template("accounts/recovery_codes.html", codes=codes, just_turned_on=False)
        form.codes_password.errors.append(NOT_YOUR_PASSWORD)
    return render_settings(second_factor=second_factor_settings(user, codes_form=form))
