"""The "confirm it's you" page (see accounts.reauth): the password, or an app code for people
who use one; rate-limited like the settings' password checks; each answer in the audit trail."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from . import audit, bp, second_factor, totp
from .forms import ConfirmItIsYouForm
from .passwords import verify_password
from .routes import per_account_failures, per_address, safe_next
from .sessions import reauth_window, record_authentication

NOT_YOUR_PASSWORD = "That is not your current password."
WRONG_CODE = "That code is not right, or it has been used already. Please try the newest code."
PASSWORD_NEEDED = "Please enter your password."
PASSWORD_OR_CODE_NEEDED = "Please enter your password or a code from your app."


def _code_is_right(user, code: str) -> bool:
    """A current code of the person's app, spent so it counts once. Recovery codes are for a
    lost app, not for this."""
    if not totp.normalise_code(code).isdigit():
        return False
    return second_factor.spend_code(user, code) == "app"


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
@per_address()
@per_account_failures()
def confirm_it_is_you():
    user = current_user._get_current_object()
    uses_app = second_factor.has_second_factor(user)
    next_path = safe_next(request.args.get("next"))
    form = ConfirmItIsYouForm()
    if not uses_app:
        del form.code
    if form.validate_on_submit():
        code = (form.code.data or "").strip() if uses_app else ""
        password = form.password.data or ""
        if not password and not code:
            form.password.errors.append(PASSWORD_OR_CODE_NEEDED if uses_app else PASSWORD_NEEDED)
        elif (code and _code_is_right(user, code)) or (not code and verify_password(user.password_hash, password)):
            record_authentication(user)
            audit.record(user.id, "reauthenticated", request, commit=False)
            db.session.commit()
            # A redirect: counted as a success by the failures limit, and a reload sends nothing.
            return redirect(url_for("accounts.confirmed_it_is_you", next=next_path))
        else:
            db.session.rollback()
            (form.code if code else form.password).errors.append(WRONG_CODE if code else NOT_YOUR_PASSWORD)
            audit.record(user.id, "reauth_failed", request)
    return render_template("accounts/confirm.html", form=form, uses_app=uses_app, next_path=next_path)


@bp.get("/confirmed")
@login_required
def confirmed_it_is_you():
    """On to where the person was going: at once (a meta refresh: a download starts, a page
    opens), and a link for browsers that wait."""
    minutes = round(reauth_window().total_seconds() / 60)
    return render_template("accounts/confirmed.html", next_path=safe_next(request.args.get("next")), minutes=minutes)
