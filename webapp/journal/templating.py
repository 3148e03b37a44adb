"""What every journal page shares: sign-in required, the section a page belongs to (marked in the
journal navigation), and the helpers the journal's templates and macros use.

A day's pages (the day, its form, its deletion) belong to "Calendar", except the person's own
today, which belongs to "Today": that is where the morning log and "Today's entry" lead, so the
tab stays the one tapped (the templates ask `day_section(date)`). A journal page in no section
marks none rather than pretending to be "Today"."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, request
from sqlalchemy.orm.exc import StaleDataError
from flask_login import current_user, login_required

from ..errors import render_error
from ..extensions import db
from .local_time import person_today
from ..fertility import day_words, vocabulary
from ..fertility.formatting import days_phrase, money_text, plural, temperature_text, temperature_value
from .blueprints import bp
from .forms import latest_allowed_date


@bp.before_request
@login_required
def require_login():
    """Every journal page is for its signed-in owner only."""


# The journal's sections, in navigation order: (endpoint, name, the endpoints that belong to it).
SECTIONS = (
    ("journal.home", "Today", ("home",)),
    ("journal.calendar", "Calendar", (
        "day", "new_day", "edit_day", "delete_day", "calendar", "log_today",
        "calendar_feed_settings", "make_calendar_feed", "revoke_calendar_feed",
    )),
    ("journal.cycles", "Cycles", (
        "cycles", "cycle", "current_cycle", "cycle_outcome", "delete_outcome", "cycle_chart",
        "cycles_overlay",
    )),
    ("journal.inseminations", "Inseminations", (
        "inseminations", "insemination", "new_insemination", "edit_insemination",
        "delete_insemination", "new_note", "edit_note", "delete_note",
        "intercourse_list", "intercourse", "new_intercourse", "edit_intercourse", "delete_intercourse",
    )),
    ("journal.medicines", "Medicines", (
        "medicines", "medicine", "new_medicine", "edit_medicine", "delete_medicine",
    )),
    ("journal.tests", "Tests", (
        "tests", "test", "new_test", "edit_test", "delete_test", "progesterone_tests",
        "progesterone_test", "new_progesterone_test", "edit_progesterone_test",
        "delete_progesterone_test",
    )),
    ("journal.donors", "Donors", (
        "donors", "new_donor", "edit_donor", "delete_donor", "donor_vials", "new_vial_entry",
        "edit_vial_entry", "delete_vial_entry",
    )),
    ("journal.stats", "Statistics", ("stats",)),
    ("journal.import_data", "Your data", (
        "import_data", "import_preview", "delete_entries", "clinic_report",
        "export_days_csv", "export_inseminations_csv", "export_tests_csv",
    )),
)
DAY_ENDPOINTS = frozenset(("journal.day", "journal.new_day", "journal.edit_day", "journal.delete_day", "journal.log_today"))
NAVIGATION = tuple((endpoint, name) for endpoint, name, _ in SECTIONS)
SECTION_OF = {f"journal.{name}": section for section, _, names in SECTIONS for name in names}


@bp.context_processor
def journal_helpers() -> dict:
    unit = getattr(current_user, "temperature_unit", "C") or "C"
    return {
        "journal_sections": NAVIGATION,
        "journal_section": section_of(request.endpoint),
        "day_section": day_section,
        "has_endpoint": lambda name: name in current_app.view_functions,
        "v": vocabulary,
        "day_words": day_words,
        "label": vocabulary.label,
        "unit": unit,
        "temp": lambda centi: temperature_text(centi, unit),
        "temp_value": lambda centi: temperature_value(centi, unit),
        "mucus_symbol": lambda code: "" if code is None else vocabulary.MUCUS_SYMBOLS[code],
        "money": money_text,
        "plural": plural,
        "days_phrase": days_phrase,
        "today": person_today(),
        "one_day": timedelta(days=1),
        "latest_date": latest_allowed_date(person_today()),
    }


def section_of(endpoint: str | None) -> str | None:
    """The section an endpoint's pages belong to (None: a journal page in no section)."""
    return SECTION_OF.get(endpoint or "")


def day_section(when: date | None) -> str | None:
    """The section of a day's page: "Today" for the person's own today, else the endpoint's."""
    endpoint = request.endpoint or ""
    if endpoint in DAY_ENDPOINTS and when is not None and when == person_today():
        return "journal.home"
    return section_of(endpoint)


@bp.errorhandler(StaleDataError)
def entry_gone(_error: StaleDataError):
    """The owner changed an entry in one tab that another tab had just deleted: the UPDATE found
    no row. Nothing is saved; the entry is gone, so the answer is the journal's 404."""
    db.session.rollback()
    return render_error(404, message="This entry was deleted, perhaps in another tab or window. Nothing was changed.")
