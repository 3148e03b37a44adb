"""Tests for webapp.fertility.render.overlay_chart: several cycles' curves on one SVG, aligned
on the cycle day or on likely ovulation. Every test parses the SVG with xml.etree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from webapp.fertility.render import overlay_chart
from webapp.fertility.render.overlay_chart import OverlaySeries, aligned_points, render_overlay_chart

SVG = "{http://www.w3.org/2000/svg}"


def series(number: int, length: int, ovulation: int | None, gaps: tuple[int, ...] = ()) -> OverlaySeries:
    temperatures = {
        n: (36.35 if ovulation is None or n <= ovulation else 36.75) + (n % 3) / 100
        for n in range(1, length + 1) if n not in gaps
    }
    start = date(2026, 1, 1) + timedelta(days=30 * number)
    return OverlaySeries(number, start, temperatures, ovulation, length)


SIX = [series(1, 29, 15), series(2, 27, 13), series(3, 30, 16), series(4, 33, 19, gaps=(7, 8)),
       series(5, 26, None), series(6, 21, 14)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "overlay-series" in g.get("class", "").split()]


def xs_of(group: ET.Element) -> list[float]:
    return [float(c.get("cx")) for c in group.iter(f"{SVG}circle")]


def test_well_formed_and_labelled_for_assistive_technology() -> None:
    root = parse(render_overlay_chart(SIX, chart_id="six"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "six-title six-desc"
    assert root.find(f"{SVG}title").text == "Your cycles side by side"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("6 cycles' temperatures, lined up on cycle day 1.")
    assert "Cycle 4, from 2026-05-01 (33 days): 31 temperatures, 36.35 °C to 36.77 °C; likely ovulation on cycle day 19." in desc


def test_every_cycle_and_every_charted_day_is_drawn_in_day_alignment() -> None:
    root = parse(render_overlay_chart(SIX))
    drawn = groups(root)
    assert [int(g.get("data-cycle")) for g in drawn] == [1, 2, 3, 4, 5, 6]
    for group, item in zip(drawn, SIX):
        assert len(xs_of(group)) == len(item.temperatures)
        assert group.find(f"{SVG}title").text.startswith(f"Cycle {item.number}, from ")
    # the same cycle day lines up across cycles
    day_one = {xs_of(g)[0] for g in drawn}
    assert len(day_one) == 1


def test_aligned_on_ovulation_day_zero_lines_up_and_cycles_without_one_are_left_out() -> None:
    svg = render_overlay_chart(SIX, align="ovulation")
    root = parse(svg)
    drawn = groups(root)
    assert [int(g.get("data-cycle")) for g in drawn] == [1, 2, 3, 4, 6]
    line = [e for e in root.iter(f"{SVG}line") if e.get("class") == "overlay-ovulation-line"]
    assert len(line) == 1
    ovulation_x = float(line[0].get("x1"))
    for group, item in zip(drawn, [s for s in SIX if s.ovulation_day]):
        index = sorted(item.temperatures).index(item.ovulation_day)
        assert xs_of(group)[index] == ovulation_x
    assert "Not shown (no likely ovulation found): cycle 5." in root.find(f"{SVG}desc").text
    assert "lined up on the day of likely ovulation" in root.find(f"{SVG}desc").text


def test_aligned_points_never_work_out_an_ovulation() -> None:
    assert aligned_points(series(5, 26, None), "ovulation") is None
    points = aligned_points(series(1, 5, 3), "ovulation")
    assert sorted(points) == [-2, -1, 0, 1, 2]
    assert points[0] == series(1, 5, 3).temperatures[3]
    with pytest.raises(ValueError, match="align"):
        aligned_points(SIX[0], "moon")


def test_gaps_end_a_line() -> None:
    root = parse(render_overlay_chart([SIX[3]]))
    (group,) = groups(root)
    lines = [e for e in group.iter(f"{SVG}polyline")]
    assert [len(line.get("points").split()) for line in lines] == [6, 25]


def test_the_newest_is_solid_and_the_others_dashed_each_its_own_way() -> None:
    root = parse(render_overlay_chart(SIX))
    drawn = groups(root)
    assert "overlay-series-latest" in drawn[-1].get("class").split()
    dashes = [g.find(f"{SVG}polyline").get("stroke-dasharray") for g in drawn]
    assert dashes[-1] is None
    assert len(set(dashes)) == 6
    classes = [next(c for c in g.get("class").split() if re.fullmatch(r"overlay-series-\d", c)) for g in drawn]
    assert len(set(classes)) == 6


def test_end_labels_name_each_curve_and_never_overlap() -> None:
    root = parse(render_overlay_chart(SIX))
    labels = [e for e in root.iter(f"{SVG}text") if e.get("class") == "overlay-end-label"]
    assert sorted(e.text for e in labels) == [f"C{n}" for n in range(1, 7)]
    ys = sorted(float(e.get("y")) for e in labels)
    assert all(b - a >= overlay_chart.END_LABEL_GAP - 0.01 for a, b in zip(ys, ys[1:]))
    assert all(float(e.get("x")) >= overlay_chart.LEFT + overlay_chart.PLOT_WIDTH for e in labels)
    assert ys[-1] <= overlay_chart.HEIGHT - 30


def test_fahrenheit_and_escaping_and_only_css_colours() -> None:
    svg = render_overlay_chart(SIX, unit="F", title="<b>mine</b>")
    root = parse(svg)
    assert "°C" not in svg and "97." in svg
    assert root.find(f"{SVG}title").text == "<b>mine</b>" and "<b>" not in svg
    assert "style=" not in svg
    assert set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) == {"none"}


@pytest.mark.parametrize(("arguments", "message"), [
    ({"series": [], "align": "day"}, "no series"),
    ({"series": [series(5, 26, None)], "align": "ovulation"}, "no series"),
    ({"series": SIX, "align": "week"}, "align"),
    ({"series": SIX, "unit": "K"}, "unit"),
    ({"series": SIX, "chart_id": "1 x"}, "chart_id"),
])
def test_bad_input_is_refused(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_overlay_chart(**arguments)
