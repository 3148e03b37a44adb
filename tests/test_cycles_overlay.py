"""The cycles side by side page (/journal/cycles/overlay) and the sparklines of the cycles list:
drawn from the person's own cycles only, ovulation as each cycle's reading found it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.journal_support import ago, journal, other_journal  # noqa: F401
from tests.test_chart_page import seed

SVG = "{http://www.w3.org/2000/svg}"


def overlay_svg(html: str) -> ET.Element:
    match = re.search(r'<svg[^>]*class="overlay-chart".*?</svg>', html, re.S)
    assert match, "no overlay chart"
    return ET.fromstring(match.group(0))


def series_numbers(root: ET.Element) -> list[int]:
    return [int(g.get("data-cycle")) for g in root.iter(f"{SVG}g") if "overlay-series" in g.get("class", "")]


def test_the_demo_cycles_side_by_side_on_cycle_day(journal) -> None:
    seed(journal)
    html = journal.page("/journal/cycles/overlay")
    root = overlay_svg(html)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Your last cycles, lined up on cycle day 1"
    assert series_numbers(root) == [1, 2, 3, 4]
    assert 'aria-current="page">Cycle day 1</a>' in html
    # the data table: a row per cycle day (1 to 30, the longest cycle), a column per cycle
    table = re.search(r'<table class="cycle-table overlay-table">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<th scope="col">Cycle (\d)</th>', table) == ["1", "2", "3", "4"]
    assert len(re.findall(r'<th scope="row">', table)) == 30
    assert "C4: cycle 4, from " in html and "(running), likely ovulation on day 14" in html


def test_aligned_on_ovulation_from_each_cycles_reading(journal) -> None:
    seed(journal)
    html = journal.page("/journal/cycles/overlay?align=ovulation")
    root = overlay_svg(html)
    assert series_numbers(root) == [1, 2, 3, 4]
    desc = root.find(f"{SVG}desc").text
    # the days the statistics page shows for the same cycles (15, 13, 16) and the current 14
    for number, day in ((1, 15), (2, 13), (3, 16), (4, 14)):
        assert f"Cycle {number}, from " in desc and f"likely ovulation on cycle day {day}" in desc
    assert '<th scope="row">0 (ovulation)</th>' in html
    assert 'aria-current="page">Likely ovulation</a>' in html


def test_an_unknown_alignment_falls_back_to_cycle_day(journal) -> None:
    seed(journal)
    html = journal.page("/journal/cycles/overlay?align=%3Cscript%3E")
    assert "<script>" not in html
    assert 'aria-current="page">Cycle day 1</a>' in html


def test_a_cycle_without_an_ovulation_is_named_not_drawn(journal) -> None:
    journal.period(ago(10), days=3)
    journal.log_day(ago(6), temperature="36.4")
    assert overlay_svg(journal.page("/journal/cycles/overlay"))
    html = journal.page("/journal/cycles/overlay?align=ovulation")
    assert 'class="overlay-chart"' not in html
    assert "Line them up on cycle day 1 instead" in html


def test_no_cycles_yet(journal) -> None:
    html = journal.page("/journal/cycles/overlay")
    assert "No cycles yet." in html and 'class="overlay-chart"' not in html


def test_only_your_own_cycles(journal, other_journal) -> None:
    seed(journal)
    other_journal.period(ago(3), days=2)
    html = other_journal.page("/journal/cycles/overlay")
    assert "Cycle 2" not in html and "cycle 4" not in html
    assert "No cycles yet." not in html  # the other person's one cycle, without temperatures
    assert "has a temperature" in html


def test_the_cycles_list_has_a_sparkline_and_its_words_for_each_cycle(journal) -> None:
    seed(journal)
    html = journal.page("/journal/cycles/")
    sparklines = [ET.fromstring(svg) for svg in re.findall(r'<svg[^>]*class="sparkline".*?</svg>', html, re.S)]
    assert len(sparklines) == 4
    assert all(svg.get("aria-hidden") == "true" for svg in sparklines)
    for day in (15, 13, 16, 14):
        assert f"likely ovulation on day {day}</span>" in html
    assert "· temperatures 36.30 to 36.90 °C" in html
    assert 'href="/journal/cycles/overlay"' in html
