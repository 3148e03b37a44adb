"""A logged day in words: the one place that says what a day's bleeding, temperature, mucus,
cervix and test read as. Used by the journal's entry macros, the cycle table and the chart's
table alike (rows are read by attribute: journal models or anything shaped like them)."""

from __future__ import annotations

from typing import Any

from . import vocabulary
from .formatting import temperature_text

label = vocabulary.label


def bleeding_words(day: Any, *, with_noun: bool = True) -> str:
    """"Light bleeding (not a period)"; "" when none was noted."""
    if not day.bleeding:
        return ""
    words = label(vocabulary.BLEEDING, day.bleeding)
    if with_noun:
        words += " bleeding"
    if day.not_period:
        words += " (not a period)"
    return words


def temperature_words(day: Any, unit: str, *, disturbed: str = " (disturbed)") -> str:
    words = temperature_text(day.temperature_centi, unit)
    if words and day.temperature_disturbance:
        words += disturbed
    return words


def mucus_words(day: Any, *, symbol_only: bool = False) -> str:
    """The NFP symbol with its words ("S+ (egg white or slippery)"), or the words noted."""
    code = day.mucus_code
    if code is not None:
        symbol = vocabulary.MUCUS_SYMBOLS[code]
        return symbol if symbol_only else f"{symbol} ({vocabulary.MUCUS_CODE_WORDS[code]})"
    noted = (label(vocabulary.MUCUS_FEELINGS, day.mucus_feeling), label(vocabulary.MUCUS_APPEARANCES, day.mucus_appearance))
    return ", ".join(word for word in noted if word)


def cervix_words(day: Any) -> str:
    noted = (
        label(vocabulary.CERVIX_POSITIONS, day.cervix_position),
        label(vocabulary.CERVIX_FIRMNESS, day.cervix_firmness),
        label(vocabulary.CERVIX_OPENINGS, day.cervix_opening),
    )
    return ", ".join(word.lower() for word in noted if word)


def symptom_words(day: Any) -> str:
    return ", ".join(label(vocabulary.SYMPTOMS, word) for word in day.symptoms)


def ovulation_test_words(day: Any) -> str:
    return label(vocabulary.OVULATION_TESTS, day.ovulation_test)


def day_summary(day: Any, unit: str) -> str:
    """Everything noted on a day in one line, for lists: "Light bleeding · 36.55 °C · …"."""
    parts = []
    if day.starts_cycle:
        parts.append("cycle start marked")
    parts.append(bleeding_words(day))
    parts.append(temperature_words(day, unit))
    if day.mucus_feeling or day.mucus_appearance:
        parts.append("mucus " + mucus_words(day))
    if cervix_words(day):
        parts.append("cervix " + cervix_words(day))
    if day.ovulation_test:
        parts.append("ovulation test " + ovulation_test_words(day).lower())
    parts.append(symptom_words(day).lower())
    if day.mood:
        parts.append("mood noted")
    if day.note:
        parts.append("a note")
    return " · ".join(part for part in parts if part)
