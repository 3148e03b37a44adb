"""What the chart pages draw: one cycle's logged rows as :func:`render_cycle_chart` days, and
the statistics page's small chart of cycle lengths. Pure standard-library code: rows are read
by attribute (journal models or anything shaped like them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

from . import vocabulary
from .cycles import CycleSpan, is_period_bleeding
from .formatting import temperature_text
from .reading import CycleReading
from .vocabulary import BLEEDING_CODES

__all__ = [
    "CERVIX_KEY",
    "DayMarks",
    "LengthBar",
    "cervix_code",
    "chart_days",
    "day_cells",
    "day_marks",
    "render_lengths_chart",
]

# The cervix row in up to five characters: opening, firmness, position.
_OPENING = {"closed": "c", "medium": "½", "open": "o"}
_FIRMNESS = {"firm": "f", "soft": "s"}
_POSITION = {"low": "↓", "medium": "–", "high": "↑"}
CERVIX_KEY = "Cervix: c closed, ½ a little open, o open; f firm, s soft; ↓ low, – medium, ↑ high"
_INSEMINATION_LABELS = {"ici": "ICI", "iui": "IUI", "ivi": "IVI"}


def cervix_code(day: Any) -> str | None:
    """"os↑" for an open, soft, high cervix (three characters fit a chart column); only the
    parts noted; None when none was."""
    parts = [
        table.get(value)
        for table, value in (
            (_OPENING, day.cervix_opening),
            (_FIRMNESS, day.cervix_firmness),
            (_POSITION, day.cervix_position),
        )
        if value
    ]
    return "".join(part for part in parts if part) or None


def chart_days(
    span: CycleSpan,
    last_day: date,
    days: Iterable[Any],
    inseminations: Iterable[Any] = (),
    tests: Iterable[Any] = (),
) -> list[dict[str, Any]]:
    """The chart's day mappings for one cycle, cycle day 1 through ``last_day``.

    Days with nothing logged are left out (the chart draws them as empty columns), except
    the first and the last, which fix the chart's width.
    """
    by_date: dict[date, dict[str, Any]] = {}

    def entry(when: date) -> dict[str, Any]:
        if when not in by_date:
            by_date[when] = {"date": when, "cycle_day": span.day_number(when)}
        return by_date[when]

    for day in days:
        if not (span.start <= day.date <= last_day):
            continue
        record = entry(day.date)
        if day.temperature_centi is not None:
            record["temperature_c"] = day.temperature_centi / 100
            record["temperature_excluded"] = day.temperature_disturbance is not None
        if is_period_bleeding(day.bleeding, day.not_period):
            record["bleeding"] = BLEEDING_CODES[day.bleeding]
        if day.mucus_code is not None:
            record["mucus_code"] = day.mucus_code
        cervix = cervix_code(day)
        if cervix:
            record["cervix"] = cervix
        if day.ovulation_test:
            record["ovulation_test"] = day.ovulation_test
    counted: dict[date, list[Any]] = {}
    for insemination in inseminations:
        if span.start <= insemination.date <= last_day:
            counted.setdefault(insemination.date, []).append(insemination)
    for when, items in counted.items():
        label = _INSEMINATION_LABELS.get(items[0].method, True)
        entry(when)["insemination"] = f"{len(items)}×" if len(items) > 1 else label
    for test in tests:
        if span.start <= test.date <= last_day:
            entry(test.date)["pregnancy_test"] = "positive" if test.is_positive else "negative"
    entry(span.start)
    entry(last_day)
    return [by_date[when] for when in sorted(by_date)]


@dataclass(frozen=True)
class DayCells:
    """One logged day in words, for the table beside the chart (the same words as the
    journal's entry macros in ``_partials/journal_entries.html``, made here because the table
    has a row a day and macros are slow in a loop)."""

    temperature: str = ""
    bleeding: str = ""
    mucus: str = ""
    cervix: str = ""
    ovulation_test: str = ""


def day_cells(day: Any, unit: str) -> DayCells:
    label = vocabulary.label
    temperature = temperature_text(day.temperature_centi, unit)
    if temperature and day.temperature_disturbance:
        temperature += " (disturbed, left out of the rules)"
    bleeding = ""
    if day.bleeding:
        bleeding = f"{label(vocabulary.BLEEDING, day.bleeding)} bleeding"
        if day.not_period:
            bleeding += " (not a period)"
    mucus = ""
    code = day.mucus_code
    if code is not None:
        mucus = f"{vocabulary.MUCUS_SYMBOLS[code]} ({vocabulary.MUCUS_CODE_WORDS[code]})"
    elif day.mucus_feeling or day.mucus_appearance:
        words = [label(vocabulary.MUCUS_FEELINGS, day.mucus_feeling), label(vocabulary.MUCUS_APPEARANCES, day.mucus_appearance)]
        mucus = ", ".join(word for word in words if word)
    cervix = ", ".join(
        word.lower()
        for word in (
            label(vocabulary.CERVIX_POSITIONS, day.cervix_position),
            label(vocabulary.CERVIX_FIRMNESS, day.cervix_firmness),
            label(vocabulary.CERVIX_OPENINGS, day.cervix_opening),
        )
        if word
    )
    return DayCells(
        temperature=temperature,
        bleeding=bleeding,
        mucus=mucus,
        cervix=cervix,
        ovulation_test=label(vocabulary.OVULATION_TESTS, day.ovulation_test),
    )


@dataclass(frozen=True)
class DayMarks:
    """What the rules say about one date, in words for the table beside the chart."""

    fertile: bool = False
    first_high: bool = False
    ovulation: bool = False
    confirmed: bool = False
    infertile_start: bool = False

    def words(self) -> str:
        found = []
        if self.infertile_start:
            found.append("infertile days at the start")
        if self.fertile:
            found.append("fertile phase")
        if self.ovulation:
            found.append("likely ovulation")
        if self.first_high:
            found.append("first higher temperature")
        if self.confirmed:
            found.append("temperature shift confirmed")
        return ", ".join(found)


def day_marks(reading: CycleReading, when: date) -> DayMarks:
    start, end = reading.fertile_start, reading.fertile_end
    pre_end = reading.pre_ovulatory_end
    return DayMarks(
        fertile=start is not None and start <= when and (end is None or when <= end),
        first_high=reading.first_high == when,
        ovulation=reading.ovulation == when,
        confirmed=reading.confirmed == when,
        infertile_start=pre_end is not None and reading.span.start <= when <= pre_end,
    )


# --------------------------------------------------------------------------- cycle lengths


@dataclass(frozen=True)
class LengthBar:
    number: int
    start: date
    length: int
    ovulation_day: int | None = None


_BAR = 26
_GAP = 8
_LEFT = 44
_TOP = 16
_PLOT = 160
_BOTTOM = 40
_MIN_WIDTH = 330  # the legend's width


def render_lengths_chart(
    bars: Sequence[LengthBar], average: float | None, *, chart_id: str = "lengths-chart"
) -> str:
    """A bar per completed cycle (oldest first) with its length, and the average as a dashed
    line; ovulation days, when known, as a tick inside the bar. Accessible like the cycle
    chart: ``role="img"`` with a title and a description; colours come from the stylesheet."""
    if not bars:
        raise ValueError("bars must not be empty")
    highest = max(max(bar.length for bar in bars), 35)
    top_value = ((highest + 4) // 5) * 5
    width = max(_MIN_WIDTH, _LEFT + len(bars) * (_BAR + _GAP) + 16)
    height = _TOP + _PLOT + _BOTTOM + 16

    def y(value: float) -> float:
        return _TOP + _PLOT * (1 - value / top_value)

    lengths = ", ".join(f"cycle {bar.number}: {bar.length} days" for bar in bars)
    description = f"Cycle lengths, oldest first: {lengths}."
    if average is not None:
        description += f" Average {average:.1f} days."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lengths-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<title id="{chart_id}-title">Your cycle lengths over time</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for value in range(0, top_value + 1, 10):
        parts.append(
            f'<line class="chart-grid-line" x1="{_LEFT}" y1="{y(value):.1f}" x2="{width - 8}" '
            f'y2="{y(value):.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis-label" x="{_LEFT - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    for index, bar in enumerate(bars):
        x = _LEFT + _GAP / 2 + index * (_BAR + _GAP)
        top = y(bar.length)
        parts.append(
            f'<rect class="lengths-bar" x="{x:.1f}" y="{top:.1f}" width="{_BAR}" '
            f'height="{_TOP + _PLOT - top:.1f}"><title>Cycle {bar.number}, from '
            f"{bar.start.day} {bar.start:%B %Y}: {bar.length} days"
            f"{'' if bar.ovulation_day is None else f', likely ovulation on day {bar.ovulation_day}'}"
            "</title></rect>"
        )
        parts.append(
            f'<text class="lengths-value" x="{x + _BAR / 2:.1f}" y="{top - 4:.1f}" '
            f'text-anchor="middle">{bar.length}</text>'
        )
        if bar.ovulation_day is not None:
            tick = y(bar.ovulation_day)
            parts.append(
                f'<line class="lengths-ovulation" x1="{x:.1f}" y1="{tick:.1f}" '
                f'x2="{x + _BAR:.1f}" y2="{tick:.1f}"/>'
            )
        parts.append(
            f'<text class="chart-axis-label" x="{x + _BAR / 2:.1f}" y="{_TOP + _PLOT + 16}" '
            f'text-anchor="middle">{bar.number}</text>'
        )
    if average is not None:
        parts.append(
            f'<line class="lengths-average" x1="{_LEFT}" y1="{y(average):.1f}" x2="{width - 8}" '
            f'y2="{y(average):.1f}" stroke-dasharray="6 4"/>'
        )
    parts.append(
        f'<text class="chart-legend-text" x="8" y="{height - 22}">Bars: cycle length in days, '
        "by cycle number</text>"
    )
    parts.append(
        f'<text class="chart-legend-text" x="8" y="{height - 6}">- - - average length · '
        "─ in a bar: likely ovulation day</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def last_days(span: CycleSpan, today: date) -> date:
    """The last date a cycle's chart shows by default."""
    return span.end if span.end is not None else max(today, span.start)


def dates(span: CycleSpan, last_day: date) -> list[date]:
    return [span.start + timedelta(days=offset) for offset in range((last_day - span.start).days + 1)]
