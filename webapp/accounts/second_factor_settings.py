"""What the settings page's "Two-step sign-in" section (_partials/second_factor.html) shows."""

from typing import Any

from . import passkeys, second_factor
from .models import User
from .second_factor_forms import AddPasskeyForm, NewRecoveryCodesForm, RemovePasskeyForm, TurnOffAppForm


def second_factor_settings(user: User, **forms: Any) -> dict[str, Any]:
    app_on = second_factor.has_second_factor(user)
    section: dict[str, Any] = {
        "app_on": app_on,
        "recovery_codes_left": second_factor.recovery_codes_left(user) if app_on else 0,
        "off_form": TurnOffAppForm(formdata=None),
        "codes_form": NewRecoveryCodesForm(formdata=None),
        "passkeys": passkeys.passkeys_of(user),
        "add_passkey_form": AddPasskeyForm(formdata=None),
        "remove_passkey_form": RemovePasskeyForm(),
    }
    section.update(forms)
    return section
