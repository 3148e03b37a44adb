"""Journal pages in kept frames (webapp/journal/page.py) are the pages rendered in full, and the
frames hold nothing of anyone's journal."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.journal_support import Journal, demo_journal
from tests.test_markup_validity import journal_urls, own_ids
from webapp.clock import today
from webapp.extensions import db
from webapp.frames import PersonalDataInSharedFragment, StandInReader, StandInRequest
from webapp.journal.models import Day
from webapp.journal.page import EXTENSION_KEY

TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')


def without_tokens(html: str) -> str:
    return TOKEN.sub("CSRF", html)


def pages(client, urls) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            found[url] = without_tokens(response.get_data(as_text=True))
    return found


@pytest.fixture
def demo_person(app):
    return demo_journal(app)


def test_every_journal_page_is_the_same_in_a_kept_frame(app, demo_person):
    person, plan = demo_person
    app.config["WTF_CSRF_ENABLED"] = True
    person.set(time_zone="Pacific/Auckland", is_demo=True)  # the zone offer and the demo banner
    urls = journal_urls(app, own_ids(person, plan.cycle_starts[-1]))
    person.client.get("/journal/")  # shows (and clears) any waiting message
    framed = pages(person.client, urls)
    assert app.extensions[EXTENSION_KEY].frames, "no page was framed"
    frames = app.extensions.pop(EXTENSION_KEY)
    in_full = pages(person.client, urls)
    assert len(framed) >= 40 and framed.keys() == in_full.keys()
    for url in framed:
        assert framed[url] == in_full[url], url
        # One title for every journal page: tabs and the browser's history never show a health fact.
        assert re.search(r"<title>Journal · [^<]*</title>", framed[url]), url
    app.extensions[EXTENSION_KEY] = frames


def test_frames_hold_nothing_of_a_journal_and_serve_everyone_alike(app, demo_person):
    person, plan = demo_person
    other = Journal(app, app.test_client(), "other@example.org").register()
    other.log_day(today(), temperature="36.70", note="a very particular word: zanzibar")
    with app.app_context():
        day_ids = db.session.scalars(select(Day.id)).all()
    for journal in (person, other):
        journal.client.get("/journal/")
        for url in ("/journal/", "/journal/calendar", "/journal/stats", "/journal/cycles/"):
            assert journal.client.get(url).status_code == 200
    kept = app.extensions[EXTENSION_KEY].frames
    # Both people (same zone, neither the demo account) share one frame per page.
    assert len(kept) == 4
    for frame in kept.values():
        text = "".join(frame._parts)
        for private in ("person@example.org", "other@example.org", "zanzibar", "36.7", "36,7"):
            assert private not in text
        assert not any(f"/{day_id}" in text for day_id in day_ids)
        assert sorted(set(frame.slot_names)) == ["content", "csrf-token", "path"]


def test_the_zone_offer_returns_to_the_page_it_is_on(app, demo_person):
    person, plan = demo_person
    person.client.get("/journal/")
    first = person.client.get("/journal/calendar").get_data(as_text=True)
    second = person.client.get("/journal/calendar?month=2026-01").get_data(as_text=True)
    assert 'name="next" value="/journal/calendar"' in first
    assert 'name="next" value="/journal/calendar"' in second  # the path, as request.path gives it


def test_a_waiting_message_renders_the_page_in_full(app, demo_person):
    person, plan = demo_person
    person.client.get("/journal/")
    person.donor(code="ZX-1")  # saving flashes a message
    page = person.client.get("/journal/").get_data(as_text=True)
    assert 'class="flashes"' in page


def test_stand_ins_refuse_what_is_not_in_the_key():
    reader = StandInReader(True, is_demo=False, time_zone="UTC")
    assert reader.time_zone == "UTC" and reader.is_authenticated
    with pytest.raises(PersonalDataInSharedFragment):
        reader.email
    with pytest.raises(PersonalDataInSharedFragment):
        reader.temperature_unit
    stand_in = StandInRequest("journal.home", path="slot")
    assert stand_in.blueprint == "journal" and stand_in.path == "slot"
    with pytest.raises(PersonalDataInSharedFragment):
        stand_in.args


def test_kept_frames_are_bounded_least_recently_used_first():
    from webapp.frames import Frame
    from webapp.journal.page import JournalFrames

    frames = JournalFrames(max_frames=2)
    made = {key: Frame(f"page {key}", {}) for key in "abc"}
    for key in "ab":
        assert frames.frame((key,), lambda key=key: made[key]) is made[key]
    frames.frame(("a",), lambda: pytest.fail("a is kept"))  # a is now the most recent
    frames.frame(("c",), lambda: made["c"])
    assert list(frames.frames) == [("a",), ("c",)]
