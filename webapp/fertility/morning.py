"""What a morning's temperature means in its cycle, in a few words, from the cycle's reading.

Nothing here applies a rule: the reading (webapp.fertility.reading) already holds what the
Sensiplan rules found; this only says where one date sits in it.
Pure standard-library code: no Flask, no database, no clock.
"""

from __future__ import annotations

from datetime import date

from .formatting import days_phrase, temperature_text
from .predictions import days_past
from .reading import CycleReading


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def temperature_meaning(
    reading: CycleReading | None, when: date, centi: int, disturbed: bool, unit: str, pregnant: bool = False
) -> str:
    """"36.55 °C, your first higher temperature" and the like, for the temperature of ``when``.
    ``pregnant``: in pregnancy mode, where the rules do not read the cycle (``reading`` is None)."""
    value = temperature_text(centi, unit)
    if disturbed:
        return f"{value}, marked as disturbed: it stays on your chart and is left out of the rules"
    if pregnant:
        return f"{value}, on your chart. In pregnancy mode the rules do not read your temperatures"
    if reading is None:
        return f"{value}. Your chart starts on the first day of a period you log"
    if not reading.readable:
        return f"{value}, on your chart. The rules cannot read this cycle yet"
    first_high, confirmed, ovulation = reading.first_high, reading.confirmed, reading.ovulation
    if first_high is None or confirmed is None or ovulation is None:
        return f"{value}, your {ordinal(reading.temperatures)} temperature this cycle; no temperature shift yet"
    if when < first_high:
        return f"{value}, before your temperature shift"
    if when == first_high:
        return f"{value}, your first higher temperature"
    if when < confirmed:
        return f"{value}, a higher temperature after your first higher one"
    if when == confirmed:
        return f"{value}: this temperature confirms your temperature shift ({reading.rule_name})"
    words = f"{value}, {days_phrase(days_past(ovulation, when), 'ovulation')}"
    coverline = reading.coverline_c
    if coverline is not None:
        side = "above" if centi > round(coverline * 100) else "not above"
        words += f", {side} your coverline of {temperature_text(round(coverline * 100), unit)}"
    return words
