"""Journal text never reaches a log, a URL, the public search index, a cache or the session."""

import logging
import re


from tests.journal_support import ago, journal  # noqa: F401
from webapp.search import get_index

SECRET = "Marigoldwhisper"  # a word no article uses


def full_journey(journal):
    """Every kind of entry with the secret word, a failed form, and the pages that show them."""
    journal.log_day(ago(3), bleeding="medium", note=f"{SECRET} day", mood=SECRET)
    journal.log_day(ago(2), expect=200, temperature="50", note=f"{SECRET} failed")
    donor = journal.donor(code="D1", note=f"{SECRET} donor")
    insemination = journal.insemination(ago(2), time="20:00", donor_id=donor, note=f"{SECRET} insemination",
                                        performed_by=SECRET, location=SECRET)
    journal.note(insemination, f"{ago(2).isoformat()}T21:00", feelings=SECRET, note=f"{SECRET} note")
    test = journal.test(ago(1), result="negative", note=f"{SECRET} test", brand=SECRET)
    start = journal.day_id(ago(3))
    journal.post(f"/journal/cycles/{start}/outcome", {"outcome": "not_pregnant", "note": f"{SECRET} outcome"})
    pages = [
        "/journal/", "/journal/calendar", "/journal/cycles/", f"/journal/cycles/{start}",
        f"/journal/days/{start}", f"/journal/days/{start}/edit", "/journal/inseminations/",
        f"/journal/inseminations/{insemination}", "/journal/tests/", f"/journal/tests/{test}",
        "/journal/donors/", f"/journal/cycles/{start}/outcome",
    ]
    return {url: journal.page(url) for url in pages}


def test_no_journal_text_in_any_log(journal, library, caplog):
    with caplog.at_level(logging.DEBUG):
        full_journey(journal)
    for record in caplog.records:
        assert SECRET not in record.getMessage(), record.name


def test_no_journal_text_in_any_address(journal, library):
    seen_locations = []
    original_post = journal.client.post

    def recording_post(*args, **kwargs):
        response = original_post(*args, **kwargs)
        if "Location" in response.headers:
            seen_locations.append(response.headers["Location"])
        return response

    journal.client.post = recording_post
    pages = full_journey(journal)
    assert seen_locations
    for location in seen_locations:
        assert SECRET not in location
        assert re.fullmatch(r"/journal/[a-z/]*(\d+)?(/[a-z]+)?/?(#note-\d+)?", location), location
    assert SECRET in pages[next(url for url in pages if url.startswith("/journal/days/"))]
    for url, page in pages.items():
        for address in re.findall(r'(?:href|action|src)="([^"]*)"', page):
            assert SECRET.lower() not in address.lower(), (url, address)
        for form in re.findall(r"<form[^>]*>", page):
            assert 'method="get"' not in form or 'action="/search"' in form, (url, form)


def test_journal_text_never_enters_the_public_search_index(app, journal, library):
    with app.app_context():
        before = get_index().document_count()
    full_journey(journal)
    with app.app_context():
        assert get_index().search(SECRET).total == 0
        assert get_index().document_count() == before


def test_journal_pages_are_never_cached(journal):
    journal.log_day(ago(1), note=SECRET)
    for url in ("/journal/", f"/journal/days/{journal.day_id(ago(1))}", "/journal/calendar"):
        response = journal.client.get(url)
        assert response.headers["Cache-Control"] == "no-store"


def test_flash_messages_in_the_session_cookie_never_repeat_what_was_written(app, journal):
    journal.log_day(ago(1), bleeding="spotting", note=SECRET)  # spotting starts a cycle: two flashes
    cookie = journal.client.get_cookie("session")
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert session.get("_flashes")
    assert SECRET not in repr(session)


def test_journal_views_never_log_what_was_written(app, journal, caplog):
    """Every entry kind saved with a distinctive text at DEBUG level on every logger: the text
    never reaches a log record (views, queries, the articles-beside search, SQLAlchemy)."""
    import logging

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement, as echo would
    day = ago(2)
    journal.log_day(day, bleeding="spotting", note=SECRET, temperature="36.55")
    donor_id = journal.donor(vials_bought=3, vials_in_storage=3, note=SECRET)
    insemination_id = journal.insemination(day, donor_id=donor_id, vials_used=1, note=SECRET)
    journal.note(insemination_id, f"{day.isoformat()}T20:00", note=SECRET)
    journal.test(day, result="negative", note=SECRET)
    for path in ("/journal/", "/journal/calendar", "/journal/inseminations/", "/journal/tests/"):
        assert journal.client.get(path).status_code == 200
    assert caplog.records, "the test must capture something to prove logging was on"
    assert all(SECRET not in record.getMessage() for record in caplog.records)
