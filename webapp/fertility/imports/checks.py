"""The checks every parser shares, the refusal they raise, and the collector of what is left out.

A refusal says where (a line, a record, a key path) and what is wrong, in words a person can
act on; the parsers raise it at the first problem, so a file is either read whole or not at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import limits
from .records import ImportedDay, NotMapped


class ImportFormatError(ValueError):
    """The file cannot be imported. ``str()`` is the message for the person.

    ``kind`` names the problem for code and tests (invalid-date, invalid-json, truncated,
    unknown-columns, unknown-format, duplicate-date, future-date, too-old, out-of-range,
    too-long, invalid-value, conflict, too-large, not-text, empty); ``where`` is the line,
    record or key ("line 14", "record 3 ([2].date)"), empty for the file as a whole.
    """

    def __init__(self, problem: str, *, kind: str, where: str = "", filename: str = ""):
        self.problem = problem
        self.kind = kind
        self.where = where
        self.filename = filename
        super().__init__(self._message())

    def _message(self) -> str:
        place = self.where
        if self.filename:
            place = f"“{self.filename}”, {place}" if place else f"“{self.filename}”"
        if not place:
            return self.problem
        return f"{place[0].upper()}{place[1:]}: {self.problem}"

    def in_file(self, filename: str) -> ImportFormatError:
        return ImportFormatError(self.problem, kind=self.kind, where=self.where, filename=filename)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_date(value: date, where: str, today: date) -> date:
    if value < limits.EARLIEST_DATE:
        raise ImportFormatError(
            f"{value.isoformat()} is before {limits.EARLIEST_DATE.year}; please check the year.",
            kind="too-old", where=where,
        )
    if value > today + timedelta(days=limits.FUTURE_DAYS_ALLOWED):
        raise ImportFormatError(
            f"{value.isoformat()} is in the future; a journal can only hold days that have come.",
            kind="future-date", where=where,
        )
    return value


def iso_date(text: object, where: str, today: date, written: str = "YYYY-MM-DD") -> date:
    """A date the file writes as YYYY-MM-DD, real and within the limits.

    ``written`` is how the format writes dates, for the message.
    """
    shown = _shown(text)
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ImportFormatError(
            f"{shown} is not a date written {written}.", kind="invalid-date", where=where
        )
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ImportFormatError(
            f"{shown} is not a date: there is no such day.", kind="invalid-date", where=where
        ) from None
    return check_date(parsed, where, today)


def clock_time(text: str, where: str) -> time:
    """A time of day written HH:MM (or H:MM)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ImportFormatError(
        f"{_shown(text)} is not a time of day written HH:MM.", kind="invalid-value", where=where
    )


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ImportFormatError(
            f"{_shown(value)} is not a number.", kind="invalid-value", where=where
        )
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        hint = " (use a point, not a comma)" if isinstance(value, str) and "," in value else ""
        raise ImportFormatError(
            f"{_shown(value)} is not a number{hint}.", kind="invalid-value", where=where
        ) from None
    if not number.is_finite():
        raise ImportFormatError(f"{_shown(value)} is not a number.", kind="invalid-value", where=where)
    return number


def _hundredths(celsius: Decimal) -> int:
    if abs(celsius) > 1000:  # far outside any limit, and too large for quantize()
        return 100_000 if celsius > 0 else -100_000
    return int((celsius * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _in_range(centi: int, shown: str, where: str) -> int:
    if not limits.TEMPERATURE_MIN_CENTI <= centi <= limits.TEMPERATURE_MAX_CENTI:
        low = limits.TEMPERATURE_MIN_CENTI / 100
        high = limits.TEMPERATURE_MAX_CENTI / 100
        raise ImportFormatError(
            f"the temperature {shown} is outside {low:g}-{high:g} °C, so it cannot be a basal "
            "temperature.",
            kind="out-of-range", where=where,
        )
    return centi


def celsius_centi(value: object, where: str) -> int:
    """A temperature the format writes in °C, as hundredths, within the limits."""
    number = _decimal(value, where)
    return _in_range(_hundredths(number), f"{number} °C", where)


def celsius_or_fahrenheit_centi(value: object, where: str) -> tuple[int, bool]:
    """A temperature of unstated unit: (hundredths of °C, whether it was read as °F)."""
    number = _decimal(value, where)
    if number > limits.FAHRENHEIT_ABOVE:
        celsius = (number - 32) * 5 / 9
        return _in_range(_hundredths(celsius), f"{number} °F", where), True
    return _in_range(_hundredths(number), f"{number} °C", where), False


def free_text(text: str, what: str, where: str) -> str | None:
    """Text kept as the journal keeps a note: line breaks made plain, within the note limit."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limits.NOTE_MAX_CHARACTERS:
        raise ImportFormatError(
            f"the {what} is {len(text):,} characters long; the journal keeps at most "
            f"{limits.NOTE_MAX_CHARACTERS:,}. Please shorten it in the app and export again.",
            kind="too-long", where=where,
        )
    return text or None


def _shown(value: object, longest: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    if len(text) > longest:
        text = text[: longest - 1] + "…"
    return f"'{text}'"


def places(locations: list[str], shown: int = 5) -> str:
    """'line 4', 'lines 4, 9 and 17', 'lines 4, 9, 17, 20, 21 and 6 more'."""
    if not locations:
        return ""
    noun, numbers = locations[0].split(" ", 1)[0], [loc.split(" ", 1)[1] for loc in locations]
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    if len(numbers) <= shown:
        return f"{noun}s {', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"{noun}s {', '.join(numbers[:shown])} and {len(numbers) - shown} more"


class Unmapped:
    """Collects what the journal has no place for, in the order first met."""

    def __init__(self) -> None:
        self._where: dict[str, list[str]] = defaultdict(list)

    def add(self, what: str, where: str) -> None:
        self._where[what].append(where)

    def items(self) -> tuple[NotMapped, ...]:
        return tuple(
            NotMapped(what=what, where=places(locations), count=len(locations))
            for what, locations in self._where.items()
        )


class DayDrafts:
    """The days being built, by date; each draft is a dict of ImportedDay's fields."""

    def __init__(self) -> None:
        self._drafts: dict[date, dict] = {}

    def __call__(self, day: date) -> dict:
        return self._drafts.setdefault(day, {"date": day})

    def days(self) -> tuple[ImportedDay, ...]:
        built = []
        for day in sorted(self._drafts):
            draft = self._drafts[day]
            imported = ImportedDay(**draft)
            if imported.carries_anything:
                built.append(imported)
        return tuple(built)


def add_word(draft: dict, key: str, word: str) -> None:
    """Add a word to a tuple field (symptoms, moods), once, keeping the order first met."""
    present = draft.get(key, ())
    if word not in present:
        draft[key] = (*present, word)


def add_symptom(
    draft: dict, word: str | None, name: str | None, unmapped: Unmapped, where: str
) -> None:
    """A symptom by its journal word; one the journal has no word for becomes "other", keeps
    its plain name in other_symptoms, and is reported."""
    add_word(draft, "symptoms", word or "other")
    if word is None and name:
        add_word(draft, "other_symptoms", name)
        unmapped.add(
            f"{name[0].upper()}{name[1:]}: the journal has no such symptom "
            "(imported as “Something else”)",
            where,
        )


def strongest(current: str | None, new: str, order: tuple[str, ...]) -> str:
    """Of two observations of one day, the one later in ``order`` (the stronger sign)."""
    if current is None:
        return new
    return max(current, new, key=order.index)
