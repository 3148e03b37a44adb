"""The signed-in person's own date and time, from their account's time zone.

Every journal date that is relative to now starts here: today, the cycle day, days past
ovulation or insemination, the latest date a form takes, the calendar's today, predictions.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_login import current_user

from ..clock import now_for, today_for


def person_today() -> date:
    return today_for(current_user)


def person_now() -> datetime:
    return now_for(current_user)
