"""What a journal entry may hold: every field's limit and every cross-field rule, written once.

Two doors lead into the journal, the forms (:mod:`.forms`) and the import of an export file
(:mod:`.portability`). Both read their limits from here and call the same check functions, so
that the import accepts exactly what a person could have typed, and refuses it with the same
words. The module is plain data and small pure functions: no Flask, no database.

Cross-field checks take keyword arguments (one per field they look at) and return
:class:`Problem` values naming the form field the message belongs to. The forms show it under
that field; the import shows it after the record's place in the file.

Some values are repeated in :mod:`webapp.fertility.imports.limits` (the importers of other
apps' exports, a pure package that must not import the journal). They must match:
``FUTURE_DAYS_ALLOWED``, ``NOTE.max_length`` (``NOTE_MAX_CHARACTERS``), the temperature range
(``TEMPERATURE_MIN_CENTI``/``TEMPERATURE_MAX_CENTI``), and ``EARLIEST_DATE`` may not be earlier
than :func:`earliest_allowed_date`. tests/test_journal_spec.py checks this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from ..clock import today
from ..fertility import vocabulary as v
from ..fertility.formatting import HIGHEST_C, LOWEST_C, plural


class Problem(NamedTuple):
    """A refused combination: the form field the message belongs to, and the message."""

    field: str
    message: str


# --------------------------------------------------------------------------- kinds of rule


@dataclass(frozen=True)
class Text:
    """Free text of at most ``max_length`` characters; ``required`` says what to ask for."""

    max_length: int
    required: str | None = None


@dataclass(frozen=True)
class Words:
    """One of a vocabulary's stored words; ``required`` says what to ask for when none is given."""

    allowed: Mapping[str, str]
    required: str | None = None


@dataclass(frozen=True)
class Whole:
    """A whole number from ``low`` to ``high``."""

    low: int
    high: int
    message: str


@dataclass(frozen=True)
class Amount:
    """A decimal number from ``low`` to ``high`` (NaN and infinities are never one)."""

    low: int
    high: int
    message: str


# --------------------------------------------------------------------------- dates

# How far ahead of today a date may be. The forms pass the person's own date (their account's
# time zone, journal.local_time); one day of grace is for someone travelling whose setting still
# names the zone they left, and for the import, which checks against the server's UTC date.
FUTURE_DAYS_ALLOWED = 1
# A date longer ago than this is a typo (and year 1 breaks the cycle arithmetic).
OLDEST_YEARS = 60
# A note after an insemination is about that insemination only within this many days.
NOTE_DAYS_AFTER_MAX = 366

FUTURE_DATE = "That date is in the future. You can log it once the day has come."
ANCIENT_DATE = "Please check the year: that date is a very long time ago."


def latest_allowed_date(current: date | None = None) -> date:
    """``current``: the person's own today; the server's (UTC) date when not given."""
    return (current or today()) + timedelta(days=FUTURE_DAYS_ALLOWED)


def earliest_allowed_date(current: date | None = None) -> date:
    return (current or today()) - timedelta(days=365 * OLDEST_YEARS)


def date_problem(value: date, current: date | None = None) -> str | None:
    """Why an entry's date cannot be right, or None when it can (``current`` as above)."""
    if value > latest_allowed_date(current):
        return FUTURE_DATE
    if value < earliest_allowed_date(current):
        return ANCIENT_DATE
    return None


# --------------------------------------------------------------------------- text

NOTE = Text(4000)  # the note of a day, an insemination, a note after it, a pregnancy test
SHORT_NOTE = Text(2000)  # the note of a donor and of a cycle outcome


def unstorable_text_problem(value: str) -> str | None:
    """Characters no database column may hold: NUL (PostgreSQL refuses it) and lone halves
    of a UTF-16 pair (they cannot be written as UTF-8)."""
    if "\x00" in value:
        return "This text has an invisible NUL character in it. Please remove it."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "This text has a broken character in it. Please type it again."
    return None


# --------------------------------------------------------------------------- days

BLEEDING = Words(v.BLEEDING)
TEMPERATURE_TYPED = Text(10)  # what a person types in the form, such as "36.45" or "97.7 °F"
TEMPERATURE_UNIT = Words(v.TEMPERATURE_UNITS)
# Stored temperatures, in °C: the range of fertility.formatting.parse_temperature, two decimals.
TEMPERATURE_LOW_C: Decimal = LOWEST_C
TEMPERATURE_HIGH_C: Decimal = HIGHEST_C
TEMPERATURE_DECIMALS = 2
TEMPERATURE_DISTURBANCE = Words(v.DISTURBANCES)
MUCUS_FEELING = Words(v.MUCUS_FEELINGS)
MUCUS_APPEARANCE = Words(v.MUCUS_APPEARANCES)
CERVIX_POSITION = Words(v.CERVIX_POSITIONS)
CERVIX_FIRMNESS = Words(v.CERVIX_FIRMNESS)
CERVIX_OPENING = Words(v.CERVIX_OPENINGS)
OVULATION_TEST = Words(v.OVULATION_TESTS)
OVULATION_TEST_BRAND = Text(80)
SYMPTOMS = Words(v.SYMPTOMS)  # any number of them
MOOD = Text(80)
DAY_NOTE = NOTE

DAY_EMPTY = "There is nothing to save yet. Add at least one sign or a note for this day."


def day_problems(
    *,
    bleeding: str | None,
    not_period: bool,
    starts_cycle: bool,
    has_temperature: bool,
    has_temperature_time: bool,
    temperature_disturbance: str | None,
    ovulation_test: str | None,
    ovulation_test_brand: str | None,
) -> list[Problem]:
    problems = []
    if temperature_disturbance and not has_temperature:
        problems.append(Problem(
            "temperature_disturbance",
            "There is no temperature to mark as disturbed. Enter the temperature, or choose "
            "“No, a normal morning”.",
        ))
    if has_temperature_time and not has_temperature:
        problems.append(Problem(
            "temperature_time",
            "There is a time but no temperature. Enter the temperature, or clear the time.",
        ))
    if not_period and not bleeding:
        problems.append(Problem(
            "not_period",
            "There is no bleeding to mark as not a period. Choose the bleeding, or untick this.",
        ))
    if not_period and starts_cycle:
        problems.append(Problem(
            "starts_cycle",
            "A day marked “not a period” cannot also start a cycle. Untick one of the two.",
        ))
    if _given(ovulation_test_brand) and not ovulation_test:
        problems.append(Problem(
            "ovulation_test_brand",
            "There is a brand but no ovulation test result. Choose the result, or clear the brand.",
        ))
    return problems


def day_is_empty(
    *,
    bleeding: str | None,
    starts_cycle: bool,
    has_temperature: bool,
    mucus_feeling: str | None,
    mucus_appearance: str | None,
    cervix_position: str | None,
    cervix_firmness: str | None,
    cervix_opening: str | None,
    ovulation_test: str | None,
    symptoms: list[str],
    mood: str | None,
    note: str | None,
) -> bool:
    """A day needs one sign or a note (a brand, time or disturbance alone is no sign)."""
    signs = (
        bleeding, starts_cycle, has_temperature, mucus_feeling, mucus_appearance,
        cervix_position, cervix_firmness, cervix_opening, ovulation_test, symptoms,
    )
    return not any(signs) and not _given(mood) and not _given(note)


# --------------------------------------------------------------------------- donors

DONOR_KIND = Words(v.DONOR_KINDS, required="Please choose a bank donor or a known donor.")
DONOR_CODE = Text(60, required="Please enter the donor's code or a name you use.")
DONOR_BANK = Text(120)
# A new donor's count so far, kept as opening entries of their ledger.
VIALS_BOUGHT = Whole(0, 200, "Please enter 0 to 200 vials.")
VIALS_IN_STORAGE = Whole(0, 200, "Please enter 0 to 200 vials.")
DONOR_NOTE = SHORT_NOTE

DUPLICATE_DONOR = "You already have this donor. You can change the one you have."


def donor_key(code: str, bank: str | None) -> tuple[str, str]:
    """Two donors with the same key are the same donor (code and bank, ignoring case)."""
    return code.strip().lower(), (bank or "").strip().lower()


def donor_problems(
    *, kind: str | None, bank: str | None, vials_bought: int | None, vials_in_storage: int | None
) -> list[Problem]:
    problems = []
    if kind == "bank" and not _given(bank):
        problems.append(Problem("bank", "Please enter the bank this donor's vials come from."))
    if vials_bought is not None and vials_in_storage is not None and vials_in_storage > vials_bought:
        problems.append(Problem(
            "vials_in_storage",
            f"That is more vials in storage ({vials_in_storage}) than bought ({vials_bought}). "
            "Please check both numbers.",
        ))
    return problems


# --------------------------------------------------------------------------- inseminations

INSEMINATION_METHOD = Words(
    v.INSEMINATION_METHODS, required="Please choose how the insemination was done."
)
SPERM = Words(v.SPERM_STATES)
VIALS_USED = Whole(0, 10, "Please enter 0 to 10 vials.")
VIAL_NUMBERS = Text(200)
MOTILE_COUNT_MILLIONS = Amount(0, 1000, "Please enter 0 to 1000 million.")
PERFORMED_BY = Text(120)
LOCATION = Text(120)
COST = Amount(0, 100000, "Please enter an amount up to 100000.")  # in the person's currency
COST_CENTS_HIGH = COST.high * 100  # the export keeps the cost in cents
INSEMINATION_NOTE = NOTE


def insemination_problems(*, sperm: str | None, vials_used: int | None, has_donor: bool) -> list[Problem]:
    problems = []
    if sperm == "fresh" and (vials_used or 0) > 0:
        problems.append(Problem(
            "vials_used", "Fresh sperm does not come in vials. Choose frozen, or set the vials to 0."
        ))
    if (vials_used or 0) > 0 and not has_donor:
        problems.append(Problem(
            "donor_id", "Please choose whose vials you used, so the number left stays right."
        ))
    return problems


# --------------------------------------------------------------------------- notes after an insemination

LEAKAGE = Words(v.LEAKAGE)
CRAMPING = Words(v.CRAMPING)
LYING_DOWN_MINUTES = Whole(0, 1440, "Please enter 0 to 1440 minutes.")
FEELINGS = Text(300)
NOTE_NOTE = NOTE

NOTE_EMPTY = "There is nothing to save yet. Add at least one thing you noticed."


def note_is_empty(
    *,
    leakage: str | None,
    cramping: str | None,
    spotting: bool,
    lying_down_minutes: int | None,
    orgasm: bool,
    feelings: str | None,
    note: str | None,
) -> bool:
    noticed = (leakage, cramping, spotting, lying_down_minutes is not None, orgasm)
    return not any(noticed) and not _given(feelings) and not _given(note)


def note_time_problem(noted_at: datetime, insemination_starts_at: datetime, insemination_when: str) -> str | None:
    """A note is timed after its insemination (``insemination_when`` names it for the person),
    within a year; it may be ahead of today (notes are sometimes written in advance)."""
    if noted_at < insemination_starts_at:
        return f"This is before the insemination ({insemination_when}). A note after it needs a later time."
    if (noted_at - insemination_starts_at).days > NOTE_DAYS_AFTER_MAX:
        return "Please check the date: that is more than a year after the insemination."
    return None


# --------------------------------------------------------------------------- pregnancy tests

TEST_KIND = Words(v.TEST_KINDS, required="Please choose a home test or a blood test.")
TEST_BRAND = Text(80)
SENSITIVITY_MIU = Whole(1, 100, "Please enter 1 to 100 mIU/mL.")
HOME_RESULT = Words(v.HOME_RESULTS)
HCG_MIU = Amount(0, 500000, "Please enter 0 to 500000 mIU/mL.")
TEST_NOTE = NOTE


def pregnancy_test_problems(
    *, kind: str | None, result: str | None, hcg_miu: object | None, sensitivity_miu: int | None
) -> list[Problem]:
    problems = []
    if kind == "home":
        if not result:
            problems.append(Problem("result", "Please choose the result of the home test."))
        if hcg_miu is not None:
            problems.append(Problem(
                "hcg_miu",
                "An hCG value comes from a blood test. Choose “Blood test”, or clear the value.",
            ))
    elif kind == "blood":
        if hcg_miu is None:
            problems.append(Problem("hcg_miu", "Please enter the hCG value from your blood test."))
        if result:
            problems.append(Problem(
                "result",
                "A blood test gives a value rather than a line. Choose “Not noted” here, "
                "or choose “Home test”.",
            ))
        if sensitivity_miu is not None:
            problems.append(Problem(
                "sensitivity_miu", "Sensitivity is for home tests. Clear it, or choose “Home test”."
            ))
    return problems


# --------------------------------------------------------------------------- donor vial ledger

VIAL_ENTRY_KIND = Words(v.VIAL_ENTRY_KINDS, required="Please choose what this entry records.")
VIAL_ENTRY_VIALS = Whole(-200, 200, "Please enter -200 to 200 vials.")
VIAL_ENTRY_COST = COST
VIAL_ENTRY_BANK = Text(120)
VIAL_ENTRY_STORED_AT = Text(120)
VIAL_ENTRY_NOTE = SHORT_NOTE


def vial_entry_problems(*, kind: str | None, vials: int | None) -> list[Problem]:
    problems = []
    if kind == "purchase" and (vials is None or vials < 1):
        problems.append(Problem("vials", "Please enter how many vials you bought (1 or more)."))
    if kind != "correction" and vials is not None and vials < 0:
        problems.append(Problem(
            "vials", "Only a correction can take vials away. Choose “A correction”, or enter 0 or more."
        ))
    return problems


NO_VIAL_LEFT = (
    "Your ledger shows {left} left from donor {code}, and this uses {wanted}. If you have more, "
    "add the purchase or a correction to the donor's ledger first."
)


def no_vial_left_message(*, left: int, wanted: int, donor_code: str) -> str:
    return NO_VIAL_LEFT.format(left=plural(left, "vial"), wanted=plural(wanted, "vial"), code=donor_code)


# --------------------------------------------------------------------------- intercourse

INTERCOURSE_SPERM = Words(v.INTERCOURSE_SPERM)
INTERCOURSE_NOTE = NOTE

# --------------------------------------------------------------------------- medicines

MEDICINE = Words(v.MEDICINES, required="Please choose the medicine, or “Something else”.")
MEDICINE_NAME = Text(80)
DOSE = Amount(0, 100000, "Please enter a dose from 0 to 100000.")
DOSE_UNIT = Words(v.DOSE_UNITS)
ROUTE = Words(v.MEDICINE_ROUTES)
MEDICINE_NOTE = NOTE
# A course may be planned ahead (progesterone to week 10, say), up to a year after it starts.
COURSE_DAYS_MAX = 366


def medicine_problems(
    *,
    medicine: str | None,
    name: str | None,
    dose: object | None,
    dose_unit: str | None,
    start_date: date | None,
    end_date: date | None,
) -> list[Problem]:
    problems = []
    if medicine == "other" and not _given(name):
        problems.append(Problem("name", "Please type the name of the medicine or supplement."))
    if dose is not None and not dose_unit:
        problems.append(Problem("dose_unit", "Please choose the unit of the dose (mg, IU…)."))
    if dose_unit and dose is None:
        problems.append(Problem("dose", "There is a unit but no dose. Enter the dose, or choose “Not noted”."))
    if start_date is not None and end_date is not None:
        if end_date < start_date:
            problems.append(Problem("end_date", "The last day is before the first day. Please check both."))
        elif (end_date - start_date).days > COURSE_DAYS_MAX:
            problems.append(Problem("end_date", "Please check the last day: that is more than a year of it."))
        elif medicine == "hcg_trigger" and end_date != start_date:
            problems.append(Problem(
                "end_date", "A trigger shot is given on one day. Leave the last day empty, or make it the same day."
            ))
    return problems


# --------------------------------------------------------------------------- progesterone tests

PROGESTERONE_TEST_KIND = Words(
    v.PROGESTERONE_TEST_KINDS, required="Please choose a PdG strip or a blood test."
)
PDG_RESULT = Words(v.PDG_RESULTS)
PROGESTERONE_VALUE = Amount(0, 1000, "Please enter 0 to 1000.")
PROGESTERONE_UNIT = Words(v.PROGESTERONE_UNITS)
PROGESTERONE_BRAND = Text(80)
PROGESTERONE_NOTE = NOTE


def progesterone_test_problems(
    *, kind: str | None, result: str | None, value: object | None, unit: str | None
) -> list[Problem]:
    problems = []
    if kind == "pdg_strip":
        if not result:
            problems.append(Problem("result", "Please choose the result of the PdG strip."))
        if value is not None:
            problems.append(Problem(
                "value", "A progesterone value comes from a blood test. Choose “Blood”, or clear the value."
            ))
    elif kind == "serum":
        if value is None:
            problems.append(Problem("value", "Please enter the progesterone value from your blood test."))
        if not unit:
            problems.append(Problem("unit", "Please choose the unit on your result: ng/mL or nmol/L."))
        if result:
            problems.append(Problem(
                "result", "A blood test gives a value rather than a line. Choose “Not noted” here."
            ))
    return problems


# --------------------------------------------------------------------------- cycle outcomes

OUTCOME = Words(v.OUTCOMES, required="Please choose one, or go back if you would rather not.")
OUTCOME_NOTE = SHORT_NOTE


def _given(text: str | None) -> bool:
    return bool(text and text.strip())
