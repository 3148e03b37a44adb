"""A cycle's temperatures as a small decorative line, for the cycles list.

:func:`render_sparkline` is pure (standard library only) and returns an ``aria-hidden`` SVG:
the list says the same in words beside it (:func:`sparkline_words`). The line breaks where a
day has no charted value; the likely ovulation day, when the cycle's reading found one, is a
dotted upright line. Colours come from the stylesheet (``sparkline``, ``sparkline-line``,
``sparkline-ovulation``).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["HEIGHT", "WIDTH", "render_sparkline", "sparkline_words"]

WIDTH = 120
HEIGHT = 32
PAD = 3
MIN_SPAN_C = 0.4  # a flat curve stays flat instead of filling the box


def render_sparkline(temperatures: Mapping[int, float], days: int, ovulation_day: int | None = None) -> str:
    """The SVG of ``temperatures`` (°C by cycle day, charted values only) over ``days`` days.

    Returns "" when there is nothing to draw. Raises ``ValueError`` when ``days`` is below 1
    or a cycle day falls outside 1..``days``.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if any(not 1 <= day <= days for day in temperatures):
        raise ValueError("every cycle day must be within 1..days")
    if not temperatures:
        return ""
    low, high = min(temperatures.values()), max(temperatures.values())
    if high - low < MIN_SPAN_C:
        middle = (high + low) / 2
        low, high = middle - MIN_SPAN_C / 2, middle + MIN_SPAN_C / 2

    def x(day: float) -> str:
        return _n(PAD + (WIDTH - 2 * PAD) * ((day - 1) / max(days - 1, 1)))

    def y(value: float) -> str:
        return _n(PAD + (HEIGHT - 2 * PAD) * (high - value) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" aria-hidden="true" '
        f'focusable="false" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
    ]
    if ovulation_day is not None and 1 <= ovulation_day <= days:
        parts.append(
            f'<line class="sparkline-ovulation" x1="{x(ovulation_day)}" y1="0" '
            f'x2="{x(ovulation_day)}" y2="{HEIGHT}" stroke-dasharray="2 2"/>'
        )
    run: list[str] = []
    previous = None
    for day in sorted(temperatures):
        if previous is not None and day != previous + 1:
            parts.append(_line(run))
            run = []
        run.append(f"{x(day)},{y(temperatures[day])}")
        previous = day
    parts.append(_line(run))
    parts.append("</svg>")
    return "".join(part for part in parts if part)


def sparkline_words(temperatures: Mapping[int, float], unit: str = "C") -> str:
    """"temperatures 36.30 to 36.90 °C": what the line shows, for the text beside it."""
    if not temperatures:
        return "no temperatures"
    values = [t * 9 / 5 + 32 if unit == "F" else t for t in temperatures.values()]
    return f"temperatures {min(values):.2f} to {max(values):.2f} °{'F' if unit == 'F' else 'C'}"


def _line(points: list[str]) -> str:
    if len(points) == 1:  # a lone value: a dot
        cx, cy = points[0].split(",")
        return f'<circle class="sparkline-point" cx="{cx}" cy="{cy}" r="1.5"/>'
    return f'<polyline class="sparkline-line" fill="none" points="{" ".join(points)}"/>'


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
