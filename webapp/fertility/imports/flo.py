"""Flo's data export (JSON sent by Flo's support on request). PROVISIONAL.

``{"operationalData": {"cycles": [...], "point_events_manual_v2": [...], "notes": [...]}}``;
dates are "YYYY-MM-DD 00:00:00.0" (the day is the first ten characters). Periods are start and
end dates only, so every day between them is bleeding of unspecified level. Periods and
positive ovulation tests are confirmed by an excerpt of a real file; temperatures, fluid,
symptoms, moods and notes rest on third-party readers only. The temperature unit is not
documented: a value that can only be °F is converted, and a warning says so.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from . import limits
from .checks import (
    DayDrafts,
    ImportFormatError,
    Unmapped,
    add_symptom,
    add_word,
    celsius_or_fahrenheit_centi,
    free_text,
    iso_date,
    strongest,
)
from .records import BLEEDING_UNSPECIFIED, ImportResult

_FLO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})( \d{2}:\d{2}:\d{2}(\.\d+)?)?")
FLO_DATE_WRITTEN = "the Flo way (YYYY-MM-DD 00:00:00.0)"
SECTIONS = ("cycles", "point_events_manual_v2", "notes")

# Fluid: (appearance, feeling). Flo's "Dry" is a feeling of dryness with nothing seen.
FLUID = {
    "Dry": ("nothing", "dry"),
    "Creamy": ("creamy", None),
    "Sticky": ("creamy", None),
    "Eggwhite": ("egg_white", None),
}
APPEARANCE_ORDER = ("nothing", "creamy", "egg_white")
OVULATION_TESTS = {"Positive": "peak", "Negative": "negative"}
SYMPTOMS = {
    "DrawingPain": ("cramps", None),
    "TenderBreasts": ("breast_tenderness", None),
    "Headache": ("headache", None),
    "Backache": (None, "backache"),
    "Nausea": ("nausea", None),
}
MOODS = {"Happy": "happy", "Sad": "sad", "Energetic": "energetic"}


def looks_like_flo(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("operationalData"), dict)


def parse_flo(data: dict, today: date) -> ImportResult:
    operational = data["operationalData"]
    drafts = DayDrafts()
    unmapped = Unmapped()
    for key in operational:
        if key not in SECTIONS and operational[key]:
            unmapped.add(f"Flo “{key}” section: not known to this import", f"key operationalData.{key}")
    cycles = _section(operational, "cycles")
    events = _section(operational, "point_events_manual_v2")
    notes = _section(operational, "notes")
    for index, cycle in enumerate(cycles):
        _read_cycle(cycle, index, drafts, today)
    converted = _read_events(events, drafts, unmapped, today)
    for index, raw in enumerate(notes):
        where = f"note {index + 1}"
        record = _record(raw, f"operationalData.notes[{index}]", where)
        day = _flo_date(record.get("date"), f"{where} date", today)
        text = record.get("text")
        if not isinstance(text, str):
            raise ImportFormatError("the note has no text.", kind="invalid-value", where=where)
        text = free_text(text, "note", where)
        if text:
            draft = drafts(day)
            draft["note"] = f"{draft['note']}\n{text}" if draft.get("note") else text
            free_text(draft["note"], "day's notes together", where)
    days = drafts.days()
    warnings = []
    unspecified = sum(d.bleeding == BLEEDING_UNSPECIFIED for d in days)
    if unspecified:
        warnings.append(
            f"Flo gives periods as start and end dates only: {unspecified} period days have "
            "bleeding of unspecified level."
        )
    if converted:
        warnings.append(
            f"{converted} temperature{'s were' if converted > 1 else ' was'} above "
            f"{limits.FAHRENHEIT_ABOVE}, so only °F is possible: converted from °F to °C."
        )
    return ImportResult(
        source="Flo", format="flo-json", days=days, not_mapped=unmapped.items(),
        warnings=tuple(warnings),
    )


def _section(operational: dict, key: str) -> list:
    value = operational.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFormatError(
            "this should be a list.", kind="invalid-value", where=f"key operationalData.{key}"
        )
    return value


def _record(raw: Any, path: str, where: str) -> dict:
    if not isinstance(raw, dict):
        raise ImportFormatError(f"{path} is not an object.", kind="invalid-value", where=where)
    return raw


def _flo_date(text: Any, where: str, today: date) -> date:
    match = _FLO_DATE.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return iso_date(text, where, today, written=FLO_DATE_WRITTEN)
    return iso_date(match[1], where, today)


def _read_cycle(raw: Any, index: int, drafts: DayDrafts, today: date) -> None:
    where = f"cycle {index + 1}"
    cycle = _record(raw, f"operationalData.cycles[{index}]", where)
    if cycle.get("period_start_date") is None:
        return  # a cycle Flo predicts or tracks without a logged period
    start = _flo_date(cycle["period_start_date"], f"{where} period_start_date", today)
    end_text = cycle.get("period_end_date")
    end = start if end_text is None else _flo_date(end_text, f"{where} period_end_date", today)
    if end < start:
        raise ImportFormatError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
            kind="invalid-date", where=where,
        )
    if (end - start).days + 1 > limits.LONGEST_PERIOD_DAYS:
        raise ImportFormatError(
            f"a period from {start.isoformat()} to {end.isoformat()} is longer than "
            f"{limits.LONGEST_PERIOD_DAYS} days; one of the dates must be wrong.",
            kind="invalid-date", where=where,
        )
    for offset in range((end - start).days + 1):
        drafts(start + timedelta(days=offset))["bleeding"] = BLEEDING_UNSPECIFIED


def _read_events(events: list, drafts: DayDrafts, unmapped: Unmapped, today: date) -> int:
    """Read every point event; returns how many temperatures were converted from °F."""
    converted = 0
    temperatures: dict[date, tuple[int, str]] = {}
    for index, raw in enumerate(events):
        where = f"event {index + 1}"
        event = _record(raw, f"operationalData.point_events_manual_v2[{index}]", where)
        day = _flo_date(event.get("date"), f"{where} date", today)
        # Anything but text can be no category Flo writes: it is then reported as unknown.
        category, subcategory = (
            value if isinstance(value, str) else repr(value)
            for value in (event.get("category"), event.get("subcategory"))
        )
        draft = drafts(day)
        if category == "Temperature":
            properties = event.get("properties")
            if not isinstance(properties, dict) or "value" not in properties:
                raise ImportFormatError(
                    "a temperature without a value (properties.value).",
                    kind="invalid-value", where=where,
                )
            centi, fahrenheit = celsius_or_fahrenheit_centi(properties["value"], where)
            if day in temperatures and temperatures[day][0] != centi:
                raise ImportFormatError(
                    f"a second, different temperature for {day.isoformat()} (the first is "
                    f"{temperatures[day][1]}).",
                    kind="conflict", where=where,
                )
            temperatures[day] = (centi, where)
            draft["temperature_centi"] = centi
            converted += fahrenheit
        elif category == "Fluid" and subcategory in FLUID:
            appearance, feeling = FLUID[subcategory]
            draft["mucus_appearance"] = strongest(
                draft.get("mucus_appearance"), appearance, APPEARANCE_ORDER
            )
            if feeling:
                draft["mucus_feeling"] = feeling
        elif category == "OvulationTest" and subcategory in OVULATION_TESTS:
            draft["ovulation_test"] = strongest(
                draft.get("ovulation_test"), OVULATION_TESTS[subcategory], ("negative", "peak")
            )
        elif category == "Ovulation":
            unmapped.add("Days marked as ovulation in Flo: the journal has no such mark", where)
        elif category == "Symptom" and subcategory in SYMPTOMS:
            word, name = SYMPTOMS[subcategory]
            add_symptom(draft, word, name, unmapped, where)
        elif category == "Mood" and subcategory in MOODS:
            add_word(draft, "moods", MOODS[subcategory])
        else:
            shown = f"{str(category)[:30]} / {str(subcategory)[:30]}"
            unmapped.add(f"Flo “{shown}” events: not known to this import", where)
    return converted
