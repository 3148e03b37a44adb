"""Several cycles' temperature curves on one chart, as an accessible inline SVG string.

:func:`render_overlay_chart` is pure (standard library only): it takes one
:class:`OverlaySeries` per cycle (oldest first) and draws their curves aligned on the cycle
day (``align="day"``) or on the day of likely ovulation (``align="ovulation"``, day 0; a
cycle without one is left out, and :func:`aligned_points` tells the caller which). The
ovulation days come from each cycle's reading: this module never works them out.

Colour is never the only signal: each curve has its own dash pattern and its cycle number at
its right end; the newest cycle is solid and thicker. Colours come from the stylesheet
(``overlay-series-1`` … ``overlay-series-6``, repeating). CSS classes:

- ``overlay-chart``: the ``<svg>``; ``chart-grid-line``, ``chart-axis-label``,
  ``chart-axis-unit``: grid and scales
- ``overlay-series`` plus ``overlay-series-N`` (and ``overlay-series-latest``): one ``<g>``
  per cycle with a ``<title>``, holding ``overlay-line`` polylines (a gap or a left-out value
  ends one), ``overlay-point`` circles and the ``overlay-end-label``
- ``overlay-ovulation-line``, ``overlay-ovulation-label``: day 0 when aligned on ovulation
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

__all__ = ["ALIGNMENTS", "OverlaySeries", "aligned_points", "render_overlay_chart", "series_style"]

ALIGNMENTS = ("day", "ovulation")
UNITS = ("C", "F")
WIDTH = 600
HEIGHT = 340
LEFT = 52
RIGHT = 48  # the cycle numbers at the curves' ends
TOP = 28
BOTTOM = 44
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_BOTTOM = HEIGHT - BOTTOM
END_LABEL_GAP = 21  # the least vertical distance between two end labels (20 px text on a phone)
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "12 4 2 4")  # newest first
SERIES_STYLES = 6
_GRID_STEPS = {"C": (0.1, 0.2, 0.5, 1.0), "F": (0.2, 0.5, 1.0, 2.0)}
_MIN_SPAN = {"C": 0.6, "F": 1.0}
_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class OverlaySeries:
    """One cycle: its number, its first day, the charted temperatures in °C by cycle day
    (disturbed values left out by the caller), and its likely ovulation day if known."""

    number: int
    start: date
    temperatures: Mapping[int, float] = field(default_factory=dict)
    ovulation_day: int | None = None
    length: int | None = None  # None while the cycle runs


def series_style(age: int) -> tuple[str, str]:
    """The CSS classes and the dash pattern ("" for solid) of the curve ``age`` cycles older
    than the newest drawn: for a legend that matches the chart."""
    css = f"overlay-series overlay-series-{SERIES_STYLES - age % SERIES_STYLES}"
    if age == 0:
        css += " overlay-series-latest"
    return css, DASHES[age % len(DASHES)]


def aligned_points(series: OverlaySeries, align: str) -> dict[int, float] | None:
    """The series' temperatures by x (the cycle day, or days from ovulation); None when the
    series cannot be aligned that way."""
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {ALIGNMENTS}, got {align!r}")
    if align == "day":
        return dict(series.temperatures)
    if series.ovulation_day is None:
        return None
    return {day - series.ovulation_day: value for day, value in series.temperatures.items()}


def render_overlay_chart(
    series: Sequence[OverlaySeries],
    align: str = "day",
    unit: str = "C",
    *,
    chart_id: str = "overlay-chart",
    title: str = "Your cycles side by side",
) -> str:
    """The SVG markup of the curves of ``series`` (oldest first), aligned by ``align``.

    Raises ``ValueError`` for an unknown ``align`` or ``unit``, a bad ``chart_id``, or when
    no series has a temperature that can be aligned.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be 'C' or 'F', got {unit!r}")
    if not _ID_PATTERN.fullmatch(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")
    drawn = []
    for item in series:
        points = aligned_points(item, align)
        if points:
            drawn.append((item, {x: _display(t, unit) for x, t in sorted(points.items())}))
    if not drawn:
        raise ValueError("no series has a temperature to draw")

    xs = [x for _, points in drawn for x in points]
    first, last = min(xs), max(xs)
    if align == "ovulation":
        first, last = min(first, -1), max(last, 1)
    if last == first:
        last = first + 1
    low, high, step = _scale([t for _, points in drawn for t in points.values()], unit)

    def x_of(value: int) -> float:
        return LEFT + PLOT_WIDTH * (value - first) / (last - first)

    def y_of(value: float) -> float:
        return TOP + (PLOT_BOTTOM - TOP) * (high - value) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="overlay-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(drawn, series, align, unit))}</desc>',
    ]
    count = round((high - low) / step)
    for index in range(count + 1):
        tick = low + index * step
        y = _n(y_of(tick))
        parts.append(f'<line class="chart-grid-line" x1="{LEFT}" y1="{y}" x2="{LEFT + PLOT_WIDTH}" y2="{y}"/>')
        parts.append(_text(LEFT - 6, y_of(tick) + 4, f"{tick:.1f}", "chart-axis-label", "end"))
    parts.append(_text(6, TOP - 12, f"°{unit}", "chart-axis-unit", "start"))
    for tick in _day_ticks(first, last, align):
        label = "ovulation" if align == "ovulation" and tick == 0 else f"{tick:+d}" if align == "ovulation" else str(tick)
        parts.append(_text(x_of(tick), PLOT_BOTTOM + 18, label, "chart-axis-label"))
    axis = "Days from likely ovulation" if align == "ovulation" else "Cycle day"
    parts.append(_text(LEFT + PLOT_WIDTH / 2, HEIGHT - 6, axis, "chart-axis-unit"))
    if align == "ovulation":
        zero_x = _n(x_of(0))
        parts.append(
            f'<line class="overlay-ovulation-line" x1="{zero_x}" y1="{TOP}" x2="{zero_x}" '
            f'y2="{PLOT_BOTTOM}" stroke-dasharray="2 3"/>'
        )

    end_labels = _end_label_positions(
        [(item.number, y_of(points[max(points)])) for item, points in drawn]
    )
    for position, (item, points) in enumerate(drawn):
        css, dash = series_style(len(drawn) - 1 - position)  # age 0: the newest
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="{css}" data-cycle="{item.number}">')
        parts.append(f"<title>{escape(_series_title(item, points, align, unit))}</title>")
        for run in _runs(points):
            if len(run) > 1:
                coordinates = " ".join(f"{_n(x_of(x))},{_n(y_of(t))}" for x, t in run)
                parts.append(f'<polyline class="overlay-line" fill="none"{dash_attribute} points="{coordinates}"/>')
        for x, t in points.items():
            parts.append(f'<circle class="overlay-point" cx="{_n(x_of(x))}" cy="{_n(y_of(t))}" r="2.5"/>')
        parts.append(_text(LEFT + PLOT_WIDTH + 6, end_labels[item.number] + 4, f"C{item.number}", "overlay-end-label", "start"))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _display(celsius: float, unit: str) -> float:
    return celsius * 9 / 5 + 32 if unit == "F" else celsius


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, css: str, anchor: str = "middle") -> str:
    return f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{escape(content)}</text>'


def _scale(values: list[float], unit: str) -> tuple[float, float, float]:
    low, high = min(values), max(values)
    missing = _MIN_SPAN[unit] - (high - low)
    if missing > 0:
        low, high = low - missing / 2, high + missing / 2
    step = next((s for s in _GRID_STEPS[unit] if (high - low) / s <= 10), _GRID_STEPS[unit][-1])
    low_steps = math.floor(low / step + 1e-9)
    high_steps = math.ceil(high / step - 1e-9)
    return low_steps * step, high_steps * step, step


def _day_ticks(first: int, last: int, align: str) -> list[int]:
    every = 5 if last - first <= 50 else 10
    if align == "ovulation":
        return [t for t in range(first, last + 1) if t % every == 0]
    return [first, *(t for t in range(first + 1, last + 1) if t % every == 0)]


def _runs(points: Mapping[int, float]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive days: a day without a charted value ends a line."""
    runs: list[list[tuple[int, float]]] = []
    for x, t in points.items():
        if runs and runs[-1][-1][0] == x - 1:
            runs[-1].append((x, t))
        else:
            runs.append([(x, t)])
    return runs


def _end_label_positions(ends: list[tuple[int, float]]) -> dict[int, float]:
    """The y of each cycle's end label: at its curve's last point, pushed apart (top to
    bottom, then back up from the bottom edge) so that no two overlap."""
    ordered = sorted(ends, key=lambda item: (item[1], item[0]))
    placed: list[list[float]] = []
    for number, y in ordered:
        y = max(y, TOP, placed[-1][1] + END_LABEL_GAP if placed else TOP)
        placed.append([number, y])
    limit = PLOT_BOTTOM + 8
    for index in range(len(placed) - 1, -1, -1):
        ceiling = limit if index == len(placed) - 1 else placed[index + 1][1] - END_LABEL_GAP
        placed[index][1] = min(placed[index][1], ceiling)
    return {int(number): y for number, y in placed}


def _temperature_text(value: float, unit: str) -> str:
    return f"{value:.2f} °{unit}"


def _series_title(item: OverlaySeries, points: Mapping[int, float], align: str, unit: str) -> str:
    values = list(points.values())
    length = f"{item.length} days" if item.length else "running"
    words = (
        f"Cycle {item.number}, from {item.start.isoformat()} ({length}): {len(values)} temperatures, "
        f"{_temperature_text(min(values), unit)} to {_temperature_text(max(values), unit)}"
    )
    if item.ovulation_day is not None:
        words += f"; likely ovulation on cycle day {item.ovulation_day}"
    return words


def _description(
    drawn: list[tuple[OverlaySeries, dict[int, float]]],
    series: Sequence[OverlaySeries],
    align: str,
    unit: str,
) -> str:
    how = "on the day of likely ovulation" if align == "ovulation" else "on cycle day 1"
    sentences = [f"{len(drawn)} cycles' temperatures, lined up {how}."]
    sentences += [_series_title(item, points, align, unit) + "." for item, points in drawn]
    shown = {item.number for item, _ in drawn}
    left_out = [item.number for item in series if item.number not in shown]
    if left_out:
        names = ", ".join(str(number) for number in left_out)
        reason = "no likely ovulation found" if align == "ovulation" else "no temperatures"
        sentences.append(f"Not shown ({reason}): cycle {names}.")
    return " ".join(sentences)
