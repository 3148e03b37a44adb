"""Forms of the second factor: the code at sign-in, turning the app on and off, recovery codes."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from .forms import password_field

MAX_CODE_LENGTH = 40  # a recovery code with spaces; an app's code is 6 digits


def code_field(label: str, hint: str) -> StringField:
    return StringField(
        label,
        validators=[DataRequired("Please enter the code."), Length(max=MAX_CODE_LENGTH, message="That is too long for a code.")],
        description=hint,
    )


class SignInCodeForm(FlaskForm):
    code = code_field(
        "Code",
        "The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )
    submit = SubmitField("Continue")


class TurnOnAppForm(FlaskForm):
    code = code_field("Code from the app", "The 6-digit code the app shows for Seedling now.")
    app_password = password_field("Your password", hint="So we know it is really you.")
    submit_app = SubmitField("Turn on two-step sign-in")


class TurnOffAppForm(FlaskForm):
    off_password = password_field("Your password", hint="So we know it is really you.")
    submit_off = SubmitField("Turn off two-step sign-in")


class NewRecoveryCodesForm(FlaskForm):
    codes_password = password_field("Your password", hint="Your earlier recovery codes stop working.")
    submit_codes = SubmitField("Make new recovery codes")


class AddPasskeyForm(FlaskForm):
    """Sent by static/js/passkeys.js before the browser makes the passkey."""

    passkey_name = StringField(
        "A name for this passkey",
        validators=[DataRequired("Please give the passkey a name."), Length(max=60, message="At most 60 characters.")],
        description="Such as “My phone” or “Work laptop”, to tell your passkeys apart.",
    )
    passkey_password = password_field("Your password", hint="So we know it is really you.")
    submit_passkey = SubmitField("Add a passkey")


class RemovePasskeyForm(FlaskForm):
    """Only the CSRF token: the passkey is in the URL."""
