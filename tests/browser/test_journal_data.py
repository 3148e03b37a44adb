"""The data page in a real browser: a drip export imported into a journal that has entries,
through the preview (a disagreement settled by "take theirs"), then the clinic report shown
(light), downloaded as a PDF and printed."""

import uuid
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_journal import PASSWORD

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
SCREENSHOTS = Path("/tmp/seedling-screens")


def test_import_drip_through_the_preview_then_print_the_report(make_page, live_server, assert_accessible):
    page = make_page(viewport={"width": 1280, "height": 900})
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(f"data-{uuid.uuid4().hex[:10]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    # A day the drip file records differently (medium bleeding at 36.49 °C).
    page.goto("/journal/days/new?date=2025-05-30")
    page.locator("#bleeding").get_by_label("Light", exact=True).check()
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_text("Your day is saved.")).to_be_visible()

    page.goto("/journal/import")
    page.get_by_label("Your export file").set_input_files(str(FIXTURES / "drip-basic.csv"))
    page.get_by_role("button", name="Check this file").click()
    expect(page.get_by_role("heading", name="Before you import from drip")).to_be_visible()
    expect(page.get_by_role("heading", name="Where your journal and the file disagree (1)")).to_be_visible()
    expect(page.get_by_text("7 intercourse entries")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Take theirs", exact=False).check()
    page.get_by_role("button", name="Import it all").click()
    expect(page.get_by_text("Imported from drip: added")).to_be_visible()

    page.goto("/journal/report?start=2025-03-01&end=2025-05-31")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.locator(".report-cycle")).to_have_count(4)
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.emulate_media(media="screen", color_scheme="light")
    page.screenshot(path=str(SCREENSHOTS / f"clinic-report-light-{date.today():%Y%m%d}.png"), full_page=True)
    # The same report as a PDF file, from the page's link.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    assert download.value.suggested_filename == "seedling-cycle-report.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    download.value.save_as(SCREENSHOTS / f"clinic-report-{date.today():%Y%m%d}.pdf")
    page.mouse.move(0, 0)  # no column highlighted by the pointer in the screenshot
    page.emulate_media(media="print")
    expect(page.locator(".journal-nav")).to_be_hidden()
    expect(page.locator(".report-range")).to_be_hidden()
    expect(page.get_by_role("link", name="Download this report as a PDF")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / f"clinic-report-print-{date.today():%Y%m%d}.png"), full_page=True)
