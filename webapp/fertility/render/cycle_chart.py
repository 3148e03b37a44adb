"""One cycle's chart as an accessible inline SVG string.

:func:`render_cycle_chart` is pure (standard library only, no Flask, no Jinja): it takes the
recorded days of one cycle and the :func:`webapp.fertility.sensiplan.sensiplan_status` result and
returns SVG markup to place in a page with ``|safe`` (every piece of text in it is escaped
here). The output is deterministic, and the width grows with the number of days (a column
of 24 px a day: 40 days fit a 1280 px screen with no scaling to speak of).

:func:`render_cycle_chart_parts` also returns the chart's left column (row labels and the
temperature scale) as a second, ``aria-hidden`` SVG of the same height: on a phone the page
keeps it fixed at the left while the days scroll sideways beneath it. The legend is not in
the SVG: :func:`legend_lines` gives its lines for the page to show beside the chart, where
it wraps to any width and never scrolls away.

No label is drawn over the curve: "Fertile phase", "Likely ovulation" and "1st higher" sit
in two lanes above the plot, the coverline's label in a lane below it.

Input days are mappings with these keys (all but ``date`` and ``cycle_day`` optional):

================== ===========================================================================
``date``           ``datetime.date`` or ``"YYYY-MM-DD"``
``cycle_day``      int >= 1; one column per cycle day from the lowest to the highest given,
                   so unrecorded days show as empty columns (gaps)
``temperature_c``  float in °C or None
``temperature_excluded``  bool: a disturbed value, drawn hollow and never joined by the line
``bleeding``       int 0-3 (spotting, light, medium, heavy) or None
``mucus_code``     int 0-4 (t, Ø, f, S, S+) or None
``cervix``         short text such as ``"c h"`` or None (up to 5 characters are drawn; the
                   full text is in the day's title)
``ovulation_test`` text label, e.g. ``"positive"`` or ``"peak"`` (drawn as +), ``"high"`` (↑),
                   ``"negative"`` (−)
``insemination``   True (drawn as ✓) or a short text label such as ``"ICI"``
``pregnancy_test`` text label, e.g. ``"negative"``, ``"faint"``, ``"positive"``
``intercourse``    text, e.g. ``"with sperm"`` (drawn as ♥) or ``"protected"`` (○)
``medicine``       short symbols of the courses taken that day, e.g. ``"Let"`` or ``"P4"``;
                   ``medicine_words`` their names for the day's title
``progesterone``   bool: progesterone taken that day (the temperature's title says it can
                   raise it)
``trigger``        text: a trigger shot that day (drawn as hCG) or the ovulation estimated
                   from one (drawn as ov?)
``progesterone_test``  text, e.g. ``"PdG positive"`` (drawn as +) or ``"9.1 ng/mL"``
================== ===========================================================================

Colours come only from the app's stylesheet (light, dark and print themes); the markup carries
shape and dash patterns so that colour is never the only signal. CSS classes:

- ``cycle-chart``: the ``<svg>`` element
- ``chart-fertile-band``: the fertile (peri-ovulatory) phase, a soft band
- ``chart-phase-label``: the band's text label
- ``chart-grid-line``, ``chart-axis-label``, ``chart-axis-unit``: temperature grid and scale
- ``chart-row-label``: the labels at the left of each row
- ``chart-day``: one ``<g>`` per cycle day (has a ``<title>`` with the day in words);
  ``chart-column`` is its background rectangle (transparent by default: a hover target)
- ``chart-day-number``, ``chart-date``, ``chart-month``: column headings
- ``chart-symbol`` plus one of ``chart-bleeding``, ``chart-mucus``, ``chart-cervix``,
  ``chart-ovulation-test``, ``chart-insemination``, ``chart-pregnancy-test``: row entries;
  ``chart-stacked`` is added to a medicine cell of several courses, drawn on two lines
- ``chart-temp-line``: the temperature curve (one polyline per run of consecutive values)
- ``chart-temp-point``: a measurement; ``chart-temp-excluded`` is added to excluded ones,
  which are also drawn hollow (``fill="none"``)
- ``chart-temp-progesterone``: added to measurements taken while on progesterone
- ``chart-coverline``, ``chart-coverline-label``: the dashed coverline and its label
- ``chart-first-high``: the ring around the first higher measurement
- ``chart-ovulation-line``: the dotted line on the likely ovulation day
- ``chart-marker-label``: the labels of the two markers above
- ``chart-coverline-key``: the short dashed sample before the coverline's label
- ``cycle-chart-labels``: the separate left-column ``<svg>``; ``chart-labels-backdrop`` its
  opaque background (so the days scrolling beneath it do not show through)
- ``cycle-chart-long``: added to ``cycle-chart`` when the cycle has more than
  ``LONG_CYCLE_DAYS`` days (too many to scale into a desktop column and stay readable)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["ChartParts", "legend_lines", "render_cycle_chart", "render_cycle_chart_parts"]

# Geometry in px. A column is wide enough for a three-character code ("os↑", "ICI") at the
# row font size; longer labels are cut to five characters.
COLUMN_WIDTH = 24
LEFT_MARGIN = 104  # row labels and the temperature scale (the phone's fixed column)
RIGHT_MARGIN = 12
MIN_WIDTH = 320  # room for the marker labels even in a short cycle
LONG_CYCLE_DAYS = 50
DAY_NUMBER_Y = 18
DATE_Y = 36
MONTH_Y = 48
PHASE_LABEL_Y = 66  # lane A, above the plot: the fertile phase
MARKER_LABEL_Y = 82  # lane B, above the plot: likely ovulation and the first higher value
PLOT_TOP = 92
PLOT_HEIGHT = 220
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
COVERLINE_LABEL_Y = PLOT_BOTTOM + 17  # the lane below the plot
ROWS_TOP = PLOT_BOTTOM + 26
ROW_HEIGHT = 22
POINT_RADIUS = 4
RING_RADIUS = 8
LABEL_CHAR_WIDTH = 6.8  # a generous average for 12 px bold system-ui text: for label placement

UNITS = ("C", "F")
# Candidate grid steps per unit, smallest first; the smallest that keeps at most 12 steps wins.
_GRID_STEPS = {"C": (0.1, 0.2, 0.5, 1.0), "F": (0.2, 0.5, 1.0, 2.0)}
_MIN_SPAN = {"C": 0.8, "F": 1.4}  # a flat curve still gets a readable scale
_DEFAULT_RANGE_C = (36.2, 37.0)  # the scale when nothing was measured yet

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BLEEDING = (("◦", "spotting"), ("•", "light"), ("••", "medium"), ("•••", "heavy"))
_MUCUS = (("t", "dry"), ("Ø", "nothing"), ("f", "wet"), ("S", "creamy"), ("S+", "egg white"))
_TEST_SYMBOLS = {"positive": "+", "peak": "+", "high": "↑", "negative": "−"}
_LABEL_CHARS = 5
_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

_ROWS = (
    ("bleeding", "Bleeding"),
    ("mucus", "Mucus"),
    ("cervix", "Cervix"),
    ("ovulation-test", "Ovulation test"),
    ("insemination", "Insemination"),
    ("pregnancy-test", "Pregnancy test"),
    ("intercourse", "Intercourse"),
    ("medicine", "Medicines"),
    ("trigger", "Trigger shot"),
    ("progesterone-test", "PdG / P4 test"),
)
_INTERCOURSE_SYMBOLS = {"protected": "○"}
PROGESTERONE_TEMPERATURE_NOTE = "progesterone can raise temperature"


@dataclass(frozen=True)
class _Column:
    """One cycle day, recorded or not, with what each row shows (symbol, words)."""

    cycle_day: int
    date: date
    recorded: bool
    temperature: float | None  # in the display unit
    excluded: bool
    cells: dict[str, tuple[str, str]]
    progesterone: bool = False  # progesterone taken: its temperature may be raised by it


@dataclass(frozen=True)
class _Scale:
    """Maps display temperatures to y coordinates in the plot area."""

    low: float
    high: float
    step: float

    def y(self, value: float) -> float:
        return PLOT_TOP + PLOT_HEIGHT * (self.high - value) / (self.high - self.low)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


@dataclass(frozen=True)
class ChartParts:
    """The chart (``chart``, the accessible image) and its left column alone (``labels``)."""

    chart: str
    labels: str


def render_cycle_chart(
    days: Sequence[Mapping[str, Any]],
    status: Mapping[str, Any] | None = None,
    unit: str = "C",
    *,
    chart_id: str = "cycle-chart",
    title: str | None = None,
) -> str:
    """Return the SVG markup of one cycle's chart.

    ``status`` is the ``sensiplan_status`` result for the cycle (None draws no analysis).
    ``unit`` ("C" or "F") is the display unit; temperatures arrive in °C. ``chart_id``
    prefixes the ids of ``<title>`` and ``<desc>``, so give each chart on a page its own.
    Raises ``ValueError`` for an unknown unit, a bad ``chart_id`` or malformed days.
    """
    return _render(days, status, unit, chart_id, title, with_labels=False).chart


def render_cycle_chart_parts(
    days: Sequence[Mapping[str, Any]],
    status: Mapping[str, Any] | None = None,
    unit: str = "C",
    *,
    chart_id: str = "cycle-chart",
    title: str | None = None,
) -> ChartParts:
    """:func:`render_cycle_chart` and the chart's left column as a separate decorative SVG
    (``aria-hidden``: the chart itself carries every word), drawn from one reading of the days."""
    return _render(days, status, unit, chart_id, title, with_labels=True)


def legend_lines(unit: str = "C") -> list[str]:
    """What the chart's marks mean, a line each, for the page to show beside it."""
    if unit not in UNITS:
        raise ValueError(f"unit must be 'C' or 'F', got {unit!r}")
    return [
        f"● temperature (°{unit}) joined by a line · ○ excluded (disturbed), not joined",
        "- - - coverline · ◎ first higher measurement · ┆ likely ovulation",
        "Shaded band: fertile phase",
        "Bleeding: ◦ spotting, • light, •• medium, ••• heavy",
        "Mucus: t dry, Ø nothing, f wet, S creamy, S+ egg white",
        "Tests: + positive or peak, ↑ high, − negative · Insemination: ✓ or its label",
        "Intercourse: ♥ with sperm or not noted, ○ protected · Trigger: hCG the shot, ov? ovulation"
        " estimated from it",
        f"Medicines: every day of a course (P4 progesterone: {PROGESTERONE_TEMPERATURE_NOTE})",
    ]


def _render(
    days: Sequence[Mapping[str, Any]],
    status: Mapping[str, Any] | None,
    unit: str,
    chart_id: str,
    title: str | None,
    *,
    with_labels: bool,
) -> ChartParts:
    if unit not in UNITS:
        raise ValueError(f"unit must be 'C' or 'F', got {unit!r}")
    if not _ID_PATTERN.fullmatch(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")
    status = status or {}
    columns = _columns(days, unit)
    shift = status.get("temperature_shift")
    coverline = None if shift is None else _display(shift["coverline"], unit)
    scale = _scale(columns, coverline, unit)

    width = max(MIN_WIDTH, LEFT_MARGIN + len(columns) * COLUMN_WIDTH + RIGHT_MARGIN)
    height = ROWS_TOP + len(_ROWS) * ROW_HEIGHT + 8
    css = "cycle-chart cycle-chart-long" if len(columns) > LONG_CYCLE_DAYS else "cycle-chart"

    heading = title if title is not None else _default_title(columns)
    left_column = [*_row_labels(unit), *_axis_labels(scale, unit)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="{chart_id}-title">{escape(heading)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(columns, status, unit))}</desc>',
        *_fertile_band(columns, status.get("peri_ovulatory")),
        *_grid_lines(scale, width),
        *left_column,
        *(_day_group(index, column, unit) for index, column in enumerate(columns)),
    ]
    if shift is not None and coverline is not None:
        parts += _coverline(coverline, scale, unit, width)
        parts += _shift_markers(
            columns, scale, date.fromisoformat(shift["first_high_date"]), width
        )
    parts += _temperature_lines(columns, scale)
    parts += _temperature_points(columns, scale)
    parts.append("</svg>")
    labels = ""
    if with_labels:
        labels = "\n".join([
            f'<svg xmlns="http://www.w3.org/2000/svg" class="cycle-chart-labels" '
            f'aria-hidden="true" focusable="false" width="{LEFT_MARGIN}" height="{height}" '
            f'viewBox="0 0 {LEFT_MARGIN} {height}">',
            f'<rect class="chart-labels-backdrop" x="0" y="0" width="{LEFT_MARGIN}" '
            f'height="{height}"/>',
            *left_column,
            "</svg>",
        ])
    return ChartParts("\n".join(parts), labels)


# --------------------------------------------------------------------------- input


def _columns(days: Sequence[Mapping[str, Any]], unit: str) -> list[_Column]:
    """One column per cycle day from the lowest to the highest given, gaps included."""
    if not days:
        raise ValueError("days must not be empty")
    by_cycle_day: dict[int, Mapping[str, Any]] = {}
    for position, day in enumerate(days, start=1):
        cycle_day = day.get("cycle_day") if isinstance(day, Mapping) else None
        if not isinstance(cycle_day, int) or isinstance(cycle_day, bool) or cycle_day < 1:
            raise ValueError(f"day #{position}: cycle_day must be an int >= 1, got {cycle_day!r}")
        if cycle_day in by_cycle_day:
            raise ValueError(f"cycle day {cycle_day}: given twice")
        by_cycle_day[cycle_day] = day
    first = min(by_cycle_day)
    # The date of cycle day 1, even when the first day given is later.
    day_one = _as_date(by_cycle_day[first], first) - timedelta(days=first - 1)
    columns = []
    for cycle_day in range(first, max(by_cycle_day) + 1):
        expected_date = day_one + timedelta(days=cycle_day - 1)
        given = by_cycle_day.get(cycle_day)
        if given is None:
            columns.append(_Column(cycle_day, expected_date, False, None, False, {}))
            continue
        if _as_date(given, cycle_day) != expected_date:
            raise ValueError(f"cycle day {cycle_day}: date does not match its cycle day")
        columns.append(_column(given, cycle_day, expected_date, unit))
    return columns


def _as_date(day: Mapping[str, Any], cycle_day: int) -> date:
    value = day.get("date")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"cycle day {cycle_day}: date must be a date or 'YYYY-MM-DD', got {value!r}")


def _column(day: Mapping[str, Any], cycle_day: int, day_date: date, unit: str) -> _Column:
    celsius = day.get("temperature_c")
    if celsius is not None and (
        isinstance(celsius, bool)
        or not isinstance(celsius, (int, float))
        or not math.isfinite(celsius)
    ):
        raise ValueError(f"cycle day {cycle_day}: temperature_c must be a number, got {celsius!r}")
    cells = {
        "bleeding": _coded(day.get("bleeding"), _BLEEDING, "bleeding", cycle_day),
        "mucus": _coded(day.get("mucus_code"), _MUCUS, "mucus_code", cycle_day),
        "cervix": _labelled(day.get("cervix")),
        "ovulation-test": _labelled(day.get("ovulation_test")),
        "insemination": _insemination(day.get("insemination")),
        "pregnancy-test": _labelled(day.get("pregnancy_test")),
        "intercourse": _intercourse(day.get("intercourse")),
        "medicine": _medicine(day.get("medicine"), day.get("medicine_words")),
        "trigger": _trigger(day.get("trigger")),
        "progesterone-test": _progesterone_test(day.get("progesterone_test")),
    }
    return _Column(
        cycle_day=cycle_day,
        date=day_date,
        recorded=True,
        temperature=None if celsius is None else _display(celsius, unit),
        excluded=bool(day.get("temperature_excluded")),
        cells={row: cell for row, cell in cells.items() if cell is not None},
        progesterone=bool(day.get("progesterone")),
    )


def _coded(
    value: Any, symbols: Sequence[tuple[str, str]], field: str, cycle_day: int
) -> tuple[str, str] | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(symbols):
        raise ValueError(f"cycle day {cycle_day}: {field} must be an int 0-{len(symbols) - 1}")
    symbol, words = symbols[value]
    return symbol, f"{symbol} ({words})" if field == "mucus_code" else words


def _labelled(value: Any) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    text = str(value)
    symbol = _TEST_SYMBOLS.get(text.strip().lower())
    return (symbol or _shorten(text)), text


def _insemination(value: Any) -> tuple[str, str] | None:
    if value is None or value is False or value == "":
        return None
    if value is True:
        return "✓", "yes"
    return _shorten(str(value)), str(value)


def _intercourse(value: Any) -> tuple[str, str] | None:
    if not value:
        return None
    text = str(value)
    return _INTERCOURSE_SYMBOLS.get(text, "♥"), text


def _medicine(value: Any, words: Any) -> tuple[str, str] | None:
    if not value:
        return None
    # Each course's symbol is shortened on its own: several are stacked, not cut as one text.
    return "/".join(_shorten(part) for part in str(value).split("/")), str(words or value)


def _trigger(value: Any) -> tuple[str, str] | None:
    if not value:
        return None
    text = str(value)
    return ("hCG" if "shot" in text else "ov?"), text


def _progesterone_test(value: Any) -> tuple[str, str] | None:
    if not value:
        return None
    text = str(value)
    symbol = {"PdG positive": "+", "PdG negative": "−"}.get(text)
    return (symbol or _shorten(text.split(" ")[0])), text


def _shorten(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _display(celsius: float, unit: str) -> float:
    return celsius * 9 / 5 + 32 if unit == "F" else celsius


# --------------------------------------------------------------------------- text


def _temperature_text(value: float, unit: str) -> str:
    return f"{value:.2f} °{unit}"


def _default_title(columns: list[_Column]) -> str:
    return f"Cycle chart from {columns[0].date.isoformat()}, {len(columns)} days"


def _description(columns: list[_Column], status: Mapping[str, Any], unit: str) -> str:
    """The chart in words, for people who cannot see it."""
    sentences = [
        f"Cycle days {columns[0].cycle_day} to {columns[-1].cycle_day}, "
        f"{columns[0].date.isoformat()} to {columns[-1].date.isoformat()}."
    ]
    shift = status.get("temperature_shift")
    if shift:
        first_high = date.fromisoformat(shift["first_high_date"])
        sentences.append(
            f"Temperature shift confirmed on {shift['confirmed_date']}: coverline "
            f"{_temperature_text(_display(shift['coverline'], unit), unit)}, first higher "
            f"measurement on {first_high.isoformat()}, likely ovulation on "
            f"{(first_high - timedelta(days=1)).isoformat()}."
        )
    else:
        sentences.append("No temperature shift yet.")
    peri = status.get("peri_ovulatory")
    if peri:
        end = peri["end"] or "ongoing"
        sentences.append(f"Fertile phase: {peri['start']} to {end}.")
    measured = sum(1 for c in columns if c.temperature is not None and not c.excluded)
    excluded = sum(1 for c in columns if c.temperature is not None and c.excluded)
    sentences.append(f"{measured} temperatures charted, {excluded} excluded as disturbed.")
    return " ".join(sentences)


def _day_title(column: _Column, unit: str) -> str:
    heading = f"Cycle day {column.cycle_day}, {column.date.isoformat()}"
    if not column.recorded:
        return f"{heading}: nothing recorded"
    facts = []
    if column.temperature is not None:
        note = " (excluded as disturbed)" if column.excluded else ""
        if column.progesterone:
            note += f" ({PROGESTERONE_TEMPERATURE_NOTE})"
        facts.append(f"temperature {_temperature_text(column.temperature, unit)}{note}")
    for row, label in _ROWS:
        if row in column.cells:
            facts.append(f"{label.lower()}: {column.cells[row][1]}")
    return f"{heading}: {'; '.join(facts) or 'nothing recorded'}"


# --------------------------------------------------------------------------- drawing


def _x(index: int) -> float:
    """The centre of column ``index``."""
    return LEFT_MARGIN + index * COLUMN_WIDTH + COLUMN_WIDTH / 2


def _n(value: float) -> str:
    """A coordinate: two decimals at most, so the output is short and deterministic."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, css: str, anchor: str = "middle") -> str:
    return (
        f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _stacked(x: float, y: float, symbols: list[str], css: str) -> str:
    """Several courses on one day, one above the other in the row (two lines of the smaller
    ``chart-stacked`` size, a third and more shown as "…" after the second): side by side they
    would run into the next days' columns. The day's title names them all."""
    lines = symbols[:2]
    if len(symbols) > 2:
        lines[1] += "…"
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(y + offset)}">{escape(line)}</tspan>'
        for line, offset in zip(lines, (-5, 4))
    )
    return f'<text class="{css} chart-stacked" text-anchor="middle">{spans}</text>'


def _scale(columns: list[_Column], coverline: float | None, unit: str) -> _Scale:
    values = [c.temperature for c in columns if c.temperature is not None]
    if coverline is not None:
        values.append(coverline)
    if values:
        low, high = min(values), max(values)
    else:
        low, high = (_display(t, unit) for t in _DEFAULT_RANGE_C)
    missing = _MIN_SPAN[unit] - (high - low)
    if missing > 0:
        low, high = low - missing / 2, high + missing / 2
    step = next(
        (s for s in _GRID_STEPS[unit] if (high - low) / s <= 12), _GRID_STEPS[unit][-1]
    )
    # One empty step above and below keeps points off the plot's edges.
    low_steps = math.floor(low / step + 1e-9) - 1
    high_steps = math.ceil(high / step - 1e-9) + 1
    return _Scale(low_steps * step, high_steps * step, step)


def _fertile_band(columns: list[_Column], peri: Mapping[str, Any] | None) -> list[str]:
    if not peri:
        return []
    start = date.fromisoformat(peri["start"])
    end = date.fromisoformat(peri["end"]) if peri["end"] else columns[-1].date
    inside = [i for i, c in enumerate(columns) if start <= c.date <= end]
    if not inside:
        return []
    left = _x(inside[0]) - COLUMN_WIDTH / 2
    band_width = len(inside) * COLUMN_WIDTH
    return [
        f'<rect class="chart-fertile-band" x="{_n(left)}" y="{PHASE_LABEL_Y - 12}" '
        f'width="{band_width}" height="{PLOT_TOP + PLOT_HEIGHT - PHASE_LABEL_Y + 12}"/>',
        _text(left + 3, PHASE_LABEL_Y, "Fertile phase", "chart-phase-label", "start"),
    ]


def _grid_lines(scale: _Scale, width: int) -> list[str]:
    return [
        f'<line class="chart-grid-line" x1="{LEFT_MARGIN}" y1="{_n(scale.y(tick))}" '
        f'x2="{width - RIGHT_MARGIN}" y2="{_n(scale.y(tick))}"/>'
        for tick in scale.ticks()
    ]


def _axis_labels(scale: _Scale, unit: str) -> list[str]:
    """The temperature scale, at the right edge of the left column."""
    return [
        _text(LEFT_MARGIN - 6, scale.y(tick) + 4, f"{tick:.1f}", "chart-axis-label", "end")
        for tick in scale.ticks()
    ]


def _row_labels(unit: str) -> list[str]:
    # "Temperature" sits in the lanes above the plot, clear of the scale's numbers.
    parts = [
        _text(6, DAY_NUMBER_Y, "Cycle day", "chart-row-label", "start"),
        _text(6, DATE_Y, "Date", "chart-row-label", "start"),
        _text(6, PHASE_LABEL_Y, "Temperature", "chart-row-label", "start"),
        _text(6, MARKER_LABEL_Y, f"in °{unit}", "chart-axis-unit", "start"),
    ]
    for index, (_, label) in enumerate(_ROWS):
        parts.append(_text(6, _row_y(index), label, "chart-row-label", "start"))
    return parts


def _row_y(index: int) -> int:
    return ROWS_TOP + index * ROW_HEIGHT + 15


def _day_group(index: int, column: _Column, unit: str) -> str:
    x = _x(index)
    left = x - COLUMN_WIDTH / 2
    parts = [
        f'<g class="chart-day" data-cycle-day="{column.cycle_day}" '
        f'data-date="{column.date.isoformat()}">',
        f"<title>{escape(_day_title(column, unit))}</title>",
        f'<rect class="chart-column" x="{_n(left)}" y="0" width="{COLUMN_WIDTH}" '
        f'height="{ROWS_TOP + len(_ROWS) * ROW_HEIGHT}" fill="none" pointer-events="all"/>',
        _text(x, DAY_NUMBER_Y, str(column.cycle_day), "chart-day-number"),
        _text(x, DATE_Y, str(column.date.day), "chart-date"),
    ]
    if index == 0 or column.date.day == 1:
        parts.append(_text(x, MONTH_Y, _MONTHS[column.date.month - 1], "chart-month"))
    for row_index, (row, _) in enumerate(_ROWS):
        if row in column.cells:
            symbol = column.cells[row][0]
            css = f"chart-symbol chart-{row}"
            if row == "medicine" and "/" in symbol:
                parts.append(_stacked(x, _row_y(row_index), symbol.split("/"), css))
            else:
                parts.append(_text(x, _row_y(row_index), symbol, css))
    parts.append("</g>")
    return "".join(parts)


def _coverline(coverline: float, scale: _Scale, unit: str, width: int) -> list[str]:
    y = scale.y(coverline)
    right = width - RIGHT_MARGIN
    label = f"Coverline {_temperature_text(coverline, unit)}"
    # In the lane below the plot, at the right (where a phone's chart opens), after a short
    # dashed sample of the line: never over the curve, whatever the temperatures.
    key_right = right - 6 - _label_width(label)
    return [
        f'<line class="chart-coverline" x1="{LEFT_MARGIN}" y1="{_n(y)}" '
        f'x2="{right}" y2="{_n(y)}" stroke-dasharray="6 4"/>',
        f'<line class="chart-coverline-key" x1="{_n(key_right - 22)}" '
        f'y1="{COVERLINE_LABEL_Y - 4}" x2="{_n(key_right)}" y2="{COVERLINE_LABEL_Y - 4}" '
        f'stroke-dasharray="6 4"/>',
        _text(right, COVERLINE_LABEL_Y, label, "chart-coverline-label", "end"),
    ]


def _label_width(text: str) -> float:
    return len(text) * LABEL_CHAR_WIDTH


def _shift_markers(
    columns: list[_Column], scale: _Scale, first_high: date, width: int
) -> list[str]:
    """A ring on the first higher measurement and a dotted line on the day before it, their
    labels side by side in the lane above the plot: "Likely ovulation" ending at its line,
    "1st higher" starting at its column."""
    parts = []
    ovulation_x = high_x = None
    for index, column in enumerate(columns):
        if column.date == first_high and column.temperature is not None:
            high_x = _x(index)
            parts.append(
                f'<circle class="chart-first-high" cx="{_n(high_x)}" '
                f'cy="{_n(scale.y(column.temperature))}" r="{RING_RADIUS}" fill="none"/>'
            )
        elif column.date == first_high - timedelta(days=1):
            ovulation_x = _x(index)
            parts.append(
                f'<line class="chart-ovulation-line" x1="{_n(ovulation_x)}" '
                f'y1="{MARKER_LABEL_Y + 4}" x2="{_n(ovulation_x)}" y2="{PLOT_BOTTOM}" '
                'stroke-dasharray="2 3"/>'
            )
    ovulation_text, high_text = "Likely ovulation", "1st higher"
    # "Likely ovulation" ends just right of its line and "1st higher" starts at its column,
    # each moved only as far as the left column, the right edge or the other label needs.
    right = width - RIGHT_MARGIN
    high_start = None
    if high_x is not None:
        high_start = min(high_x - 4, right - _label_width(high_text))
    if ovulation_x is not None:
        ovulation_end = ovulation_x + 4
        if high_start is not None:
            ovulation_end = min(ovulation_end, high_start - 8)
        ovulation_end = max(ovulation_end, LEFT_MARGIN + 2 + _label_width(ovulation_text))
        if high_start is not None:
            high_start = max(high_start, ovulation_end + 8)
        parts.append(_text(ovulation_end, MARKER_LABEL_Y, ovulation_text, "chart-marker-label", "end"))
    if high_start is not None:
        parts.append(_text(high_start, MARKER_LABEL_Y, high_text, "chart-marker-label", "start"))
    return parts


def _temperature_lines(columns: list[_Column], scale: _Scale) -> list[str]:
    """One polyline per run of consecutive days with a charted value.

    An excluded value or a day without a temperature ends the run, so the line never
    bridges a gap or a disturbed value.
    """
    parts = []
    for run in _runs(columns):
        if len(run) < 2:
            continue
        points = " ".join(f"{_n(_x(i))},{_n(scale.y(t))}" for i, t in run)
        parts.append(f'<polyline class="chart-temp-line" fill="none" points="{points}"/>')
    return parts


def _runs(columns: list[_Column]) -> Iterable[list[tuple[int, float]]]:
    run: list[tuple[int, float]] = []
    for index, column in enumerate(columns):
        if column.temperature is None or column.excluded:
            if run:
                yield run
            run = []
        else:
            run.append((index, column.temperature))
    if run:
        yield run


def _temperature_points(columns: list[_Column], scale: _Scale) -> list[str]:
    parts = []
    for index, column in enumerate(columns):
        if column.temperature is None:
            continue
        cy = scale.y(column.temperature)
        position = f'cx="{_n(_x(index))}" cy="{_n(cy)}" r="{POINT_RADIUS}"'
        if column.excluded:
            parts.append(
                f'<circle class="chart-temp-point chart-temp-excluded" {position} fill="none"/>'
            )
        elif column.progesterone:
            parts.append(f'<circle class="chart-temp-point chart-temp-progesterone" {position}/>')
        else:
            parts.append(f'<circle class="chart-temp-point" {position}/>')
    return parts
