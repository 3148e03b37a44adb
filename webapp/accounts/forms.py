"""Account forms. Every text field has a length limit; new passwords meet `password_problem`."""

from flask_wtf import FlaskForm
# SelectChoice is missing from types-WTForms (3.2.1); WTForms has it.
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectChoice, SelectField, StringField, SubmitField  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ..clock import DEFAULT_ZONE, is_zone, zone_names
from .passwords import MAX_LENGTH, MIN_LENGTH, password_problem

MAX_EMAIL = 254
NEW_PASSWORD_HINT = f"At least {MIN_LENGTH} characters. A few unrelated words make a strong one."
TIME_ZONE_HINT = "Your days start at midnight in this time zone: it decides which date is “today” in your journal."
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        validators=[
            DataRequired("Please enter your email address."),
            Length(max=MAX_EMAIL, message=f"An email address has at most {MAX_EMAIL} characters."),
            Email("Please enter a whole email address, like name@example.org."),
        ],
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
    )


def password_field(label: str, message: str = "Please enter your password.", hint: str = "") -> PasswordField:
    # Existing passwords are only checked against the hash; the limit stops absurd input.
    return PasswordField(
        label,
        validators=[DataRequired(message), Length(max=MAX_LENGTH, message=f"A password has at most {MAX_LENGTH} characters.")],
        description=hint,
    )


def check_new_password(password: str | None, email: str | None) -> None:
    problem = password_problem(password or "", email)
    if problem:
        raise ValidationError(problem)


def time_zone_choices() -> list[SelectChoice]:
    return [SelectChoice(name, name.replace("_", " ")) for name in sorted(zone_names())]


def check_time_zone(form, field) -> None:
    if not is_zone(field.data):
        raise ValidationError("Please choose a time zone from the list, like Europe/London or America/New_York.")


def time_zone_field() -> SelectField:
    # The choices are checked by check_time_zone, with a message that says what to do.
    return SelectField(
        "Time zone",
        choices=time_zone_choices,
        default=DEFAULT_ZONE,
        validate_choice=False,
        # Left out of a post (an older form), it stays as it is (accounts.routes.save_preferences).
        validators=[Optional(), Length(max=64), check_time_zone],
        description=TIME_ZONE_HINT,
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = password_field("Password")
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Sign in")


class RegisterForm(FlaskForm):
    email = email_field()
    password = password_field("Password", "Please choose a password.", NEW_PASSWORD_HINT)
    # Filled in by static/js/time-zone.js from the browser; without JavaScript it stays empty
    # and the account keeps UTC until the person picks a zone in Settings.
    time_zone = HiddenField(validators=[Optional(), Length(max=64)])
    submit = SubmitField("Create my account")

    def chosen_time_zone(self) -> str | None:
        return self.time_zone.data if is_zone(self.time_zone.data) else None

    def validate_password(self, field: PasswordField) -> None:
        check_new_password(field.data, self.email.data)


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a reset link")


class ResetPasswordForm(FlaskForm):
    password = password_field("New password", "Please choose a new password.", NEW_PASSWORD_HINT)
    submit = SubmitField("Save my new password")

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = email

    def validate_password(self, field: PasswordField) -> None:
        check_new_password(field.data, self.account_email)


class PreferencesForm(FlaskForm):
    temperature_unit = RadioField(
        "Temperature",
        choices=[SelectChoice("C", "Celsius (°C)"), SelectChoice("F", "Fahrenheit (°F)")],
        validators=[InputRequired("Please choose °C or °F.")],
    )
    week_starts_on = SelectField(
        "First day of the week",
        choices=[SelectChoice(number, day) for number, day in enumerate(WEEKDAYS)],
        coerce=int,
        validators=[InputRequired("Please choose a day.")],
    )
    # Which sign the Sensiplan rules read beside temperature. Left out of a post, it stays as it is.
    secondary_symptom = RadioField(
        "Your second sign, beside temperature",
        choices=[
            SelectChoice("mucus", "Cervical mucus (most people use this)"),
            SelectChoice("cervix", "Cervix (how open and how firm it is)"),
        ],
        validators=[Optional()],
        description="The chart’s rules confirm your temperature shift with this sign.",
    )
    time_zone = time_zone_field()
    submit_preferences = SubmitField("Save preferences")


class TimeZoneForm(FlaskForm):
    """One tap: use the time zone the browser reports (offered when it differs from the account's)."""

    time_zone = HiddenField(
        validators=[DataRequired("Please choose your time zone."), Length(max=64), check_time_zone]
    )
    submit_time_zone = SubmitField("Use this time zone")


class ChangeEmailForm(FlaskForm):
    new_email = email_field("New email address")
    email_password = password_field("Your password", hint="So we know it is really you.")
    submit_email = SubmitField("Change email address")


class SignOutDeviceForm(FlaskForm):
    """Only the CSRF token: the device is in the URL."""


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField("Use this address")


class ChangePasswordForm(FlaskForm):
    current_password = password_field("Current password", "Please enter your current password.")
    new_password = password_field("New password", "Please choose a new password.", NEW_PASSWORD_HINT)
    submit_password = SubmitField("Change password")

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = email

    def validate_new_password(self, field: PasswordField) -> None:
        check_new_password(field.data, self.account_email)
        if field.data and field.data == self.current_password.data:
            raise ValidationError("Your new password is the same as your current one. Please choose another.")


class DeleteAccountForm(FlaskForm):
    password = password_field("Your password", hint="So we know it is really you.")
    confirm = BooleanField(
        "I understand that my account and my whole journal will be deleted for good",
        validators=[DataRequired("Please tick this box to confirm.")],
    )
    submit = SubmitField("Delete my account and journal")


class ConfirmItIsYouForm(FlaskForm):
    """Before a sensitive action in an older session: the password, or (for people who use one)
    a code from their authenticator app. Which one is required is the view's to say."""

    password = PasswordField(
        "Your password",
        validators=[Optional(), Length(max=MAX_LENGTH, message=f"A password has at most {MAX_LENGTH} characters.")],
    )
    code = StringField(
        "Or a code from your authenticator app",
        validators=[Optional(), Length(max=40, message="That is too long for a code.")],
        description="The 6-digit code the app shows for Seedling now.",
    )
    submit = SubmitField("Confirm")
