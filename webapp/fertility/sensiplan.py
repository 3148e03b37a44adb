"""Cycle analysis by the Sensiplan sympto-thermal rules.

Implements /work/shared/docs/fertility-contract.md (kept beside the repository as
``shared/docs/fertility-contract.md``): :func:`sensiplan_status` reads a cycle's recorded days
and returns the temperature shift, the secondary-sign shift and the three cycle phases as a
JSON-ready dict; :func:`mucus_code` turns the two things a person notes about cervical mucus
into the NFP code the rules use.

Pure standard-library code: no Flask, no database, no clock. This is a fertility-awareness aid
for people trying to conceive, not a contraceptive method.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

__all__ = ["mucus_code", "sensiplan_status"]

Status = dict[str, Any]

# Temperatures are compared in whole steps of 0.05 °C so that "+0.2 °C" is an exact integer
# comparison (4 steps) and never suffers from binary floating-point error.
_STEPS_PER_DEGREE = 20
_CONFIRMING_RISE = 4  # 0.2 °C in steps
_LOWER_VALUES = 6  # the six measurements before a candidate set the coverline

_FIVE_DAY_RULE = 5
_MINUS_8 = 8
_CYCLES_TO_LENGTHEN = 12
_DAYS_AFTER_PEAK = 3

_SYMPTOMS = ("mucus", "cervix")
# The lowest quality of each secondary sign that counts as fertile: mucus f (wet) and above;
# a cervix is stored as 1 (fertile) or 0 (closed and hard), see _cervix_quality.
_FERTILE_FROM = {"mucus": 2, "cervix": 1}

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_FEELING_CODES = {"dry": 0, "nothing": 1, "wet": 2, "slippery": 4}
_TEXTURE_CODES = {"nothing": 0, "creamy": 3, "egg_white": 4}


@dataclass(frozen=True)
class _Day:
    """One validated day; temperature is in 0.05 °C steps, None when missing or excluded."""

    date: date
    temperature: int | None
    mucus: int | None
    cervix: int | None
    bleeding: int | None

    def quality(self, symptom: str) -> int | None:
        return self.mucus if symptom == "mucus" else self.cervix


@dataclass(frozen=True)
class _TemperatureShift:
    rule: int
    coverline: int  # steps of 0.05 °C
    first_high: date
    confirmed: date


@dataclass(frozen=True)
class _SecondaryShift:
    symptom: str
    peak: date
    confirmed: date


@dataclass(frozen=True)
class _Evaluation:
    """A cycle read on its own: rules 1-3 of the contract."""

    temperature: _TemperatureShift | None
    secondary: _SecondaryShift | None


# --------------------------------------------------------------------------- public API


def sensiplan_status(
    cycle: Sequence[Mapping[str, Any]],
    previous_cycle: Sequence[Mapping[str, Any]] | None = None,
    earlier_cycles: Sequence[Sequence[Mapping[str, Any]]] = (),
    secondary_symptom: str = "mucus",
) -> Status:
    """Evaluate ``cycle`` by the Sensiplan rules and return the contract's status dict.

    ``previous_cycle`` and ``earlier_cycles`` (most recent first) only feed the
    pre-ovulatory phase (5-day and minus-8 rules). Every cycle given is validated, and
    malformed input raises ``ValueError`` naming the cycle, the day and the field.
    """
    if secondary_symptom not in _SYMPTOMS:
        raise ValueError(
            f"secondary_symptom must be 'mucus' or 'cervix', got {secondary_symptom!r}"
        )
    days = _parse_cycle(cycle, "cycle")
    previous = None if previous_cycle is None else _parse_cycle(previous_cycle, "previous_cycle")
    earlier = _parse_earlier_cycles(earlier_cycles)

    evaluation = _evaluate(days, secondary_symptom)
    pre_end = None
    if previous is not None:
        pre_end = _pre_ovulatory_end(days, previous, earlier, secondary_symptom)

    post_start = _post_ovulatory_start(evaluation)
    return {
        "temperature_shift": _temperature_shift_dict(evaluation.temperature),
        "secondary_shift": _secondary_shift_dict(evaluation.secondary),
        "pre_ovulatory": _pre_ovulatory_dict(days, pre_end),
        "peri_ovulatory": _peri_ovulatory_dict(days, pre_end, post_start),
        "post_ovulatory": None if post_start is None else {"start": post_start.isoformat()},
    }


def mucus_code(feeling: str | None, texture: str | None) -> int | None:
    """Map a recorded feeling and texture to the NFP mucus code 0-4.

    ``feeling`` is one of dry, nothing, wet, slippery; ``texture`` one of nothing, creamy,
    egg_white. The code is the more fertile of the two; None when either is missing. An
    unknown word raises ``ValueError`` even when the other one is missing, so a typo is never
    silently stored as "no observation".
    """
    feeling_code = _lookup_word(feeling, _FEELING_CODES, "feeling")
    texture_code = _lookup_word(texture, _TEXTURE_CODES, "texture")
    if feeling_code is None or texture_code is None:
        return None
    return max(feeling_code, texture_code)


def _lookup_word(word: str | None, codes: Mapping[str, int], field: str) -> int | None:
    if word is None:
        return None
    if not isinstance(word, str) or word not in codes:
        raise ValueError(f"mucus {field} must be one of {', '.join(codes)}; got {word!r}")
    return codes[word]


# --------------------------------------------------------------------------- input checks


def _parse_earlier_cycles(earlier_cycles: Any) -> list[list[_Day]]:
    if not isinstance(earlier_cycles, (list, tuple)):
        kind = type(earlier_cycles).__name__
        raise ValueError(f"earlier_cycles must be a list or tuple of cycles, got {kind}")
    return [_parse_cycle(raw, f"earlier_cycles[{i}]") for i, raw in enumerate(earlier_cycles)]


def _parse_cycle(raw: Any, label: str) -> list[_Day]:
    """Validate one cycle and return its days in date order."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{label} must be a non-empty list of days, got {reprlib.repr(raw)}")
    days = [_parse_day(item, label, position) for position, item in enumerate(raw, start=1)]
    days.sort(key=lambda day: day.date)
    for before, after in zip(days, days[1:]):
        if before.date == after.date:
            raise ValueError(f"{label}, day {after.date}: date appears twice")
    if days[0].bleeding is None:
        raise ValueError(
            f"{label}, day {days[0].date}: bleeding is required on the first day of a cycle"
        )
    return days


def _parse_day(raw: Any, label: str, position: int) -> _Day:
    if not isinstance(raw, Mapping):
        raise ValueError(
            f"{label}, day #{position}: a day must be a mapping, got {reprlib.repr(raw)}"
        )
    day_date = _parse_date(raw.get("date"), f"{label}, day #{position}")
    where = f"{label}, day {day_date}"
    excluded = raw.get("temperature_excluded")
    if excluded is not None and not isinstance(excluded, bool):
        raise ValueError(f"{where}: temperature_excluded must be true or false, got {excluded!r}")
    temperature = _parse_temperature(raw.get("temperature"), where)
    return _Day(
        date=day_date,
        temperature=None if excluded else temperature,
        mucus=_parse_code(raw.get("mucus"), "mucus", 4, where),
        cervix=_cervix_quality(raw.get("cervix"), where),
        bleeding=_parse_code(raw.get("bleeding"), "bleeding", 3, where),
    )


def _parse_date(value: Any, where: str) -> date:
    # A datetime is a date subclass but would not compare with dates: refuse it rather than guess.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if value is None:
        raise ValueError(f"{where}: date is missing")
    # fromisoformat alone also accepts "20180601" and week dates; the contract says YYYY-MM-DD.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: date must be a datetime.date or 'YYYY-MM-DD', got {value!r}")


def _is_int(value: Any) -> TypeGuard[int]:
    # bool is an int subclass; True must not pass as code 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_code(value: Any, field: str, highest: int, where: str) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or not 0 <= value <= highest:
        raise ValueError(f"{where}: {field} must be an int 0-{highest} or None, got {value!r}")
    return value


def _parse_temperature(value: Any, where: str) -> int | None:
    if value is None:
        return None
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or not math.isfinite(value):
        raise ValueError(f"{where}: temperature must be a finite number (°C), got {value!r}")
    return _to_steps(value)


def _to_steps(celsius: float) -> int:
    """Round to the nearest 0.05 °C, halfway up, and return the number of 0.05 °C steps.

    repr() gives the decimal the person typed (36.525, not the binary 36.52499...), so the
    halfway case rounds up as the contract requires.
    """
    steps = Decimal(repr(celsius)) * _STEPS_PER_DEGREE
    return int(steps.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _cervix_quality(value: Any, where: str) -> int | None:
    """1 for a fertile cervix, 0 for closed and hard (the only infertile state)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(
            f"{where}: cervix must be a mapping with opening and firmness, "
            f"got {reprlib.repr(value)}"
        )
    opening = value.get("opening")
    firmness = value.get("firmness")
    if not _is_int(opening) or not 0 <= opening <= 2:
        raise ValueError(f"{where}: cervix opening must be an int 0-2, got {opening!r}")
    if not _is_int(firmness) or not 0 <= firmness <= 1:
        raise ValueError(f"{where}: cervix firmness must be an int 0-1, got {firmness!r}")
    return 0 if opening == 0 and firmness == 0 else 1


# --------------------------------------------------------------------------- rules 1-3


def _evaluate(days: list[_Day], symptom: str) -> _Evaluation:
    shift = _find_temperature_shift(days)
    secondary = None if shift is None else _find_secondary_shift(days, symptom, shift.confirmed)
    return _Evaluation(shift, secondary)


def _find_temperature_shift(days: list[_Day]) -> _TemperatureShift | None:
    """Rule 2: the first candidate from the 7th measurement on that a rule confirms."""
    measured = [(day.date, day.temperature) for day in days if day.temperature is not None]
    values = [value for _, value in measured]
    for index in range(_LOWER_VALUES, len(values)):
        coverline = max(values[index - _LOWER_VALUES : index])
        if values[index] <= coverline:
            continue
        confirmation = _confirm_candidate(values[index + 1 : index + 4], coverline)
        if confirmation is not None:
            rule, offset = confirmation
            return _TemperatureShift(
                rule, coverline, measured[index][0], measured[index + offset][0]
            )
    return None


def _confirm_candidate(following: list[int], coverline: int) -> tuple[int, int] | None:
    """Which rule confirms a candidate, given up to three measurements after it.

    Returns (rule, offset of the confirming measurement from the candidate), or None when no
    rule applies or the rule's measurements are not recorded yet. The exceptions are never
    combined, so each branch decides alone.
    """
    if len(following) < 2:
        return None
    second_high = following[0] > coverline
    third_high = following[1] > coverline
    fourth = following[2] if len(following) == 3 else None
    if second_high and third_high:
        if following[1] >= coverline + _CONFIRMING_RISE:
            return 0, 2
        # First exception: the third missed +0.2 °C, so a fourth value above the line decides.
        if fourth is not None and fourth > coverline:
            return 1, 3
        return None
    if second_high != third_high:
        # Second exception: one dip to or below the line, outweighed by a clear fourth value.
        if fourth is not None and fourth >= coverline + _CONFIRMING_RISE:
            return 2, 3
    return None


def _find_secondary_shift(
    days: list[_Day], symptom: str, temperature_confirmed: date
) -> _SecondaryShift | None:
    """Rule 3, one scan for both signs.

    A cervix is scored 1 (fertile) or 0 (closed and hard), which makes the cervix rule the
    mucus rule with a fertile threshold of 1: a peak is a day at the best quality so far,
    fertile, followed by three lower recorded observations, and not matched again up to and
    including the day the temperature shift is confirmed.
    """
    observed = [(day.date, q) for day in days if (q := day.quality(symptom)) is not None]
    best = -1
    for index, (peak_date, quality) in enumerate(observed):
        best = max(best, quality)
        if quality != best or quality < _FERTILE_FROM[symptom]:
            continue
        after = observed[index + 1 :]
        next_three = after[:_DAYS_AFTER_PEAK]
        if len(next_three) < _DAYS_AFTER_PEAK or any(q >= quality for _, q in next_three):
            continue
        if any(q >= quality for d, q in after if d <= temperature_confirmed):
            continue
        return _SecondaryShift(symptom, peak_date, next_three[-1][0])
    return None


# --------------------------------------------------------------------------- rules 4-6


def _post_ovulatory_start(evaluation: _Evaluation) -> date | None:
    """Rule 4: the later of the two confirmations (equal dates are the same day)."""
    if evaluation.temperature is None or evaluation.secondary is None:
        return None
    return max(evaluation.temperature.confirmed, evaluation.secondary.confirmed)


def _pre_ovulatory_end(
    days: list[_Day],
    previous: list[_Day],
    earlier: list[list[_Day]],
    symptom: str,
) -> date | None:
    """Rule 5: the last day of the infertile phase at cycle start, or None when there is none."""
    previous_first_high = _first_high_cycle_day(previous, symptom)
    if previous_first_high is None:
        return None
    first_high_days = [previous_first_high]
    for cycle in earlier:
        first_high = _first_high_cycle_day(cycle, symptom)
        if first_high is not None:
            first_high_days.append(first_high)
    length = _pre_ovulatory_length(first_high_days)
    if length <= 0:
        return None
    last_day = days[0].date + timedelta(days=length - 1)
    last_recorded = None
    for day in days:
        if day.date > last_day:
            break
        quality = day.quality(symptom)
        if quality is not None and quality >= _FERTILE_FROM[symptom]:
            # Ends before the first fertile sign: the last recorded day, None if it is day 1.
            return last_recorded
        last_recorded = day.date
    return last_day


def _first_high_cycle_day(days: list[_Day], symptom: str) -> int | None:
    """The cycle day of a past cycle's first higher measurement, if it has both shifts.

    A past cycle with a temperature shift but no secondary shift does not count.
    """
    evaluation = _evaluate(days, symptom)
    if evaluation.temperature is None or evaluation.secondary is None:
        return None
    return _cycle_day(days, evaluation.temperature.first_high)


def _pre_ovulatory_length(first_high_days: list[int]) -> int:
    """The 5-day rule, or the minus-8 rule from the earliest first higher measurement.

    Shortening is always the safe side; lengthening needs the evidence of at least 12
    cycles with both shifts.
    """
    minus_8 = min(first_high_days) - _MINUS_8
    if minus_8 < _FIVE_DAY_RULE:
        return minus_8
    if minus_8 > _FIVE_DAY_RULE and len(first_high_days) >= _CYCLES_TO_LENGTHEN:
        return minus_8
    return _FIVE_DAY_RULE


def _cycle_day(days: list[_Day], when: date) -> int:
    # Calendar days from the cycle's first date, so a shift in the next month still counts right.
    return (when - days[0].date).days + 1


# --------------------------------------------------------------------------- output


def _temperature_shift_dict(shift: _TemperatureShift | None) -> dict[str, Any] | None:
    if shift is None:
        return None
    return {
        "rule": shift.rule,
        "coverline": shift.coverline / _STEPS_PER_DEGREE,
        "first_high_date": shift.first_high.isoformat(),
        "confirmed_date": shift.confirmed.isoformat(),
    }


def _secondary_shift_dict(shift: _SecondaryShift | None) -> dict[str, Any] | None:
    if shift is None:
        return None
    return {
        "symptom": shift.symptom,
        "peak_date": shift.peak.isoformat(),
        "confirmed_date": shift.confirmed.isoformat(),
    }


def _pre_ovulatory_dict(days: list[_Day], pre_end: date | None) -> dict[str, str] | None:
    if pre_end is None:
        return None
    return {"start": days[0].date.isoformat(), "end": pre_end.isoformat()}


def _peri_ovulatory_dict(
    days: list[_Day], pre_end: date | None, post_start: date | None
) -> dict[str, str | None] | None:
    """Rule 6; None when the pre-ovulatory phase already covers every recorded day."""
    if pre_end is not None and days[-1].date <= pre_end:
        return None
    start = days[0].date if pre_end is None else pre_end + timedelta(days=1)
    return {
        "start": start.isoformat(),
        "end": None if post_start is None else post_start.isoformat(),
    }
