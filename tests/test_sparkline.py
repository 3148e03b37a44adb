"""Tests for webapp.fertility.render.sparkline: a cycle's temperatures as a small SVG line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from webapp.fertility.render.sparkline import HEIGHT, WIDTH, render_sparkline, sparkline_words

SVG = "{http://www.w3.org/2000/svg}"
CYCLE = {day: (36.4 if day <= 14 else 36.8) + (day % 3) / 100 for day in range(1, 29) if day not in (6, 20)}


def test_decorative_well_formed_and_inside_its_box() -> None:
    root = ET.fromstring(render_sparkline(CYCLE, 28, ovulation_day=14))
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    for line in root.iter(f"{SVG}polyline"):
        for point in line.get("points").split():
            x, y = map(float, point.split(","))
            assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def test_every_charted_day_is_a_point_and_gaps_break_the_line() -> None:
    root = ET.fromstring(render_sparkline(CYCLE, 28))
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points").split()) for line in lines] == [5, 13, 8]
    assert sum(len(line.get("points").split()) for line in lines) == len(CYCLE)


def test_higher_temperatures_are_drawn_higher_and_ovulation_is_marked() -> None:
    root = ET.fromstring(render_sparkline({1: 36.3, 2: 36.9}, 2, ovulation_day=1))
    (line,) = root.iter(f"{SVG}polyline")
    (first, second) = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert second[1] < first[1]
    (ovulation,) = [e for e in root.iter(f"{SVG}line") if e.get("class") == "sparkline-ovulation"]
    assert float(ovulation.get("x1")) == first[0]


def test_a_lone_value_is_a_dot_and_nothing_is_nothing() -> None:
    root = ET.fromstring(render_sparkline({3: 36.5}, 5))
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert render_sparkline({}, 5) == ""


def test_words_and_bad_input() -> None:
    assert sparkline_words({1: 36.3, 2: 36.9}) == "temperatures 36.30 to 36.90 °C"
    assert sparkline_words({1: 36.5}, "F") == "temperatures 97.70 to 97.70 °F"
    assert sparkline_words({}) == "no temperatures"
    with pytest.raises(ValueError):
        render_sparkline({9: 36.5}, 5)
    with pytest.raises(ValueError):
        render_sparkline({}, 0)
