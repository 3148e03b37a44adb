"""Screenshots of the chart pages for a human to look at (not a test).

    /work/venv/bin/python -m tests.browser.chart_screenshots [OUTPUT_DIR]   # default /tmp/chart-screens

The demo journal's chart, cycle, cycles, overlay and statistics pages, and a 40-day cycle's
chart and cycle pages, on a phone (390x844) and a desktop (1280x900), light and dark, full
page, against a throwaway live server.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.chart_data import register_demo, register_long
from tests.browser.live import DESKTOP, PHONE, launch_chromium, running_server

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
CHARTS = ".cycle-chart-figure, .overlay-figure, .lengths-figure, .cycle-list"


def demo_pages(page) -> dict[str, str]:
    page.goto("/journal/cycles/current")
    cycle = page.url
    chart = page.get_by_role("link", name="Open the chart on its own page").get_attribute("href")
    return {"chart": chart, "cycle": cycle, "cycles": "/journal/cycles/",
            "overlay": "/journal/cycles/overlay", "overlay-ovulation": "/journal/cycles/overlay?align=ovulation",
            "stats": "/journal/stats"}


def long_pages(page) -> dict[str, str]:
    page.goto("/journal/cycles/")
    cycle = page.get_by_role("link", name="Cycle 1:").get_attribute("href")
    return {"long-chart": f"{cycle}/chart", "long-cycle": cycle}


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "instance", []) as live:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for register, pages in ((register_demo, demo_pages), (register_long, long_pages)):
                for device, viewport in VIEWPORTS.items():
                    for scheme in ("light", "dark"):
                        context = browser.new_context(base_url=live.url, viewport=viewport, color_scheme=scheme)
                        page = context.new_page()
                        register(page, live)
                        for name, path in pages(page).items():
                            page.goto(path)
                            target = output / f"{name}-{device}-{scheme}.png"
                            page.screenshot(path=str(target), full_page=True)
                            print(target)
                            # and the chart alone, as the screen shows it, easier to look at
                            charts = page.locator(CHARTS)
                            if charts.count():
                                charts.first.screenshot(path=str(target.with_stem(f"{target.stem}-chart")))
                        context.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/chart-screens"))
