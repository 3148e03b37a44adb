"""Screenshots of the public pages for a human to look at (not a test).

    /work/venv/bin/python -m tests.browser.screenshots [OUTPUT_DIR] [--slices]   # default /tmp/screens

Takes home, an article and search results on a phone (390x844) and a desktop (1280x900), in
light and dark mode, full page, against a throwaway live server with the bundled library.
With --slices it also cuts each page into screen-sized pictures (name-device-scheme-N.png),
which are easier to look at than one very tall picture.
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.live import DESKTOP, PHONE, launch_chromium, running_server
from webapp.articles.content import read_article_files
from webapp.articles.commands import BUNDLED_ARTICLES

PAGES = {
    "home": "/",
    "article": "/articles/cervical-mucus-types",
    "search": "/search?q=frozen+sperm",
}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def main(output: Path, slices: bool = False) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "instance", read_article_files(BUNDLED_ARTICLES)) as live:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for device, viewport in VIEWPORTS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(base_url=live.url, viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(path)
                        target = output / f"{name}-{device}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target)
                        if slices:
                            height = page.evaluate("document.documentElement.scrollHeight")
                            for number, top in enumerate(range(0, height, viewport["height"]), start=1):
                                clip = {"x": 0, "y": top, "width": viewport["width"],
                                        "height": min(viewport["height"], height - top)}
                                page.screenshot(path=str(target.with_stem(f"{target.stem}-{number}")), full_page=True, clip=clip)
                    context.close()
            browser.close()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--slices"]
    main(Path(arguments[0] if arguments else "/tmp/screens"), slices="--slices" in sys.argv[1:])
