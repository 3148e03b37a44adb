"""The statistics page's chart of cycle lengths, as inline SVG.

Drawn for a phone's width (360 px of viewBox, 13 px text): the page scales it to its column,
up to about 1.3 times on a desktop. Bars share the width, from 48 px for one cycle down to
18 px; beyond what fits, the chart grows and gets the class ``lengths-chart-wide`` (the page
lets that one scroll at its natural size instead of shrinking its text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class LengthBar:
    number: int
    start: date
    length: int
    ovulation_day: int | None = None


_MAX_BAR = 48
_MIN_BAR = 18
_GAP = 10
_LEFT = 40
_RIGHT = 10
_TOP = 22
_PLOT = 170
_BOTTOM = 46
_WIDTH = 360  # a phone's column, and the legend's width


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
    room = _WIDTH - _LEFT - _RIGHT
    bar_width = max(_MIN_BAR, min(_MAX_BAR, room // len(bars) - _GAP))
    width = max(_WIDTH, _LEFT + len(bars) * (bar_width + _GAP) + _RIGHT)
    height = _TOP + _PLOT + _BOTTOM + 16
    # Few bars: centred in the plot rather than crowded at its left.
    offset = _LEFT + _GAP / 2 + max(0, room - len(bars) * (bar_width + _GAP)) / 2
    css = "lengths-chart" if width == _WIDTH else "lengths-chart lengths-chart-wide"

    def y(value: float) -> float:
        return _TOP + _PLOT * (1 - value / top_value)

    lengths = ", ".join(f"cycle {bar.number}: {bar.length} days" for bar in bars)
    description = f"Cycle lengths, oldest first: {lengths}."
    if average is not None:
        description += f" Average {average:.1f} days."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<title id="{chart_id}-title">Your cycle lengths over time</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for value in range(0, top_value + 1, 10):
        parts.append(
            f'<line class="chart-grid-line" x1="{_LEFT}" y1="{y(value):.1f}" x2="{width - _RIGHT}" '
            f'y2="{y(value):.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis-label" x="{_LEFT - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    for index, bar in enumerate(bars):
        x = offset + index * (bar_width + _GAP)
        top = y(bar.length)
        parts.append(
            f'<rect class="lengths-bar" x="{x:.1f}" y="{top:.1f}" width="{bar_width}" '
            f'height="{_TOP + _PLOT - top:.1f}"><title>Cycle {bar.number}, from '
            f"{bar.start.day} {bar.start:%B %Y}: {bar.length} days"
            f"{'' if bar.ovulation_day is None else f', likely ovulation on day {bar.ovulation_day}'}"
            "</title></rect>"
        )
        parts.append(
            f'<text class="lengths-value" x="{x + bar_width / 2:.1f}" y="{top - 4:.1f}" '
            f'text-anchor="middle">{bar.length}</text>'
        )
        if bar.ovulation_day is not None:
            tick = y(bar.ovulation_day)
            parts.append(
                f'<line class="lengths-ovulation" x1="{x:.1f}" y1="{tick:.1f}" '
                f'x2="{x + bar_width:.1f}" y2="{tick:.1f}"/>'
            )
        parts.append(
            f'<text class="chart-axis-label" x="{x + bar_width / 2:.1f}" y="{_TOP + _PLOT + 16}" '
            f'text-anchor="middle">{bar.number}</text>'
        )
    if average is not None:
        parts.append(
            f'<line class="lengths-average" x1="{_LEFT}" y1="{y(average):.1f}" x2="{width - _RIGHT}" '
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
