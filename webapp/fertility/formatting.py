"""Numbers and times as a person reads and types them. Pure standard-library code.

Temperatures live in the database as hundredths of a degree Celsius (3645 = 36.45 °C). A
person types them in °C or °F, with a point or a comma; °F is converted to °C and rounded to
two decimals (half up).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# A body temperature outside 34-43 °C is a typo or a broken thermometer, not a reading.
LOWEST_C, HIGHEST_C = Decimal("34"), Decimal("43")
LOWEST_F, HIGHEST_F = Decimal("93.2"), Decimal("109.4")
HUNDREDTH = Decimal("0.01")
_NUMBER = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{1,4})?$")


class TemperatureError(ValueError):
    """A temperature that cannot be stored; the message is written for the person."""


def parse_temperature(text: str, unit: str) -> int:
    """Hundredths of a degree Celsius from what a person typed in ``unit`` ("C" or "F")."""
    cleaned = (text or "").strip().replace(" ", "")
    for suffix in ("°c", "°f", "c", "f", "°"):
        if cleaned.lower().endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    if not _NUMBER.match(cleaned):
        raise TemperatureError("Please enter the temperature as a number, such as 36.45.")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already rules it out
        raise TemperatureError("Please enter the temperature as a number, such as 36.45.") from exc
    if unit == "F":
        if not LOWEST_F <= value <= HIGHEST_F:
            raise TemperatureError(
                f"{value} °F is outside 93.2–109.4 °F (34–43 °C), the range a body temperature "
                "can have, so it is probably a typo."
            )
        celsius = ((value - 32) * 5 / 9).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    else:
        if not LOWEST_C <= value <= HIGHEST_C:
            message = (
                f"{value} °C is outside 34–43 °C, the range a body temperature can have, "
                "so it is probably a typo."
            )
            if LOWEST_F <= value <= HIGHEST_F:
                message += " It looks like °F: choose °F as the unit, or enter it in °C."
            raise TemperatureError(message)
        celsius = value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return int(celsius * 100)


def temperature_value(centi: int | None, unit: str) -> str:
    """The number alone in ``unit``, two decimals ("36.45"), for a form; "" for None."""
    if centi is None:
        return ""
    celsius = Decimal(centi) / 100
    if unit == "F":
        return str((celsius * 9 / 5 + 32).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))
    return str(celsius.quantize(HUNDREDTH))


def temperature_text(centi: int | None, unit: str) -> str:
    """"36.45 °C" or "97.61 °F"; "" for None."""
    if centi is None:
        return ""
    return f"{temperature_value(centi, unit)} °{'F' if unit == 'F' else 'C'}"


def money_text(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{Decimal(cents) / 100:.2f}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def time_after(start: datetime, then: datetime, start_has_time: bool = True) -> str:
    """How long after an insemination a note was made: "20 minutes after", "3 days after".

    Without a time for the insemination only whole days can be counted ("The same day").
    """
    days = (then.date() - start.date()).days
    if start_has_time:
        minutes = int((then - start).total_seconds() // 60)
        if minutes < 0:
            return "Before the insemination"
        if minutes < 1:
            return "At the time"
        if minutes < 60:
            return f"{plural(minutes, 'minute')} after"
        if minutes < 24 * 60:
            return f"{plural(minutes // 60, 'hour')} after"
        return f"{plural(max(days, 1), 'day')} after"
    if days < 0:
        return "Before the insemination"
    if days == 0:
        return "The same day"
    return f"{plural(days, 'day')} after"


def days_phrase(days: int | None, what: str) -> str:
    """"9 days past ovulation", "the day of insemination"; "" for None."""
    if days is None:
        return ""
    if days == 0:
        return f"the day of {what}"
    return f"{plural(days, 'day')} past {what}"
