"""Every journal page of the demo journal, on a phone (390x844) and a desktop (1280x900), in
light and dark mode: axe finds no violation of any impact, the page never scrolls sideways (wide
tables and charts scroll inside their own regions on a phone; on a desktop the tables fit whole),
and the journal navigation marks the page's own section (journal.templating.SECTIONS)."""

import re
from datetime import timedelta

import pytest

from tests.browser.accessibility import axe_violations, describe
from tests.browser.chart_data import register_demo
from tests.browser.live import DESKTOP, PHONE
from webapp import clock

pytestmark = pytest.mark.browser
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
FIXED = {
    "/journal/": "Today", "/journal/today": "Today", "/journal/calendar": "Calendar",
    "/journal/calendar/feed": "Calendar", "/journal/days/new": "Today",
    "/journal/cycles/": "Cycles", "/journal/cycles/current": "Cycles", "/journal/cycles/overlay": "Cycles",
    "/journal/cycles/overlay?align=ovulation": "Cycles", "/journal/stats": "Statistics",
    "/journal/inseminations/": "Inseminations", "/journal/inseminations/new": "Inseminations",
    "/journal/intercourse/": "Inseminations", "/journal/intercourse/new": "Inseminations",
    "/journal/medicines/": "Medicines", "/journal/medicines/new": "Medicines",
    "/journal/tests/": "Tests", "/journal/tests/new": "Tests",
    "/journal/progesterone/": "Tests", "/journal/progesterone/new": "Tests",
    "/journal/donors/": "Donors", "/journal/donors/new": "Donors",
    "/journal/import": "Your data", "/journal/report": "Your data", "/journal/data/delete": "Your data",
}
# Entries found by following the lists' links: (list page, link pattern, suffixes, section).
FOUND = (
    ("/journal/calendar?month=previous", r"/journal/days/\d+", ("", "/edit", "/delete"), "Calendar"),
    ("/journal/cycles/", r"/journal/cycles/\d+", ("", "/chart", "/outcome"), "Cycles"),
    ("/journal/inseminations/", r"/journal/inseminations/\d+", ("", "/edit", "/notes/new"), "Inseminations"),
    ("/journal/intercourse/", r"/journal/intercourse/\d+", ("", "/edit"), "Inseminations"),
    ("/journal/medicines/", r"/journal/medicines/\d+", ("", "/edit"), "Medicines"),
    ("/journal/tests/", r"/journal/tests/\d+", ("", "/edit"), "Tests"),
    ("/journal/progesterone/", r"/journal/progesterone/\d+", ("", "/edit"), "Tests"),
    ("/journal/donors/", r"/journal/donors/\d+/vials", ("", "/new"), "Donors"),
    ("/journal/donors/", r"/journal/donors/\d+/edit", ("",), "Donors"),
)


def links(page, pattern: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if re.fullmatch(pattern, h)))


def every_page(page) -> dict[str, str]:
    """Each journal page's path and the section its navigation should mark."""
    pages = dict(FIXED)
    # the demo logs no intercourse: one through the form, so its pages are seen too
    page.goto("/journal/intercourse/new")
    page.get_by_label("Date").fill((clock.today() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save").click()
    page.goto("/journal/calendar")
    previous = page.get_by_role("link", name=re.compile("^← ")).first.get_attribute("href")
    for listing, pattern, suffixes, section in FOUND:
        page.goto(previous if listing.endswith("month=previous") else listing)
        found = links(page, pattern)
        assert found, f"no link like {pattern} on {listing}"
        for path in found[:3]:
            for suffix in suffixes:
                pages[path + suffix] = section
    # notes (the insemination with the most notes has two rails of reading: named apart)
    for path in links(page, r"/journal/notes/\d+/edit")[:1]:
        pages[path] = "Inseminations"
    page.goto("/journal/inseminations/")
    for path in links(page, r"/journal/inseminations/\d+"):
        page.goto(path)
        for note in links(page, r"/journal/notes/\d+/edit")[:1]:
            pages[note] = "Inseminations"
    page.goto("/journal/donors/")
    donor = links(page, r"/journal/donors/\d+/vials")[0]
    page.goto(donor)
    for path in links(page, r"/journal/vials/\d+/edit")[:1]:
        pages[path] = "Donors"
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_every_journal_page_is_clean(make_page, live_server, device, scheme):
    page = make_page(color_scheme=scheme, viewport=VIEWPORTS[device])
    register_demo(page, live_server)
    problems = []
    for path, section in every_page(page).items():
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path}: status {response.status}")
            continue
        violations = axe_violations(page)
        problems += [f"{path}:\n{describe(v)}" for v in violations]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: the page scrolls sideways by {overflow}px")
        if device == "desktop":  # at 1280 px every table fits whole (a phone scrolls them in their regions)
            scrolling = page.locator(".table-scroll").evaluate_all(
                "els => els.filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.getAttribute('aria-labelledby'))")
            if scrolling:
                problems.append(f"{path}: tables scroll sideways at 1280 px: {scrolling}")
        marked = page.locator('.journal-nav [aria-current="page"]').all_inner_texts()
        # a day's pages are under "Calendar", or under "Today" for the person's own today
        expected = {section, "Today"} if re.fullmatch(r"/journal/days/\d+(/edit|/delete)?", path) else {section}
        if len(marked) != 1 or marked[0] not in expected:
            problems.append(f"{path}: the navigation marks {marked}, not {section}")
    assert not problems, f"{device} {scheme}:\n" + "\n".join(problems)
