"""Journal pages read rows, not ORM objects, and keep what they read with the journal revision:
a change shows at once, nobody sees another person's kept reads, and pages that show no free
text neither read nor decrypt it."""

import pytest

from tests.journal_support import ago, journal, other_journal  # noqa: F401
from webapp.encryption import KeyRing


@pytest.fixture
def decrypted(monkeypatch):
    """The table.column of every value decrypted while the test runs."""
    seen: list[str] = []
    original = KeyRing.decrypt

    def recording(self, stored, context):
        seen.append(context)
        return original(self, stored, context)

    monkeypatch.setattr(KeyRing, "decrypt", recording)
    return seen


def test_every_page_shows_a_change_made_after_it_was_seen(journal):
    start = journal.period(ago(30), days=4)
    journal.period(ago(8), days=3)
    pages = [f"/journal/cycles/{start}", f"/journal/cycles/{start}/chart", "/journal/stats", "/journal/", "/journal/calendar"]
    for url in pages:
        journal.page(url)  # seen (and kept) before the change
    journal.log_day(ago(20), temperature="36.87", note="kept-reads check")
    assert "IUI" not in journal.page(f"/journal/cycles/{start}")
    journal.insemination(ago(16), method="iui")
    cycle = journal.page(f"/journal/cycles/{start}")
    assert "36.87" in cycle and "IUI" in cycle
    assert "36.87" in journal.page(f"/journal/cycles/{start}/chart")
    # A cycle start marked by hand moves what the home page counts.
    assert "Day 9</span> of your cycle" in journal.page("/journal/")
    journal.log_day(ago(1), starts_cycle="y")
    assert "Day 2</span> of your cycle" in journal.page("/journal/")


def test_a_person_never_sees_another_persons_kept_reads(journal, other_journal):
    journal.period(ago(10), days=4)
    other_journal.period(ago(4), days=4)
    for _ in range(2):
        assert "Day 11</span> of your cycle" in journal.page("/journal/")
        assert "Day 5</span> of your cycle" in other_journal.page("/journal/")
    other_start = other_journal.day_id(ago(4))
    journal.page(f"/journal/cycles/{other_start}", status=404)


def test_the_chart_and_the_calendar_read_no_free_text(journal, decrypted):
    start = journal.period(ago(20), days=4)
    journal.log_day(ago(14), temperature="36.50", note="a private note", mood="tired", symptoms="cramps")
    insemination = journal.insemination(ago(9), note="an insemination note")
    journal.note(insemination, f"{ago(9).isoformat()}T22:00", feelings="a feeling")
    journal.test(ago(2), kind="home", result="negative", note="a test note")
    journal.page(f"/journal/cycles/{start}")  # the cycle view shows them: it decrypts them
    assert any(context.endswith(".feelings") for context in decrypted)
    for url in (f"/journal/cycles/{start}/chart", "/journal/calendar"):
        decrypted.clear()
        journal.page(url)
        assert decrypted == [], url


def test_rows_read_from_a_date_are_the_same_slices_as_every_row(journal):
    """The home reads only its latest cycles' days after a change (JournalState.read_from);
    every cycle sliced from them is the one sliced from all the person's days."""
    from webapp.journal.history import JournalState
    from webapp.journal.queries import cycle_spans

    for start in (60, 32, 5):
        journal.period(ago(start), days=4)
        journal.log_day(ago(start - 4), temperature="36.45")
    with journal.app.test_request_context():
        uid = journal.user_id
        spans = cycle_spans(uid)
        everything = JournalState(uid, revision=0)
        partly = JournalState(uid, revision=0)
        partly.read_from(spans[1].start)
        for span in spans[1:]:
            assert partly.cycle_rows(span) == everything.cycle_rows(span) and partly.cycle_rows(span)
        assert partly._rows is None  # nothing before the second cycle was read
        assert partly.cycle_rows(spans[0]) == everything.cycle_rows(spans[0])  # reads the rest then


def test_remembered_answers_are_bounded_per_person(journal, monkeypatch):
    from webapp.journal import history

    monkeypatch.setattr(history, "ANSWERS_KEPT", 3)
    journal.period(ago(10), days=3)
    computed = []
    with journal.app.test_request_context():
        uid = journal.user_id
        for key in ("a", "b", "c", "a", "d", "a", "b"):
            history.remembered(uid, key, lambda key=key: computed.append(key) or key.upper())
        assert list(history.journal_state(uid).answers) == ["d", "a", "b"]
    # "a" was used again before "d" came, so "b" went first and was worked out again at the end.
    assert computed == ["a", "b", "c", "d", "b"]
