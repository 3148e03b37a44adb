"""Screenshots of the journal pages for a human to look at (not a test).

    /work/venv/bin/python -m tests.browser.journal_screenshots [OUTPUT_DIR]   # default /tmp/journal-screens

Registers a person on a throwaway live server, logs a few days of a cycle, then takes the journal
home (welcome and with entries), the day form (new and with data), the calendar and Settings at
390x844 and 1280x900, light and dark: the first screen (name-device-scheme.png) and the whole
page (name-device-scheme-full.png).
"""

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.live import DESKTOP, PHONE, launch_chromium, running_server
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.articles.content import read_article_files
from webapp.clock import today

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def shoot(page, output: Path, name: str) -> None:
    page.screenshot(path=str(output / f"{name}.png"))
    page.screenshot(path=str(output / f"{name}-full.png"), full_page=True)
    print(output / f"{name}.png")


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "instance", read_article_files(BUNDLED_ARTICLES)) as live:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for device, viewport in VIEWPORTS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(base_url=live.url, viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    page.goto("/accounts/register")
                    page.get_by_label("Email address").fill(f"screens-{device}-{scheme}@example.org")
                    page.get_by_label("Password").fill("a calm green seedling")
                    page.get_by_role("button", name="Create my account").click()
                    tag = f"{device}-{scheme}"
                    shoot(page, output, f"welcome-{tag}")
                    start = today() - timedelta(days=5)
                    for offset in range(5):
                        day = start + timedelta(days=offset)
                        page.goto(f"/journal/days/new?date={day.isoformat()}")
                        if offset < 3:
                            page.get_by_role("group", name="Bleeding").get_by_label("Medium", exact=True).check()
                        page.get_by_label("Basal body temperature").fill(f"36.{30 + offset * 2}")
                        page.get_by_role("button", name="Save this day").click()
                    page.goto("/journal/")
                    shoot(page, output, f"home-{tag}")
                    page.get_by_label("Temperature (°C)").fill("36.55")
                    page.locator("#morning-save").click()
                    shoot(page, output, f"home-saved-{tag}")
                    page.goto(f"/journal/days/new?date={(today() - timedelta(days=7)).isoformat()}")
                    shoot(page, output, f"day-new-{tag}")
                    page.goto("/journal/today")
                    shoot(page, output, f"day-edit-{tag}")
                    page.goto("/journal/calendar")
                    shoot(page, output, f"calendar-{tag}")
                    page.goto("/accounts/settings")
                    shoot(page, output, f"settings-{tag}")
                    context.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/journal-screens"))
