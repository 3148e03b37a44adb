"""Tests for webapp.fertility.render.cycle_chart: the cycle chart as inline SVG.

The SVG is parsed with xml.etree, so every test also proves it is well formed.
A timing check to run by hand (not a timed test):

    cd /work/main && /work/venv/bin/python -m tests.test_chart
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from typing import Any

import pytest

from webapp.fertility.render import cycle_chart
from webapp.fertility.render.cycle_chart import (
    legend_lines,
    render_cycle_chart,
    render_cycle_chart_parts,
)

SVG = "{http://www.w3.org/2000/svg}"
START = date(2024, 3, 20)
LOWS = [36.4, 36.45, 36.35, 36.5, 36.45, 36.4]


def day(n: int, temperature: float | None = None, **fields: Any) -> dict[str, Any]:
    """Cycle day n of a cycle starting on START."""
    return {
        "date": START + timedelta(days=n - 1),
        "cycle_day": n,
        "temperature_c": temperature,
        **fields,
    }


def cycle_with_shift(length: int = 40) -> list[dict[str, Any]]:
    """A cycle with lower values to day 14, higher from day 15, bleeding and mucus."""
    days = []
    for n in range(1, length + 1):
        temperature = LOWS[(n - 1) % 6] if n < 15 else 36.75 + 0.05 * (n % 3)
        record = day(n, temperature)
        if n <= 4:
            record["bleeding"] = 4 - n
        if 8 <= n <= 18:
            record["mucus_code"] = [1, 2, 2, 3, 4, 4, 3, 1, 1, 0, 0][n - 8]
        days.append(record)
    marks = {13: ("insemination", True), 14: ("ovulation_test", "positive"),
             31: ("pregnancy_test", "negative")}
    for n, (field, value) in marks.items():
        if n <= length:
            days[n - 1][field] = value
    return days


SHIFT_STATUS = {
    "temperature_shift": {
        "rule": 0,
        "coverline": 36.5,
        "first_high_date": "2024-04-03",  # cycle day 15
        "confirmed_date": "2024-04-05",
    },
    "secondary_shift": None,
    "pre_ovulatory": None,
    "peri_ovulatory": {"start": "2024-03-25", "end": "2024-04-05"},  # cycle days 6 to 17
    "post_ovulatory": {"start": "2024-04-05"},
}
NO_SHIFT_STATUS = {
    "temperature_shift": None,
    "secondary_shift": None,
    "pre_ovulatory": None,
    "peri_ovulatory": {"start": "2024-03-20", "end": None},
    "post_ovulatory": None,
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def with_class(root: ET.Element, css: str, tag: str = "*") -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}" if tag != "*" else tag)
            if css in e.get("class", "").split()]


def texts(root: ET.Element, css: str) -> list[str]:
    return ["".join(e.itertext()) for e in with_class(root, css, "text")]


def column_centres(root: ET.Element) -> dict[float, int]:
    """The x of each column's centre, mapped to its cycle day."""
    centres = {}
    for group in with_class(root, "chart-day", "g"):
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        centre = float(rect.get("x")) + float(rect.get("width")) / 2
        centres[centre] = int(group.get("data-cycle-day"))
    return centres


def polyline_days(root: ET.Element) -> list[list[int]]:
    """The cycle days each temperature polyline passes through."""
    centres = column_centres(root)
    lines = []
    for line in with_class(root, "chart-temp-line", "polyline"):
        xs = [float(point.split(",")[0]) for point in line.get("points").split()]
        lines.append([centres[x] for x in xs])
    return lines


# --------------------------------------------------------------------------- structure


def test_svg_is_well_formed_and_labelled_for_assistive_technology() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS, chart_id="june"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "june-title june-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "june-title"
    assert desc is not None and desc.get("id") == "june-desc"
    assert title.text == "Cycle chart from 2024-03-20, 40 days"
    assert desc.text == (
        "Cycle days 1 to 40, 2024-03-20 to 2024-04-28. Temperature shift confirmed on "
        "2024-04-05: coverline 36.50 °C, first higher measurement on 2024-04-03, likely "
        "ovulation on 2024-04-02. Fertile phase: 2024-03-25 to 2024-04-05. "
        "40 temperatures charted, 0 excluded as disturbed."
    )


def test_one_column_per_day_with_day_number_and_date() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS))
    groups = with_class(root, "chart-day", "g")
    assert [int(g.get("data-cycle-day")) for g in groups] == list(range(1, 41))
    assert texts(root, "chart-day-number") == [str(n) for n in range(1, 41)]
    # 20 March to 28 April: day-of-month labels, month names where a month begins
    assert texts(root, "chart-date")[:13] == [str(d) for d in range(20, 32)] + ["1"]
    assert texts(root, "chart-month") == ["Mar", "Apr"]


def test_unrecorded_days_get_an_empty_column() -> None:
    days = [day(1, 36.4, bleeding=2), day(2, 36.45), day(5, 36.5)]
    root = parse(render_cycle_chart(days))
    groups = with_class(root, "chart-day", "g")
    assert [g.get("data-date") for g in groups] == [
        "2024-03-20", "2024-03-21", "2024-03-22", "2024-03-23", "2024-03-24"
    ]
    titles = [g.find(f"{SVG}title").text for g in groups]
    assert titles[2] == "Cycle day 3, 2024-03-22: nothing recorded"
    assert titles[0] == "Cycle day 1, 2024-03-20: temperature 36.40 °C; bleeding: medium"


def test_width_grows_with_the_number_of_days() -> None:
    short = parse(render_cycle_chart(cycle_with_shift(20)))
    long = parse(render_cycle_chart(cycle_with_shift(40)))
    column = float(with_class(long, "chart-column", "rect")[0].get("width"))
    assert int(long.get("width")) - int(short.get("width")) == 20 * column
    assert long.get("viewBox") == f"0 0 {long.get('width')} {long.get('height')}"


def test_output_is_deterministic() -> None:
    days = cycle_with_shift()
    assert render_cycle_chart(days, SHIFT_STATUS) == render_cycle_chart(days, SHIFT_STATUS)


def test_colours_come_only_from_css_classes() -> None:
    svg = render_cycle_chart(cycle_with_shift(), SHIFT_STATUS)
    assert "style=" not in svg
    assert set(re.findall(r'(?:fill|stroke)="([^"]*)"', svg)) == {"none"}


# --------------------------------------------------------------------------- temperature curve


def test_excluded_values_are_hollow_and_never_joined() -> None:
    days = cycle_with_shift(12)
    days[4]["temperature_c"] = 37.4
    days[4]["temperature_excluded"] = True
    root = parse(render_cycle_chart(days))
    hollow = with_class(root, "chart-temp-excluded", "circle")
    assert len(hollow) == 1
    assert hollow[0].get("fill") == "none"
    assert column_centres(root)[float(hollow[0].get("cx"))] == 5
    filled = [c for c in with_class(root, "chart-temp-point", "circle") if c not in hollow]
    assert len(filled) == 11 and all(c.get("fill") is None for c in filled)
    assert polyline_days(root) == [[1, 2, 3, 4], [6, 7, 8, 9, 10, 11, 12]]


def test_gaps_are_not_joined() -> None:
    days = [day(n, LOWS[n % 6]) for n in (1, 2, 3, 5, 6, 9)]
    days[0]["bleeding"] = 2
    days.insert(4, day(4, None, mucus_code=1))  # recorded, but no temperature
    root = parse(render_cycle_chart(days))
    assert polyline_days(root) == [[1, 2, 3], [5, 6]]
    assert len(with_class(root, "chart-temp-point", "circle")) == 6  # day 9 stands alone


def test_every_line_segment_joins_neighbouring_days() -> None:
    days = cycle_with_shift(30)
    for n in (3, 10, 11, 20):
        days[n - 1]["temperature_excluded"] = True
    del days[24]  # day 25 unrecorded
    root = parse(render_cycle_chart(days, SHIFT_STATUS))
    for line in polyline_days(root):
        assert all(later - earlier == 1 for earlier, later in zip(line, line[1:]))
        assert not {3, 10, 11, 20, 25} & set(line)


def test_fahrenheit_converts_values_and_labels() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS, unit="F"))
    axis = texts(root, "chart-axis-label")
    # the data (97.43 to 98.33 °F) widened to the smallest scale of 1.4 °F, a spare step each side
    assert axis == ["96.8", "97.0", "97.2", "97.4", "97.6", "97.8", "98.0", "98.2", "98.4",
                    "98.6", "98.8"]
    assert texts(root, "chart-coverline-label") == ["Coverline 97.70 °F"]
    assert texts(root, "chart-axis-unit") == ["in °F"]
    first_day = with_class(root, "chart-day", "g")[0].find(f"{SVG}title").text
    assert first_day.startswith("Cycle day 1, 2024-03-20: temperature 97.52 °F")
    svg = render_cycle_chart(cycle_with_shift(), SHIFT_STATUS, unit="F")
    assert "°C" not in svg


def test_celsius_axis_labels() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS, unit="C"))
    axis = texts(root, "chart-axis-label")
    # the data (36.35 to 36.85 °C) widened to the smallest scale of 0.8 °C, a spare step each side
    assert axis == [f"{36.1 + i / 10:.1f}" for i in range(11)]
    assert texts(root, "chart-axis-unit") == ["in °C"]


# --------------------------------------------------------------------------- analysis overlays


def test_coverline_and_markers_with_a_shift() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS))
    coverlines = with_class(root, "chart-coverline", "line")
    assert len(coverlines) == 1
    assert coverlines[0].get("stroke-dasharray")  # dashed in the markup, not only by colour
    assert texts(root, "chart-coverline-label") == ["Coverline 36.50 °C"]
    centres = column_centres(root)
    ring = with_class(root, "chart-first-high", "circle")
    assert [centres[float(r.get("cx"))] for r in ring] == [15]
    ovulation = with_class(root, "chart-ovulation-line", "line")
    assert [centres[float(o.get("x1"))] for o in ovulation] == [14]
    assert sorted(texts(root, "chart-marker-label")) == ["1st higher", "Likely ovulation"]


@pytest.mark.parametrize("status", [None, NO_SHIFT_STATUS], ids=["no-status", "no-shift"])
def test_no_coverline_or_markers_without_a_shift(status: dict | None) -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), status))
    for css in ("chart-coverline", "chart-coverline-label", "chart-first-high",
                "chart-ovulation-line", "chart-marker-label"):
        assert with_class(root, css) == []


def test_fertile_phase_is_a_band_over_its_days() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS))
    (band,) = with_class(root, "chart-fertile-band", "rect")
    columns = {day: x for x, day in column_centres(root).items()}
    column = float(with_class(root, "chart-column", "rect")[0].get("width"))
    assert float(band.get("x")) == columns[6] - column / 2
    assert float(band.get("width")) == 12 * column  # cycle days 6 to 17
    assert texts(root, "chart-phase-label") == ["Fertile phase"]


def test_open_fertile_phase_runs_to_the_last_day() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(10), NO_SHIFT_STATUS))
    (band,) = with_class(root, "chart-fertile-band", "rect")
    column = float(with_class(root, "chart-column", "rect")[0].get("width"))
    assert float(band.get("width")) == 10 * column


def label_box(element: ET.Element) -> tuple[float, float, float, float]:
    """A text's box (left, top, right, bottom), its width estimated as the renderer does."""
    x, y = float(element.get("x")), float(element.get("y"))
    width = len("".join(element.itertext())) * cycle_chart.LABEL_CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor")]
    return left, y - 12, left + width, y + 3


@pytest.mark.parametrize("length", [15, 16, 20, 28, 40])
def test_analysis_labels_sit_in_lanes_clear_of_the_curve_and_of_each_other(length: int) -> None:
    """The curve lives between the plot's top and bottom; no label is drawn there."""
    root = parse(render_cycle_chart(cycle_with_shift(length), SHIFT_STATUS))
    labels = [*with_class(root, "chart-marker-label", "text"),
              *with_class(root, "chart-coverline-label", "text"),
              *with_class(root, "chart-phase-label", "text")]
    assert len(labels) == 4
    points = with_class(root, "chart-temp-point", "circle")
    ys = [float(p.get("cy")) for p in points]
    plot_top, plot_bottom = min(ys) - cycle_chart.POINT_RADIUS, max(ys) + cycle_chart.POINT_RADIUS
    boxes = [label_box(label) for label in labels]
    for (left, top, right, bottom), label in zip(boxes, labels):
        assert bottom <= cycle_chart.PLOT_TOP or top >= cycle_chart.PLOT_BOTTOM, label.text
        assert not (top < plot_bottom and bottom > plot_top), label.text
        assert right <= float(root.get("width")), label.text
    for index, first in enumerate(boxes):
        for second in boxes[index + 1:]:
            apart = first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
            assert apart, (first, second)


def test_likely_ovulation_label_ends_at_its_line_and_first_higher_starts_at_its_column() -> None:
    root = parse(render_cycle_chart(cycle_with_shift(), SHIFT_STATUS))
    centres = {day: x for x, day in column_centres(root).items()}
    ovulation, first_high = sorted(with_class(root, "chart-marker-label", "text"),
                                   key=lambda e: float(e.get("x")))
    assert ovulation.text == "Likely ovulation" and ovulation.get("text-anchor") == "end"
    assert float(ovulation.get("x")) == centres[14] + 4
    assert first_high.text == "1st higher" and first_high.get("text-anchor") == "start"
    assert float(first_high.get("x")) == centres[15] - 4


def test_a_shift_near_the_start_moves_its_labels_right_not_into_the_left_column() -> None:
    days = [day(n, 36.4 if n < 4 else 36.8) for n in range(1, 12)]
    days[0]["bleeding"] = 3
    status = {**SHIFT_STATUS, "temperature_shift": {
        "rule": 0, "coverline": 36.5, "first_high_date": "2024-03-23", "confirmed_date": "2024-03-25"}}
    root = parse(render_cycle_chart(days, status))
    boxes = sorted(label_box(e) for e in with_class(root, "chart-marker-label", "text"))
    assert boxes[0][0] >= cycle_chart.LEFT_MARGIN
    assert boxes[0][2] <= boxes[1][0]


def test_every_day_of_a_long_cycle_has_its_column_and_the_long_class() -> None:
    days = [day(n, 36.4 + (n % 4) / 20) for n in range(1, 61)]
    days[0]["bleeding"] = 3
    root = parse(render_cycle_chart(days))
    assert [int(g.get("data-cycle-day")) for g in with_class(root, "chart-day", "g")] == list(range(1, 61))
    assert root.get("class").split() == ["cycle-chart", "cycle-chart-long"]
    short = parse(render_cycle_chart(cycle_with_shift(40)))
    assert short.get("class") == "cycle-chart"


def test_forty_days_fit_a_desktop_column_almost_unscaled() -> None:
    """At 1280 px the page's column is about 1,050 px: the chart shrinks by a few per cent."""
    root = parse(render_cycle_chart(cycle_with_shift(40), SHIFT_STATUS))
    assert int(root.get("width")) <= 1100


def test_the_parts_are_the_chart_and_its_left_column_at_the_same_height() -> None:
    days = cycle_with_shift()
    parts = render_cycle_chart_parts(days, SHIFT_STATUS, "F", chart_id="c4", title="Cycle 4")
    assert parts.chart == render_cycle_chart(days, SHIFT_STATUS, "F", chart_id="c4", title="Cycle 4")
    chart, labels = parse(parts.chart), parse(parts.labels)
    assert labels.get("aria-hidden") == "true" and labels.get("role") is None
    assert labels.get("height") == chart.get("height")
    assert int(labels.get("width")) == cycle_chart.LEFT_MARGIN
    assert texts(labels, "chart-row-label") == texts(chart, "chart-row-label")
    assert texts(labels, "chart-axis-label") == texts(chart, "chart-axis-label")
    assert texts(labels, "chart-axis-unit") == ["in °F"]
    # the same text at the same place: the fixed column covers the chart's own exactly
    place = lambda root: [(e.get("x"), e.get("y"), e.text) for e in root.iter(f"{SVG}text")]
    assert set(place(labels)) <= set(place(chart))
    assert with_class(labels, "chart-labels-backdrop", "rect")
    assert not with_class(labels, "chart-day") and labels.find(f"{SVG}title") is None
    assert "style=" not in parts.labels
    assert set(re.findall(r'(?:fill|stroke)="([^"]*)"', parts.labels)) <= {"none"}


def test_the_left_column_holds_every_label_inside_its_width() -> None:
    root = parse(render_cycle_chart_parts(cycle_with_shift(), SHIFT_STATUS).labels)
    for element in root.iter(f"{SVG}text"):
        left, _, right, _ = label_box(element)
        assert 0 <= left and right <= cycle_chart.LEFT_MARGIN, element.text


def test_the_legend_is_words_for_the_page_in_the_display_unit() -> None:
    assert legend_lines("F")[0].startswith("● temperature (°F)")
    assert any("S+ egg white" in line for line in legend_lines())
    assert "chart-legend-text" not in render_cycle_chart(cycle_with_shift(), SHIFT_STATUS)
    with pytest.raises(ValueError, match="unit"):
        legend_lines("K")


# --------------------------------------------------------------------------- rows


def test_rows_show_text_symbols_with_labels() -> None:
    days = [
        day(1, 36.4, bleeding=3, cervix="c h"),
        day(2, 36.45, bleeding=0, mucus_code=0, insemination="ICI"),
        day(3, 36.5, mucus_code=1, ovulation_test="Positive", insemination=True),
        day(4, 36.4, mucus_code=2, ovulation_test="negative", pregnancy_test="faint"),
        day(5, 36.4, mucus_code=3, pregnancy_test="positive"),
        day(6, 36.4, mucus_code=4, cervix="open and soft"),
    ]
    root = parse(render_cycle_chart(days))
    assert texts(root, "chart-row-label") == [
        "Cycle day", "Date", "Temperature", "Bleeding", "Mucus", "Cervix",
        "Ovulation test", "Insemination", "Pregnancy test", "Intercourse", "Medicines", "Trigger shot",
        "PdG / P4 test",
    ]
    assert texts(root, "chart-bleeding") == ["•••", "◦"]
    assert texts(root, "chart-mucus") == ["t", "Ø", "f", "S", "S+"]
    assert texts(root, "chart-cervix") == ["c h", "open…"]
    assert texts(root, "chart-ovulation-test") == ["+", "−"]
    assert texts(root, "chart-insemination") == ["ICI", "✓"]
    assert texts(root, "chart-pregnancy-test") == ["faint", "+"]
    titles = [g.find(f"{SVG}title").text for g in with_class(root, "chart-day", "g")]
    assert titles[5] == (
        "Cycle day 6, 2024-03-25: temperature 36.40 °C; mucus: S+ (egg white); "
        "cervix: open and soft"
    )
    assert titles[2] == (
        "Cycle day 3, 2024-03-22: temperature 36.50 °C; mucus: Ø (nothing); "
        "ovulation test: Positive; insemination: yes"
    )


def test_text_is_escaped() -> None:
    attack = "<script>alert(1)</script>"
    days = [day(1, 36.4, bleeding=2, pregnancy_test=attack, cervix="a&b"), day(2, 36.5)]
    svg = render_cycle_chart(days, title=f"Cycle {attack}")
    assert "<script" not in svg
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert root.find(f"{SVG}title").text == f"Cycle {attack}"
    first_title = with_class(root, "chart-day", "g")[0].find(f"{SVG}title").text
    assert first_title.endswith(f"cervix: a&b; pregnancy test: {attack}")
    assert texts(root, "chart-pregnancy-test") == ["<scr…"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"unit": "K"}, "unit", id="unknown-unit"),
        pytest.param({"unit": "c"}, "unit", id="lowercase-unit"),
        pytest.param({"chart_id": 'x" onload="alert(1)'}, "chart_id", id="id-injection"),
        pytest.param({"chart_id": "1chart"}, "chart_id", id="id-starts-with-digit"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_cycle_chart(cycle_with_shift(5), **kwargs)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        pytest.param([], "empty", id="empty"),
        pytest.param([day(1, 36.4), day(1, 36.5)], "cycle day 1", id="day-twice"),
        pytest.param([{"date": START, "cycle_day": 0}], "cycle_day", id="day-zero"),
        pytest.param([{"date": START}], "cycle_day", id="no-cycle-day"),
        pytest.param(
            [day(1, 36.4), {**day(2, 36.4), "date": START}], "cycle day 2", id="date-mismatch"
        ),
        pytest.param([day(1, "36.4")], "temperature_c", id="temperature-string"),
        pytest.param([day(1, 36.4, mucus_code=7)], "mucus_code", id="mucus-7"),
        pytest.param([day(1, 36.4, bleeding="heavy")], "bleeding", id="bleeding-word"),
        pytest.param([{"date": "01.03.2024", "cycle_day": 1}], "date", id="bad-date"),
    ],
)
def test_malformed_days_are_refused(days: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_cycle_chart(days)


def test_dates_may_be_iso_strings() -> None:
    days = [{**d, "date": d["date"].isoformat()} for d in cycle_with_shift(5)]
    assert render_cycle_chart(days) == render_cycle_chart(cycle_with_shift(5))


if __name__ == "__main__":  # the by-hand timing check described in the module docstring
    import timeit

    sample = cycle_with_shift(40)
    runs = 200
    seconds = timeit.timeit(lambda: render_cycle_chart(sample, SHIFT_STATUS), number=runs)
    print(f"40-day chart: {seconds / runs * 1000:.2f} ms per render (aim: well under 20 ms)")


def test_several_medicines_on_a_day_stack_inside_their_column() -> None:
    # "FA/P4" drawn on one line at the row's size was 30 px wide in a 24 px column and ran into
    # the next day's: several courses stack one above the other, each short enough to fit.
    days = [day(1, 36.4, medicine="FA/P4", medicine_words="Folic acid, Crinone"),
            day(2, 36.5, medicine="FA/P4/Let", medicine_words="Folic acid, Crinone, Letrozole"),
            day(3, 36.5, medicine="P4", medicine_words="Crinone")]
    root = parse(render_cycle_chart(days, None))
    cells = with_class(root, "chart-medicine", "text")
    assert len(cells) == 3
    lines = [[span.text for span in cell.iter(f"{SVG}tspan")] or [cell.text] for cell in cells]
    assert lines == [["FA", "P4"], ["FA", "P4…"], ["P4"]]
    for cell in cells:
        if len(lines[cells.index(cell)]) > 1:
            assert "chart-stacked" in cell.get("class").split()
    # every line fits its column at the stacked size (9 px, about 5.6 px a character)
    assert all(len(line) * 5.6 <= cycle_chart.COLUMN_WIDTH - 2 for cell_lines in lines for line in cell_lines)
    # the words stay whole in the day's title
    titles = ["".join(g.find(f"{SVG}title").itertext()) for g in with_class(root, "chart-day", "g")]
    assert "Folic acid, Crinone, Letrozole" in titles[1]
