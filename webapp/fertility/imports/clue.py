"""Clue's two files: the data export (measurements.json) and the old Android backup (.cluedata).

measurements.json is one JSON list of records ``{"type", "id", "date": "YYYY-MM-DD", "value"}``;
``value`` is ``{"option": …}`` for a period, ``{"celsius", "excluded"}`` for a temperature, and
a list of ``{"option": …}`` for the rest. No public documentation describes it: the shape and
options come from readers of real files (see tests/fixtures/imports/README.md). An option or a
type this module does not know is reported in ``not_mapped``, never fatal and never dropped.

The .cluedata backup is ``{"data": [{"day": "YYYY-MM-DDT00:00:00Z", "period": …}, …], …}``;
only ``period`` is documented, so every other key of a day is reported.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .checks import (
    DayDrafts,
    ImportFormatError,
    Unmapped,
    add_symptom,
    add_word,
    celsius_centi,
    free_text,
    iso_date,
    strongest,
)
from .records import EXCLUDED_IN_CLUE, ImportResult

BLEEDING_ORDER = ("spotting", "light", "medium", "heavy")
PERIOD = {"light": "light", "medium": "medium", "heavy": "heavy", "very_heavy": "heavy"}
DISCHARGE = {"none": "nothing", "sticky": "creamy", "creamy": "creamy", "egg_white": "egg_white"}
APPEARANCE_ORDER = ("nothing", "creamy", "egg_white")
OVULATION_TESTS = {"ovulation_negative": "negative", "ovulation_positive": "peak"}
PREGNANCY_TESTS = {"pregnancy_negative": "negative", "pregnancy_positive": "positive"}
# Clue's pain options: the journal's symptom word, or None with a plain name kept aside.
PAINS = {
    "period_cramps": ("cramps", None),
    "lower_back": (None, "backache"),
    "breast_tenderness": ("breast_tenderness", None),
    "headache": ("headache", None),
    "ovulation": (None, "ovulation pain"),
    "migraine": (None, "migraine"),
}
FEELINGS = {"happy": "happy", "sad": "sad", "angry": "angry", "anxious": "anxious",
            "indifferent": "fine"}
ENERGY = {"energetic": "energetic", "fully_energized": "energetic", "tired": "fatigue",
          "exhausted": "fatigue"}
SEX_DRIVE = ("high_sex_drive", "low_sex_drive")


def looks_like_clue_measurements(data: Any) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(r, dict) and "type" in r and "date" in r for r in data[:20])
    )


def looks_like_clue_backup(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("data"), list) and (
        not data["data"] or all(isinstance(r, dict) and "day" in r for r in data["data"][:20])
    )


class _Day:
    """What Clue's records say about one date, resolved into a draft once all are read."""

    def __init__(self) -> None:
        self.period: str | None = None
        self.spotting = False
        self.temperature: tuple[int, bool, str] | None = None  # hundredths, excluded, where
        self.tags: list[str] = []


def parse_clue_measurements(data: list, today: date) -> ImportResult:
    drafts = DayDrafts()
    unmapped = Unmapped()
    clue_days: dict[date, _Day] = {}
    very_heavy = 0
    for index, raw in enumerate(data):
        where = f"record {index + 1}"
        if not isinstance(raw, dict):
            raise ImportFormatError(
                f"this is not a Clue record ([{index}] is not an object).",
                kind="invalid-value", where=where,
            )
        kind = raw.get("type")
        if not isinstance(kind, str) or not kind:
            raise ImportFormatError(
                f"the record has no type ([{index}].type).", kind="invalid-value", where=where
            )
        day = iso_date(raw.get("date"), f"{where} ([{index}].date)", today)
        draft = drafts(day)
        clue_day = clue_days.setdefault(day, _Day())
        value = raw.get("value")
        value_where = f"{where} ([{index}].value)"
        if kind == "bbt":
            _read_bbt(value, value_where, clue_day)
            continue
        if kind not in _OPTION_TYPES:
            unmapped.add(f"Clue “{kind}” records: the journal has no field for them", where)
            continue
        for option in _options(value, value_where):
            if kind == "period" and option == "very_heavy":
                very_heavy += 1
            if not _OPTION_TYPES[kind](option, draft, clue_day, unmapped, where):
                unmapped.add(f"Clue {kind.replace('_', ' ')} “{option}”: not known to this import", where)
    for day, clue_day in clue_days.items():
        _resolve(drafts(day), clue_day)
    warnings: tuple[str, ...] = ()
    if very_heavy:
        warnings = (
            f"{very_heavy} period day{'s' if very_heavy > 1 else ''} marked very heavy in Clue "
            "became heavy, the journal's heaviest.",
        )
    return ImportResult(
        source="Clue", format="clue-json", days=drafts.days(), not_mapped=unmapped.items(),
        warnings=warnings,
    )


def _options(value: Any, where: str) -> list[str]:
    """Clue's options: ``{"option": …}`` or a list of them."""
    items = value if isinstance(value, list) else [value]
    options = []
    for item in items:
        option = item.get("option") if isinstance(item, dict) else None
        if not isinstance(option, str):
            raise ImportFormatError(
                "the value is not one of Clue's options ({\"option\": …}).",
                kind="invalid-value", where=where,
            )
        options.append(option)
    return options


def _read_bbt(value: Any, where: str, clue_day: _Day) -> None:
    if not isinstance(value, dict) or "celsius" not in value:
        raise ImportFormatError(
            "a temperature record has no “celsius” value.", kind="invalid-value", where=where
        )
    excluded = value.get("excluded", False)
    if not isinstance(excluded, bool):
        raise ImportFormatError(
            "“excluded” must be true or false.", kind="invalid-value", where=where
        )
    centi = celsius_centi(value["celsius"], where)
    if clue_day.temperature and clue_day.temperature[0] != centi:
        raise ImportFormatError(
            f"a second, different temperature for the same day (the first is in "
            f"{clue_day.temperature[2]}).",
            kind="conflict", where=where,
        )
    earlier_excluded = clue_day.temperature[1] if clue_day.temperature else False
    clue_day.temperature = (centi, excluded or earlier_excluded, where)


def _period(option, draft, clue_day: _Day, unmapped, where) -> bool:
    if option not in PERIOD:
        return False
    clue_day.period = strongest(clue_day.period, PERIOD[option], BLEEDING_ORDER)
    return True


def _spotting(option, draft, clue_day: _Day, unmapped, where) -> bool:
    clue_day.spotting = True  # red or brown: the journal keeps no colour
    return True


def _discharge(option, draft, clue_day, unmapped, where) -> bool:
    if option not in DISCHARGE:
        return False
    draft["mucus_appearance"] = strongest(
        draft.get("mucus_appearance"), DISCHARGE[option], APPEARANCE_ORDER
    )
    return True


def _tests(option, draft, clue_day, unmapped, where) -> bool:
    if option in OVULATION_TESTS:
        draft["ovulation_test"] = strongest(
            draft.get("ovulation_test"), OVULATION_TESTS[option], ("negative", "peak")
        )
    elif option in PREGNANCY_TESTS:
        draft["pregnancy_test"] = strongest(
            draft.get("pregnancy_test"), PREGNANCY_TESTS[option], ("negative", "positive")
        )
    else:
        return False
    return True


def _pain(option, draft, clue_day, unmapped, where) -> bool:
    if option not in PAINS:
        return False
    word, name = PAINS[option]
    add_symptom(draft, word, name, unmapped, where)
    return True


def _feelings(option, draft, clue_day, unmapped, where) -> bool:
    if option not in FEELINGS:
        return False
    add_word(draft, "moods", FEELINGS[option])
    return True


def _energy(option, draft, clue_day, unmapped, where) -> bool:
    if option not in ENERGY:
        return False
    add_word(draft, "moods", ENERGY[option])
    return True


def _sex_life(option, draft, clue_day, unmapped, where) -> bool:
    # Clue's sex life options, as the readers of real files list them (see the module's
    # docstring): protected, unprotected, withdrawal, no_sex_today, masturbation, high and low
    # sex drive.
    if option in ("protected", "unprotected", "withdrawal"):
        said = None if option == "withdrawal" else option == "protected"
        if draft.get("intercourse"):
            earlier = draft.get("intercourse_protected")
            if said is None:
                said = earlier
            elif earlier is not None and earlier != said:
                said = None  # both on one day: it cannot be told
        draft["intercourse_protected"] = said
        draft["intercourse"] = True
        if option == "withdrawal":
            unmapped.add(
                "Clue sex life “withdrawal” (imported as intercourse, without saying whether "
                "with sperm)",
                where,
            )
    elif option in SEX_DRIVE:
        unmapped.add("Desire", where)  # Clue's high or low sex drive
    elif option == "masturbation":
        unmapped.add("Solo sex", where)
    elif option == "no_sex_today":
        unmapped.add("Clue “no sex today”: the journal records intercourse, not days without", where)
    else:
        return False
    return True


def _tags(option, draft, clue_day: _Day, unmapped, where) -> bool:
    if option.strip():
        clue_day.tags.append(option.strip())
        free_text(", ".join(clue_day.tags), "list of tags (the day note)", where)
    return True


_OPTION_TYPES = {
    "period": _period,
    "spotting": _spotting,
    "discharge": _discharge,
    "tests": _tests,
    "pain": _pain,
    "feelings": _feelings,
    "energy": _energy,
    "sex_life": _sex_life,
    "tags": _tags,
}


def _resolve(draft: dict, clue_day: _Day) -> None:
    # A period record wins over spotting on the same day; spotting alone is not a period.
    if clue_day.period:
        draft["bleeding"] = clue_day.period
    elif clue_day.spotting:
        draft["bleeding"] = "spotting"
        draft["not_period"] = True
    if clue_day.temperature:
        centi, excluded, _ = clue_day.temperature
        draft["temperature_centi"] = centi
        if excluded:
            draft["temperature_disturbed"] = True
            draft["temperature_disturbance_reason"] = EXCLUDED_IN_CLUE
    if clue_day.tags:
        draft["note"] = ", ".join(clue_day.tags)


# --------------------------------------------------------------------------- old backup

_BACKUP_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?")
BACKUP_PERIOD = {"light": "light", "medium": "medium", "heavy": "heavy", "very_heavy": "heavy"}


def parse_clue_backup(data: dict, today: date) -> ImportResult:
    drafts = DayDrafts()
    unmapped = Unmapped()
    clue_days: dict[date, _Day] = {}
    for index, raw in enumerate(data["data"]):
        where = f"day {index + 1}"
        if not isinstance(raw, dict):
            raise ImportFormatError(
                f"this is not a Clue day (data[{index}] is not an object).",
                kind="invalid-value", where=where,
            )
        day = _backup_day(raw.get("day"), f"{where} (data[{index}].day)", today)
        clue_day = clue_days.setdefault(day, _Day())
        drafts(day)
        for key in raw:
            if key not in ("day", "period"):
                unmapped.add(f"Clue backup “{key}” entries: their meaning is not documented", where)
        period = raw.get("period")
        if period is None:
            continue
        if not isinstance(period, str):
            unmapped.add(f"Clue backup period {str(period)[:40]}: not known to this import", where)
        elif period == "spotting":
            clue_day.spotting = True
        elif period in BACKUP_PERIOD:
            clue_day.period = strongest(clue_day.period, BACKUP_PERIOD[period], BLEEDING_ORDER)
        else:
            unmapped.add(f"Clue backup period “{str(period)[:40]}”: not known to this import", where)
    for day, clue_day in clue_days.items():
        _resolve(drafts(day), clue_day)
    return ImportResult(
        source="Clue (old backup)", format="clue-cluedata", days=drafts.days(),
        not_mapped=unmapped.items(),
    )


def _backup_day(text: Any, where: str, today: date) -> date:
    match = _BACKUP_DAY.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return iso_date(text, where, today, written="YYYY-MM-DDT00:00:00Z")
    return iso_date(match[1], where, today)
