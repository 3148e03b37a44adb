"""Export a person's whole account and journal as JSON, and import that JSON back.

`export_user_data(user)` is what "Download my data" in the account settings serves; the journal
adds its entries to it. Import restores a journal from such a file exactly.
"""

from ..accounts.models import User
from ..clock import utcnow

EXPORT_FORMAT = "seedling-export"
EXPORT_VERSION = 1


def export_user_data(user: User) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "account": {
            "email": user.email,
            "created_at": user.created_at.isoformat(timespec="seconds") + "Z",
            "temperature_unit": user.temperature_unit,
            "week_starts_on": user.week_starts_on,
            "secondary_symptom": user.secondary_symptom,
        },
    }
