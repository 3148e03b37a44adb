"""The private calendar feed: made, shown once, replaced and revoked on a journal page; served
without a session at /calendar/<token>.ics with nothing but "Fertile window" and "Period
expected"; a wrong or revoked token is a 404; one person's feed never holds another's."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import select

from tests.journal_support import PASSWORD, journal, other_journal  # noqa: F401
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import demo_plan, write_plan
from webapp.journal.calendar_feed import CalendarFeed, hash_token
from webapp.security import redact

FEED = re.compile(r'value="http://localhost(/calendar/([A-Za-z0-9_-]+)\.ics)"')


def seed(j, shift_days: int = 0) -> None:
    with j.app.app_context():
        write_plan(j.user_id, demo_plan(today() - timedelta(days=shift_days)))
        db.session.commit()


def make_feed(j) -> tuple[str, str]:
    response = j.client.post("/journal/calendar/feed")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    match = FEED.search(html)
    assert match, html[:2000]
    assert "this is the one time you can see it" in html
    return match.group(1), match.group(2)


def events(text: str) -> list[dict[str, str]]:
    found = []
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT\r\n", text, re.S):
        found.append(dict(line.split(":", 1) for line in block.split("\r\n") if line))
    return found


def test_the_feed_holds_estimates_only(app, journal) -> None:
    seed(journal)
    path, token = make_feed(journal)
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    found = events(text)
    assert {e["SUMMARY"] for e in found} == {"Fertile window", "Period expected"}
    assert len([e for e in found if e["SUMMARY"] == "Period expected"]) == 3
    allowed = {"UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY", "TRANSP"}
    assert all(set(e) == allowed for e in found)
    # the next period: 29 days (the average) after the current cycle's start, give or take 2
    start = today() - timedelta(days=20)
    period = min((e for e in found if e["SUMMARY"] == "Period expected"), key=lambda e: e["DTSTART;VALUE=DATE"])
    assert period["DTSTART;VALUE=DATE"] == (start + timedelta(days=27)).strftime("%Y%m%d")
    assert period["DTEND;VALUE=DATE"] == (start + timedelta(days=32)).strftime("%Y%m%d")  # exclusive
    # nothing the person wrote or measured
    for secret in ("4471", "Cryobank", "36.", "stretchy", "Thawed", "person@example.org", "DESCRIPTION", "LOCATION"):
        assert secret not in text
    # the same UIDs on the next fetch, so calendars update instead of duplicating
    assert [e["UID"] for e in events(anonymous.get(path).get_data(as_text=True))] == [e["UID"] for e in found]


def test_only_a_hash_of_the_token_is_stored(app, journal) -> None:
    _, token = make_feed(journal)
    with app.app_context():
        stored = db.session.scalars(select(CalendarFeed.token_hash)).all()
    assert stored == [hash_token(token)] and token not in stored[0]
    page = journal.page("/journal/calendar/feed")
    assert token not in page and "Your calendar feed is on" in page


def test_wrong_revoked_and_replaced_tokens_are_not_found(app, journal) -> None:
    anonymous = app.test_client()
    path, token = make_feed(journal)
    assert anonymous.get("/calendar/not-a-real-token.ics").status_code == 404
    assert anonymous.get(f"/calendar/{token}x.ics").status_code == 404
    assert anonymous.get(f"/calendar/{'a' * 500}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{token}").status_code == 404
    new_path, _ = make_feed(journal)  # a new address replaces the old one
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(new_path).status_code == 200
    response = journal.client.post("/journal/calendar/feed/delete")
    assert response.status_code == 302
    assert "Your calendar feed is off" in journal.page("/journal/calendar/feed")
    assert anonymous.get(new_path).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.id)) is None


def test_a_feed_never_holds_another_persons_predictions(app, journal, other_journal) -> None:
    seed(journal)
    seed(other_journal, shift_days=10)  # a different current cycle
    mine, _ = make_feed(journal)
    theirs, _ = make_feed(other_journal)
    anonymous = app.test_client()
    my_events = events(anonymous.get(mine).get_data(as_text=True))
    their_events = events(anonymous.get(theirs).get_data(as_text=True))
    my_dates = {(e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"]) for e in my_events}
    their_dates = {(e["DTSTART;VALUE=DATE"], e["DTEND;VALUE=DATE"]) for e in their_events}
    assert my_dates and their_dates and not (my_dates & their_dates)
    assert not ({e["UID"] for e in my_events} & {e["UID"] for e in their_events})
    # revoking one person's feed leaves the other's alone
    other_journal.client.post("/journal/calendar/feed/delete")
    assert anonymous.get(mine).status_code == 200
    assert anonymous.get(theirs).status_code == 404


def test_a_feed_without_enough_cycles_is_an_empty_calendar(app, journal) -> None:
    path, _ = make_feed(journal)
    text = app.test_client().get(path).get_data(as_text=True)
    assert "BEGIN:VEVENT" not in text and text.endswith("END:VCALENDAR\r\n")


def test_the_feed_page_needs_a_session_and_a_csrf_safe_post(app, client) -> None:
    assert client.get("/journal/calendar/feed").status_code == 302
    assert client.post("/journal/calendar/feed").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.id)) is None


def test_deleting_the_account_deletes_the_feed(app, journal) -> None:
    path, _ = make_feed(journal)
    response = journal.client.post("/accounts/settings/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.id)) is None
    assert app.test_client().get(path).status_code == 404


def test_the_token_never_reaches_a_log(journal) -> None:
    path, token = make_feed(journal)
    line = f'127.0.0.1 - - [01/Jan/2026:00:00:00] "GET {path} HTTP/1.1" 200 512'
    cleaned = redact(line)
    assert token not in cleaned and "/calendar/[redacted].ics" in cleaned
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, line, (), None)
    for handler_filter in logging.getLogger("gunicorn.access").filters:
        handler_filter.filter(record)
    assert token not in record.getMessage()
