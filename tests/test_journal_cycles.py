"""Cycles: derived from the days, one cycle day by day, and how a cycle ended."""

import re
from datetime import timedelta

from tests.journal_support import ago, article_links, journal  # noqa: F401
from webapp.extensions import db
from webapp.journal.models import CycleOutcome


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def test_cycles_come_from_the_periods(journal):
    first = journal.period(ago(40), days=4)
    second = journal.period(ago(12), days=5)
    page = journal.page("/journal/cycles/")
    assert f'href="/journal/cycles/{second}">Cycle 2' in page
    assert f'href="/journal/cycles/{first}">Cycle 1' in page
    assert "28 days" in page
    assert "now on day 13" in page
    assert page.index("Cycle 2") < page.index("Cycle 1")  # newest first


def test_spotting_marked_not_a_period_does_not_start_a_cycle(journal):
    journal.period(ago(20), days=3)
    journal.log_day(ago(8), bleeding="spotting", not_period="y")
    assert "Cycle 2" not in journal.page("/journal/cycles/")
    journal.log_day(ago(5), bleeding="spotting")
    assert "Cycle 2" in journal.page("/journal/cycles/")


def test_a_cycle_start_can_be_marked_by_hand(journal):
    journal.period(ago(40), days=3)
    journal.log_day(ago(10), starts_cycle="y", note="period started while travelling, forgot to log")
    page = journal.page("/journal/")
    assert "Day 11</span> of your cycle" in page
    day_page = journal.page(f"/journal/days/{journal.day_id(ago(10))}")
    assert "You marked this day as the start of a cycle" in day_page


def test_the_cycle_view_shows_every_day_with_its_entries(journal):
    start = ago(15)
    start_id = journal.period(start, days=3)
    journal.log_day(start + timedelta(days=5), temperature="36.35", mucus_feeling="wet", mucus_appearance="egg_white")
    journal.log_day(start + timedelta(days=6), cervix_position="high", cervix_firmness="soft", cervix_opening="open", ovulation_test="peak")
    insemination = journal.insemination(start + timedelta(days=6), time="19:00", sperm="frozen")
    note_day = (start + timedelta(days=7)).isoformat()
    journal.note(insemination, f"{note_day}T08:00", leakage="a_little")
    test_id = journal.test(start + timedelta(days=14), result="negative")

    page = journal.page(f"/journal/cycles/{start_id}")
    table = rows(page)
    assert len(table) == 16  # day 1 to today
    assert ">Heavy<" in table[0] and "<th scope=\"row\">1</th>" in table[0]
    assert "36.35 °C" in table[5] and ">S+<" in table[5]
    assert "high, soft, open" in table[6] and "Peak or positive" in table[6]
    assert f'/journal/inseminations/{insemination}"' in table[6]
    assert "Note</a>, 13 hours after: leakage: a little" in table[7]
    assert f'/journal/tests/{test_id}"' in table[14]
    assert "nothing logged, log this day" in table[3]
    assert "You are on day 16 of this cycle." in page
    # The same cycle from any of its days.
    assert "Cycle 1, from" in journal.page(f"/journal/cycles/{journal.day_id(start + timedelta(days=5))}")


def test_the_cycle_view_links_neighbouring_cycles(journal):
    first = journal.period(ago(60), days=3)
    second = journal.period(ago(30), days=3)
    page = journal.page(f"/journal/cycles/{first}")
    assert "This cycle lasted 30 days" in page
    assert f'href="/journal/cycles/{second}">Cycle 2 →' in page
    assert f'href="/journal/cycles/{first}">← Cycle 1' in journal.page(f"/journal/cycles/{second}")
    response = journal.client.get("/journal/cycles/current")
    assert response.headers["Location"] == f"/journal/cycles/{second}"


def test_a_day_before_the_first_cycle(journal):
    journal.log_day(ago(3), temperature="36.4")
    page = journal.page(f"/journal/cycles/{journal.day_id(ago(3))}")
    assert "This day is not in a cycle yet" in page
    assert journal.client.get("/journal/cycles/current").headers["Location"] == "/journal/cycles/"


def test_record_how_a_cycle_ended(app, journal, library):
    start_id = journal.period(ago(45), days=3)
    journal.period(ago(15), days=3)
    page = journal.page(f"/journal/cycles/{start_id}")
    assert "record how this cycle ended" in page
    form = journal.page(f"/journal/cycles/{start_id}/outcome")
    assert "This cycle ended in a chemical pregnancy, a very early loss" in form
    journal.post(f"/journal/cycles/{start_id}/outcome", {"outcome": "chemical", "note": "We are sad."})
    page = journal.page(f"/journal/cycles/{start_id}")
    assert "This cycle ended in a chemical pregnancy, a very early loss" in page
    assert "We are sad." in page
    assert "This cycle ended in a chemical pregnancy" in journal.page("/journal/cycles/")
    form = journal.page(f"/journal/cycles/{start_id}/outcome")
    assert article_links(form) == ["chemical-pregnancy", "trying-again-after-loss"]
    # Changing it keeps one record.
    journal.post(f"/journal/cycles/{start_id}/outcome", {"outcome": "loss"})
    with app.app_context():
        outcomes = db.session.query(CycleOutcome).all()
        assert [(o.outcome, o.cycle_start) for o in outcomes] == [("loss", ago(45))]
        outcome_id = outcomes[0].id
    assert "The days and entries of the cycle stay" in journal.page(f"/journal/outcomes/{outcome_id}/delete")
    journal.client.post(f"/journal/outcomes/{outcome_id}/delete")
    assert "record how this cycle ended" in journal.page(f"/journal/cycles/{start_id}")


def test_an_outcome_needs_a_choice(journal):
    start_id = journal.period(ago(5), days=2)
    response = journal.post(f"/journal/cycles/{start_id}/outcome", {"note": "x"}, expect=200)
    assert "Please choose one, or go back if you would rather not." in response.get_data(as_text=True)


def test_articles_beside_a_cycle(journal, library):
    start = ago(12)
    start_id = journal.period(start, days=3)
    journal.log_day(start + timedelta(days=4), temperature="36.4")
    insemination = journal.insemination(start + timedelta(days=5), time="08:00", sperm="frozen")
    journal.note(insemination, f"{(start + timedelta(days=5)).isoformat()}T09:00", leakage="a_lot")
    # What was done this cycle ranks above "you logged a temperature", true of most days.
    assert article_links(journal.page(f"/journal/cycles/{start_id}")) == [
        "leakage-after-insemination", "thawing-frozen-sperm", "how-to-do-ici-at-home",
    ]


def test_two_submits_of_a_cycle_outcome_keep_one_record(app, journal, monkeypatch):
    """The second submit did not see the first's record yet: no 500, one outcome, the latest."""
    from sqlalchemy import select

    from webapp.journal.views import cycles as cycle_views

    start_id = journal.period(ago(45), days=3)
    journal.period(ago(15), days=3)
    journal.post(f"/journal/cycles/{start_id}/outcome", {"outcome": "chemical"})
    real = cycle_views.queries.outcome_for
    calls = []

    def first_misses(user_id, span):
        calls.append(span)
        return None if len(calls) == 1 else real(user_id, span)

    monkeypatch.setattr(cycle_views.queries, "outcome_for", first_misses)
    journal.post(f"/journal/cycles/{start_id}/outcome", {"outcome": "loss"})
    monkeypatch.undo()
    with app.app_context():
        outcomes = db.session.scalars(select(CycleOutcome)).all()
        assert [(o.outcome, o.cycle_start) for o in outcomes] == [("loss", ago(45))]
