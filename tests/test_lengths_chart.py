"""Tests for webapp.fertility.render.lengths_chart: the statistics page's bars of cycle lengths."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from webapp.fertility.render.lengths_chart import LengthBar, render_lengths_chart

SVG = "{http://www.w3.org/2000/svg}"


def bars(count: int) -> list[LengthBar]:
    return [LengthBar(n, date(2025, 1, 1) + timedelta(days=29 * n), 26 + n % 6, 14) for n in range(1, count + 1)]


def rects(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "lengths-bar"]


def test_few_cycles_get_wide_bars_inside_a_phone_sized_view() -> None:
    root = ET.fromstring(render_lengths_chart(bars(3), 28.0))
    assert root.get("role") == "img" and root.get("class") == "lengths-chart"
    assert root.get("viewBox") == "0 0 360 254"
    drawn = rects(root)
    assert len(drawn) == 3
    assert all(float(r.get("width")) == 48 for r in drawn)
    for rect in drawn:
        assert 40 <= float(rect.get("x")) and float(rect.get("x")) + 48 <= 350
    assert [r.find(f"{SVG}title").text.split(",")[0] for r in drawn] == ["Cycle 1", "Cycle 2", "Cycle 3"]


def test_many_cycles_keep_readable_bars_and_are_marked_wide() -> None:
    root = ET.fromstring(render_lengths_chart(bars(30), 28.5))
    assert root.get("class") == "lengths-chart lengths-chart-wide"
    drawn = rects(root)
    assert len(drawn) == 30 and all(float(r.get("width")) == 18 for r in drawn)
    assert float(drawn[-1].get("x")) + 18 <= float(root.get("width"))
    # a bar's number under each bar, every cycle present
    under = [t.text for t in root.iter(f"{SVG}text") if t.get("y") == "208"]
    assert under == [str(n) for n in range(1, 31)]
