"""Passkey pages: adding and removing one in the settings, and signing in with one.

The ceremonies need JavaScript (static/js/passkeys.js, which talks JSON to these routes); without
it the passkey controls stay hidden and the password form works as ever.
"""

from flask import Response, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from ..extensions import db, limiter
from . import alerts, audit, bp, passkeys
from .passwords import verify_password
from .routes import account_key, complete_sign_in, configured_limit, per_address
from .second_factor_forms import AddPasskeyForm, RemovePasskeyForm
from .second_factor_views import NOT_YOUR_PASSWORD


def refusal(message: str, status: int = 400) -> tuple[Response, int]:
    return jsonify(error=message), status


def wrong_password(response) -> bool:
    return response.status_code == 403


def options_response(options_json: str) -> Response:
    return current_app.response_class(options_json, mimetype="application/json")


# --------------------------------------------------------------------------- settings


@bp.post("/settings/passkeys/options")
@login_required
@limiter.limit(
    configured_limit("RATELIMIT_PASSWORD_CHECKS_ACCOUNT"),
    key_func=account_key,
    deduct_when=wrong_password,
    scope="account",
    on_breach=alerts.on_breach("RATELIMIT_PASSWORD_CHECKS_ACCOUNT"),
)
def passkey_registration_options():
    form = AddPasskeyForm()
    if not form.validate_on_submit() or not form.passkey_name.data:
        problems = [error for field in form for error in field.errors]
        return refusal(" ".join(problems) or "Please check the form.")
    if not verify_password(current_user.password_hash, form.passkey_password.data):
        return refusal(NOT_YOUR_PASSWORD, 403)
    return options_response(passkeys.registration_options(current_user, form.passkey_name.data.strip()))


@bp.post("/settings/passkeys")
@login_required
def add_passkey():
    try:
        passkey = passkeys.add_passkey(current_user, request.get_data(as_text=True))
    except passkeys.PasskeyRefused as refused:
        return refusal(str(refused))
    audit.record(current_user.id, "passkey_added", request, commit=False)
    db.session.commit()
    flash(f"Your passkey “{passkey.name}” is added: you can sign in with it.", "success")
    return jsonify(next=url_for("accounts.settings"))


@bp.post("/settings/passkeys/<int:passkey_id>/remove")
@login_required
def remove_passkey(passkey_id: int):
    if not RemovePasskeyForm().validate_on_submit():
        abort(400)
    if not passkeys.remove_passkey(current_user, passkey_id):
        abort(404)
    audit.record(current_user.id, "passkey_removed", request, commit=False)
    db.session.commit()
    flash("That passkey is removed: it no longer signs you in.", "success")
    return redirect(url_for("accounts.settings"))


# --------------------------------------------------------------------------- sign-in


@bp.post("/login/passkey/options")
@per_address()
def passkey_sign_in_options():
    if not RemovePasskeyForm().validate_on_submit():  # the CSRF token alone
        abort(400)
    return options_response(passkeys.sign_in_options(request.args.get("next")))


@bp.post("/login/passkey")
@per_address()
def sign_in_with_passkey():
    try:
        user, next_path = passkeys.user_for_sign_in(request.get_data(as_text=True))
    except passkeys.PasskeyRefused as refused:
        db.session.rollback()
        return refusal(str(refused))
    # The authenticator verified the person (PIN or biometrics): no app code is asked for.
    return complete_sign_in(user, False, next_path, "sign_in_passkey")
