"""The journal in a real browser, as a person would use it: a whole cycle logged through the
forms (a period, temperatures, mucus, a donor, an insemination with two notes, a test), then the
calendar, the cycle view and the articles beside entries; mistakes explained in the forms;
deleting asks first; download and import; axe on every journal page in light and dark mode."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.journal.forms import FUTURE_DAYS_ALLOWED
from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.models import (
    CycleOutcome, Day, Donor, Insemination, InseminationNote, Intercourse, Medicine, PregnancyTest,
    ProgesteroneTest, VialEntry,
)

PASSWORD = "a calm green seedling"

pytestmark = pytest.mark.browser


def register(page, live_server) -> str:
    email = f"journal-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(f"{live_server.url}/journal/")
    return email


def open_sections(page) -> None:
    """The day form folds the sections that hold nothing: unfold them all, as a tap would."""
    page.evaluate("document.querySelectorAll('details.form-section').forEach(d => { d.open = true; })")


def choose(page, group: str, label: str) -> None:
    open_sections(page)
    page.locator(f"#{group}").get_by_label(label, exact=True).check()


def log_day(page, when, temperature=None, **choices) -> None:
    page.goto(f"/journal/days/new?date={when.isoformat()}")
    expect(page.get_by_label("Date")).to_have_value(when.isoformat())
    open_sections(page)
    if temperature:
        page.get_by_label("Basal body temperature").fill(temperature)
    for group, label in choices.items():
        choose(page, group, label)
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_text("Your day is saved.")).to_be_visible()


def rail(page):
    return page.locator("aside.context-rail").first


# --------------------------------------------------------------------------- a whole cycle


def test_log_a_whole_cycle_then_read_it_back(page, live_server, assert_accessible):
    register(page, live_server)
    expect(page.get_by_role("heading", name="Welcome to your journal")).to_be_visible()
    assert_accessible(page)

    start = today() - timedelta(days=19)
    lows = ["36.30", "36.25", "36.40", "36.35", "36.30", "36.20", "36.35", "36.30", "36.25", "36.40", "36.35", "36.30"]
    highs = ["36.70", "36.75", "36.90", "36.85"]
    flows = ["Heavy", "Medium", "Light"]

    # The period, with temperatures from the first morning.
    for offset, flow in enumerate(flows):
        log_day(page, start + timedelta(days=offset), temperature=lows[offset], bleeding=flow)
    expect(page.locator(".entry-context")).to_contain_text("Day 3 of your cycle")
    # Temperatures every morning, and fertile mucus before ovulation.
    for offset in range(3, 12):
        mucus = {}
        if 8 <= offset <= 11:
            mucus = {"mucus_feeling": "Slippery", "mucus_appearance": "Clear and stretchy, like egg white"}
        log_day(page, start + timedelta(days=offset), temperature=lows[offset], **mucus)
    expect(page.locator(".entry-context")).to_contain_text("Day 12 of your cycle")
    expect(rail(page).get_by_role("link", name=re.compile("When to inseminate"))).to_be_visible()
    expect(rail(page)).to_contain_text("Egg-white mucus")

    # A peak ovulation test, with the cervix checked, on an existing day: one entry per date.
    page.goto(f"/journal/days/new?date={(start + timedelta(days=10)).isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change your entry for")
    choose(page, "ovulation_test", "Peak or positive")
    choose(page, "cervix_position", "High")
    choose(page, "cervix_firmness", "Soft")
    choose(page, "cervix_opening", "Open")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(rail(page).get_by_role("link", name=re.compile("When to inseminate"))).to_be_visible()
    expect(rail(page)).to_contain_text("A peak ovulation test")
    assert_accessible(page)

    # The donor, once.
    page.goto("/journal/donors/new")
    choose(page, "kind", "A sperm bank donor")
    page.get_by_label("Donor code or name").fill("DK-4471")
    page.get_by_label("Sperm bank", exact=True).fill("Nordic Cryobank")
    page.get_by_label("Vials bought").fill("4")
    page.get_by_label("Vials in storage now").fill("4")
    page.get_by_role("button", name="Save donor").click()
    expect(page.get_by_text("4 vials left")).to_be_visible()

    # The insemination, on day 11 in the evening.
    insemination_day = start + timedelta(days=10)
    page.goto("/journal/inseminations/new")
    page.get_by_label("Date").fill(insemination_day.isoformat())
    page.get_by_label("Time", exact=True).fill("20:00")
    choose(page, "method", "ICI at home")
    choose(page, "sperm", "Frozen")
    page.get_by_label("Donor", exact=True).select_option(label="DK-4471 (Nordic Cryobank)")
    page.get_by_label("Vials used").fill("1")
    page.get_by_label("Vial or lot numbers").fill("Lot 22-118")
    page.get_by_role("button", name="Save insemination").click()
    expect(page.get_by_text("Your insemination is saved.")).to_be_visible()
    expect(page.get_by_text("3 vials left")).to_be_visible()
    expect(rail(page).get_by_role("link", name=re.compile("Thawing frozen donor sperm"))).to_be_visible()
    expect(rail(page)).to_contain_text("Frozen sperm")

    # Two notes afterwards.
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("When", exact=True).fill(f"{insemination_day.isoformat()}T20:20")
    choose(page, "leakage", "A little")
    page.get_by_label("Minutes lying down").fill("20")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Your note is saved.")).to_be_visible()
    page.get_by_role("link", name="Add a note").click()
    next_morning = insemination_day + timedelta(days=1)
    page.get_by_label("When", exact=True).fill(f"{next_morning.isoformat()}T07:30")
    choose(page, "cramping", "Mild")
    page.get_by_label("How you feel").fill("Hopeful, a bit nervous")
    page.get_by_role("button", name="Save note").click()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator(".timeline-when")).to_have_text([
        re.compile(r"^20 minutes after"), re.compile(r"^11 hours after"),
    ])
    expect(timeline).to_contain_text("Hopeful, a bit nervous")
    leak_rail = timeline.locator("aside.context-rail").first
    expect(leak_rail).to_contain_text("You noted leakage")
    assert_accessible(page)

    # The rest of the temperatures, then a test.
    for offset, value in enumerate(highs, start=12):
        log_day(page, start + timedelta(days=offset), temperature=value)
    test_day = start + timedelta(days=18)
    page.goto("/journal/tests/new")
    page.get_by_label("Date").fill(test_day.isoformat())
    choose(page, "kind", "Home test")
    choose(page, "result", "Negative")
    page.get_by_label("Sensitivity (mIU/mL)").fill("10")
    page.get_by_role("button", name="Save test").click()
    expect(page.get_by_text("Your test is saved.")).to_be_visible()
    expect(page.locator(".entry-context")).to_contain_text("7 days past ovulation")

    # Today at a glance.
    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Today").click()
    glance = page.locator(".glance")
    expect(glance).to_contain_text("Day 20")
    # one countdown, from the likely ovulation (day 12): not a second one from the insemination
    expect(glance).to_contain_text("8 days past ovulation; a test is most reliable from 12 days past ovulation")
    expect(glance).not_to_contain_text("past insemination")
    expect(glance).to_contain_text("3 vials")
    assert_accessible(page)

    # The calendar: the period, temperatures, mucus, the insemination and the test.
    page.get_by_role("navigation", name="Journal").get_by_role("link", name="Calendar").click()
    if start.month != today().month:
        page.get_by_role("link", name=re.compile(start.strftime("%B"))).first.click()
    calendar = page.locator("table.calendar")
    expect(calendar).to_contain_text("Heavy bleeding")
    expect(calendar).to_contain_text("36.30")
    expect(calendar).to_contain_text("S+")
    expect(calendar).to_contain_text("ovulation test peak or positive")
    expect(calendar.get_by_role("link", name="Insemination")).to_have_count(1)
    assert_accessible(page)

    # The cycle view: every day, with its insemination, notes and test.
    page.goto("/journal/cycles/current")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cycle 1, from")
    rows = page.locator("table.cycle-table tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.nth(0)).to_contain_text("Heavy")
    expect(rows.nth(10)).to_contain_text("Insemination")
    expect(rows.nth(10)).to_contain_text("20 minutes after")
    expect(rows.nth(11)).to_contain_text("11 hours after")
    expect(rows.nth(18)).to_contain_text("Home test: negative")
    assert_accessible(page)

    # An article beside an entry opens in the library.
    page.goto("/journal/inseminations/")
    page.get_by_role("link", name=re.compile(insemination_day.strftime("%B %Y"))).first.click()
    page.locator("ol.timeline aside.context-rail").first.get_by_role(
        "link", name=re.compile("Leakage after insemination")
    ).click()
    expect(page).to_have_url(re.compile(r"/articles/leakage-after-insemination$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leakage after insemination")


# --------------------------------------------------------------------------- mistakes


def test_mistakes_are_explained_and_nothing_typed_is_lost(page, live_server, assert_accessible):
    register(page, live_server)
    page.goto("/journal/days/new")
    open_sections(page)
    page.get_by_label("Date").fill((today() + timedelta(days=FUTURE_DAYS_ALLOWED + 1)).isoformat())
    page.get_by_label("Basal body temperature").fill("45.2")
    page.get_by_label("Note", exact=True).fill("Feeling warm today")
    page.get_by_role("button", name="Save this day").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check these")
    expect(summary).to_contain_text("That date is in the future")
    expect(page.locator("#temperature-error")).to_contain_text("45.2 °C is outside 34–43 °C")
    expect(page.get_by_label("Basal body temperature")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Feeling warm today")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("Basal body temperature")).click()
    expect(page.get_by_label("Basal body temperature")).to_be_focused()

    page.goto("/journal/days/new")
    choose(page, "temperature_unit", "°C")
    page.get_by_label("Basal body temperature").fill("97.9")
    page.get_by_role("button", name="Save this day").click()
    expect(page.locator("#temperature-error")).to_contain_text("It looks like °F")
    choose(page, "temperature_unit", "°F")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_text("Your day is saved.")).to_be_visible()
    expect(page.locator(".entry-facts")).to_contain_text("36.61 °C")

    page.goto("/journal/tests/new")
    choose(page, "kind", "Home test")
    page.get_by_label("hCG (mIU/mL)").fill("25")
    page.get_by_role("button", name="Save test").click()
    expect(page.get_by_role("alert")).to_contain_text("Please choose the result of the home test")
    expect(page.get_by_role("alert")).to_contain_text("An hCG value comes from a blood test")
    expect(page.locator("#result")).to_contain_text("Please choose the result")


def test_deleting_asks_first(page, live_server):
    register(page, live_server)
    log_day(page, today(), temperature="36.50")
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delete your entry for")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.locator(".entry-facts")).to_contain_text("36.50 °C")
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("The day is deleted.")).to_be_visible()
    page.goto("/journal/")
    expect(page.get_by_role("heading", name="Welcome to your journal")).to_be_visible()


def test_download_then_import_into_a_new_account(make_page, live_server, tmp_path):
    first = make_page()
    register(first, live_server)
    log_day(first, today() - timedelta(days=2), temperature="36.45", bleeding="Heavy")
    log_day(first, today() - timedelta(days=1), temperature="36.50", mucus_feeling="Wet")
    first.goto("/accounts/settings")
    with first.expect_download() as download_info:
        first.get_by_role("link", name="Download my data").click()
    exported = tmp_path / "seedling-data.json"
    download_info.value.save_as(exported)
    assert len(json.loads(exported.read_text())["journal"]["days"]) == 2

    second = make_page()
    register(second, live_server)
    second.goto("/journal/import")
    second.get_by_label("Your export file").set_input_files(str(exported))
    second.get_by_role("button", name="Check this file").click()
    expect(second.get_by_text("Your journal is imported: 2 days")).to_be_visible()
    expect(second.locator(".glance")).to_contain_text("Day 3")

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    second.goto("/journal/import")
    expect(second.get_by_text("Your journal already has entries")).to_be_visible()
    second.get_by_label("Your export file").set_input_files(str(broken))
    second.get_by_role("button", name="Check this file").click()
    expect(second.locator("#file-error")).to_contain_text("could not be read as JSON")


# --------------------------------------------------------------------------- axe everywhere


def seed_everything(live_server, email: str) -> dict[str, int]:
    """One of every kind of entry, written directly, for the accessibility walk."""
    from datetime import datetime, time

    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        start = today() - timedelta(days=12)
        days = []
        for offset in range(13):
            day = Day(user_id=user_id, date=start + timedelta(days=offset), temperature_centi=3630 + offset * 5)
            if offset < 3:
                day.bleeding = "medium"
            if offset == 8:
                day.mucus_feeling, day.mucus_appearance, day.ovulation_test = "slippery", "egg_white", "peak"
                day.cervix_position, day.cervix_firmness, day.cervix_opening = "high", "soft", "open"
                day.note = "A note with\ntwo lines"
            days.append(day)
        donor = Donor(user_id=user_id, kind="bank", code="AX-1", bank="Bank")
        db.session.add_all([*days, donor])
        db.session.flush()
        vials = VialEntry(user_id=user_id, donor_id=donor.id, date=start, kind="purchase", vials=2, cost_cents=90000)
        intercourse = Intercourse(user_id=user_id, date=start + timedelta(days=7), sperm="with_sperm")
        medicine = Medicine(user_id=user_id, medicine="hcg_trigger", name="Ovitrelle", dose=250, dose_unit="mcg",
                            start_date=start + timedelta(days=7), end_date=start + timedelta(days=7))
        progesterone = ProgesteroneTest(user_id=user_id, date=start + timedelta(days=11), kind="pdg_strip",
                                        result="positive")
        db.session.add_all([vials, intercourse, medicine, progesterone])
        db.session.flush()
        insemination = Insemination(user_id=user_id, date=start + timedelta(days=8), time=time(20, 0),
                                    method="ici", sperm="frozen", donor_id=donor.id, vials_used=1)
        db.session.add(insemination)
        db.session.flush()
        note = InseminationNote(user_id=user_id, insemination_id=insemination.id,
                                noted_at=datetime.combine(insemination.date, time(20, 30)), leakage="a_lot")
        test = PregnancyTest(user_id=user_id, date=today(), kind="blood", hcg_miu=12.5)
        outcome = CycleOutcome(user_id=user_id, cycle_start=start, outcome="not_pregnant")
        db.session.add_all([note, test, outcome])
        db.session.commit()
        return {"day": days[8].id, "start": days[0].id, "donor": donor.id, "insemination": insemination.id,
                "note": note.id, "test": test.id, "outcome": outcome.id, "vial_entry": vials.id,
                "intercourse": intercourse.id, "medicine": medicine.id, "progesterone_test": progesterone.id}


JOURNAL_PAGES = [
    "/journal/", "/journal/calendar", "/journal/cycles/", "/journal/cycles/{start}",
    "/journal/cycles/{start}/outcome", "/journal/days/{day}", "/journal/days/new",
    "/journal/days/{day}/edit", "/journal/days/{day}/delete", "/journal/inseminations/",
    "/journal/inseminations/new", "/journal/inseminations/{insemination}",
    "/journal/inseminations/{insemination}/edit", "/journal/inseminations/{insemination}/delete",
    "/journal/inseminations/{insemination}/notes/new", "/journal/notes/{note}/edit",
    "/journal/notes/{note}/delete", "/journal/tests/", "/journal/tests/new", "/journal/tests/{test}",
    "/journal/tests/{test}/edit", "/journal/tests/{test}/delete", "/journal/donors/",
    "/journal/donors/new", "/journal/donors/{donor}/edit", "/journal/donors/{donor}/delete",
    "/journal/import", "/journal/outcomes/{outcome}/delete",
    "/journal/donors/{donor}/vials", "/journal/donors/{donor}/vials/new", "/journal/vials/{vial_entry}/edit",
    "/journal/vials/{vial_entry}/delete", "/journal/intercourse/", "/journal/intercourse/new",
    "/journal/intercourse/{intercourse}", "/journal/intercourse/{intercourse}/edit",
    "/journal/intercourse/{intercourse}/delete", "/journal/medicines/", "/journal/medicines/new",
    "/journal/medicines/{medicine}", "/journal/medicines/{medicine}/edit", "/journal/medicines/{medicine}/delete",
    "/journal/progesterone/", "/journal/progesterone/new", "/journal/progesterone/{progesterone_test}",
    "/journal/progesterone/{progesterone_test}/edit", "/journal/progesterone/{progesterone_test}/delete",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_journal_page_passes_axe(make_page, live_server, assert_accessible, scheme):
    page = make_page(color_scheme=scheme)
    email = register(page, live_server)
    assert_accessible(page)  # the first-time welcome
    ids = seed_everything(live_server, email)
    covered = set()
    for path in JOURNAL_PAGES:
        url = path.format(**ids)
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
        covered.add(path)
    # A form with errors, too.
    page.goto("/journal/days/new")
    page.get_by_label("Basal body temperature").fill("50")
    page.get_by_role("button", name="Save this day").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    mine = {rule.rule for rule in live_server.app.url_map.iter_rules()
            if rule.endpoint.startswith("journal.") and rule.endpoint.split(".")[-1] in _MY_ENDPOINTS}
    templated = {re.sub(r"\{\w+\}", "", p) for p in JOURNAL_PAGES}
    missing = {rule for rule in mine if re.sub(r"<[^>]+>", "", rule) not in templated}
    assert not missing and len(mine) == len(_MY_ENDPOINTS), missing


_MY_ENDPOINTS = {
    "home", "calendar", "cycles", "cycle", "cycle_outcome", "day", "new_day", "edit_day", "delete_day",
    "inseminations", "new_insemination", "insemination", "edit_insemination", "delete_insemination",
    "new_note", "edit_note", "delete_note", "tests", "new_test", "test", "edit_test", "delete_test",
    "donors", "new_donor", "edit_donor", "delete_donor", "import_data", "delete_outcome",
    "donor_vials", "new_vial_entry", "edit_vial_entry", "delete_vial_entry",
    "intercourse_list", "new_intercourse", "intercourse", "edit_intercourse", "delete_intercourse",
    "medicines", "new_medicine", "medicine", "edit_medicine", "delete_medicine",
    "progesterone_tests", "new_progesterone_test", "progesterone_test", "edit_progesterone_test",
    "delete_progesterone_test",
}


def test_a_phone_needs_no_sideways_scrolling_except_inside_the_cycle_table(page, live_server):
    email = register(page, live_server)
    ids = seed_everything(live_server, email)
    for path in ("/journal/", "/journal/days/{day}", "/journal/days/new", "/journal/inseminations/{insemination}",
                 "/journal/calendar", "/journal/cycles/{start}"):
        page.goto(path.format(**ids))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)

