"""The charts fit: a 40-day cycle whole at 1280 px on the chart and cycle pages; on a phone
the row labels stay put while the days scroll, opening on the latest days; axe (every impact)
on the chart, cycle, cycles, overlay and statistics pages in light and dark mode."""

import pytest
from playwright.sync_api import expect

from tests.browser.chart_data import LONG_CYCLE, register_demo, register_long
from tests.browser.live import DESKTOP, PHONE

pytestmark = pytest.mark.browser
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


def long_cycle_url(page) -> str:
    page.goto("/journal/cycles/")
    return page.get_by_role("link", name="Cycle 1:").get_attribute("href")


def box(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; }"
    )


def day_boxes(page) -> list[dict]:
    return page.locator("svg.cycle-chart .chart-day .chart-column").evaluate_all(
        "els => els.map(el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; })"
    )


@pytest.mark.parametrize("suffix", ["/chart", ""], ids=["chart-page", "cycle-page"])
def test_a_forty_day_cycle_shows_whole_at_1280(make_page, live_server, suffix):
    page = make_page(viewport=DESKTOP)
    register_long(page, live_server)
    page.goto(long_cycle_url(page) + suffix)
    expect(page.locator("svg.cycle-chart .chart-day")).to_have_count(LONG_CYCLE)
    container = box(page, ".chart-days")
    chart = box(page, "svg.cycle-chart")
    assert chart["left"] >= container["left"] - 0.5 and chart["right"] <= container["right"] + 0.5
    assert page.locator(".chart-days").evaluate("el => el.scrollWidth <= el.clientWidth")
    columns = day_boxes(page)
    assert len(columns) == LONG_CYCLE
    assert all(c["left"] >= container["left"] - 0.5 and c["right"] <= container["right"] + 0.5 for c in columns)
    # barely shrunk: the text stays readable
    assert chart["width"] / float(page.locator("svg.cycle-chart").first.get_attribute("width")) > 0.9
    label = box(page, ".chart-coverline-label")
    assert label["right"] <= container["right"] and label["left"] >= container["left"]
    expect(page.locator(".cycle-chart-labels")).to_be_hidden()


def test_on_a_phone_the_row_labels_stay_while_the_days_scroll(make_page, live_server):
    page = make_page(viewport=PHONE)
    register_long(page, live_server)
    page.goto(long_cycle_url(page) + "/chart")
    region = page.locator(".chart-days")
    labels = page.locator("svg.cycle-chart-labels")
    expect(labels).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")

    def visible_days() -> list[int]:
        inside = box(page, ".chart-days")
        fixed = box(page, "svg.cycle-chart-labels")
        return page.locator("svg.cycle-chart .chart-day").evaluate_all(
            """(groups, [left, right]) => groups.filter(g => {
                const r = g.querySelector('.chart-column').getBoundingClientRect();
                return r.left >= left - 0.5 && r.right <= right + 0.5;
            }).map(g => Number(g.dataset.cycleDay))""",
            [fixed["right"], inside["right"]],
        )

    # it opens on the latest days, with the labels at the left
    at_start = box(page, "svg.cycle-chart-labels")
    container = box(page, ".chart-days")
    assert abs(at_start["left"] - (container["left"] + 1)) <= 1.5
    opened = visible_days()
    assert opened[-1] == LONG_CYCLE and len(opened) >= 9 and 1 not in opened
    # scrolled all the way back: day 1 shows, the labels have not moved
    region.evaluate("el => el.scrollBy({left: -el.scrollWidth})")
    page.wait_for_function("() => [...document.querySelectorAll('.chart-days')].every(el => Math.abs(el.scrollLeft) > 100)")
    assert box(page, "svg.cycle-chart-labels")["left"] == at_start["left"]
    back = visible_days()
    assert back[0] == 1 and LONG_CYCLE not in back
    # the label text itself is visible (not covered by the days)
    expect(labels.get_by_text("Ovulation test")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_pages_have_no_axe_violation_of_any_impact(make_page, live_server, assert_accessible, scheme):
    page = make_page(color_scheme=scheme, viewport=DESKTOP)
    register_demo(page, live_server)
    page.goto("/journal/cycles/current")
    cycle = page.url
    chart = page.get_by_role("link", name="Open the chart on its own page").get_attribute("href")
    for url in (chart, cycle, "/journal/cycles/", "/journal/cycles/overlay",
                "/journal/cycles/overlay?align=ovulation", "/journal/stats"):
        page.goto(url)
        assert_accessible(page, impacts=EVERY_IMPACT)
    page.set_viewport_size(PHONE)
    for url in (chart, "/journal/cycles/overlay"):
        page.goto(url)
        assert_accessible(page, impacts=EVERY_IMPACT)


def test_the_overlay_page_in_a_browser(make_page, live_server):
    page = make_page(viewport=DESKTOP)
    register_demo(page, live_server)
    page.goto("/journal/cycles/")
    page.get_by_role("link", name="See your last cycles side by side").click()
    expect(page.get_by_role("navigation", name="Journal").get_by_role("link", name="Cycles")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name="Your last cycles, lined up on cycle day 1")).to_be_visible()
    page.get_by_role("link", name="Likely ovulation").click()
    expect(page.get_by_role("img", name="Your last cycles, lined up on likely ovulation")).to_be_visible()
    expect(page.locator(".overlay-chart .overlay-series")).to_have_count(4)
    chart, region = box(page, ".overlay-chart"), box(page, ".overlay-scroll")
    assert chart["right"] <= region["right"] + 0.5


@pytest.mark.parametrize("align", ["day", "ovulation"])
def test_on_a_phone_the_overlay_fits_whole_and_stays_readable(make_page, live_server, align):
    # The overlay compares whole curves: on a phone it opened on day 1 with the rest off to the
    # right. It fits the screen instead, with text and end labels still readable.
    page = make_page(viewport=PHONE)
    register_demo(page, live_server)
    page.goto(f"/journal/cycles/overlay?align={align}")
    chart, region = box(page, ".overlay-chart"), box(page, ".overlay-scroll")
    assert chart["left"] >= region["left"] - 0.5 and chart["right"] <= region["right"] + 0.5
    assert page.locator(".overlay-scroll").evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    heights = page.locator(".overlay-chart text").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 11  # about 12 px text on screen
    ends = page.locator(".overlay-end-label").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })")
    ends.sort()
    assert all(upper[1] <= lower[0] + 1.5 for upper, lower in zip(ends, ends[1:]))  # end labels apart
