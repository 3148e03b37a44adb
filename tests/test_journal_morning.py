"""The one-tap morning log on the journal home: one row per day, in the person's own date."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.journal_support import ago, journal  # noqa: F401
from webapp import clock
from webapp.extensions import db
from webapp.journal import morning
from webapp.journal.models import Day

MORNING = "/journal/today/morning"


def days_of(journal) -> list[Day]:
    with journal.app.app_context():
        return list(db.session.scalars(select(Day).where(Day.user_id == journal.user_id)))


def test_the_home_page_has_the_short_form_first(journal):
    welcome = journal.page("/journal/")
    assert "Welcome to your journal" in welcome and f'action="{MORNING}"' in welcome
    journal.log_day(ago(1), temperature="36.30")
    page = journal.page("/journal/")
    assert page.index('id="morning"') < page.index("glance-heading")
    assert f'action="{MORNING}"' in page and 'name="temperature"' in page and 'inputmode="decimal"' in page


def test_two_saves_of_the_same_morning_make_one_row_and_keep_what_is_not_in_the_form(journal):
    journal.log_day(clock.today(), note="slept badly", mucus_feeling="wet")
    journal.post(MORNING, {"temperature": "36,55", "temperature_time": "06:30", "bleeding": "none"})
    journal.post(MORNING, {"temperature": "36.55", "temperature_time": "06:30", "mucus_appearance": "creamy"})
    [day] = days_of(journal)
    assert (day.temperature_centi, day.temperature_time.isoformat(), day.bleeding) == (3655, "06:30:00", None)
    assert (day.note, day.mucus_feeling, day.mucus_appearance) == ("slept badly", "wet", "creamy")


def test_a_saved_temperature_says_what_it_means(journal):
    journal.period(ago(3), days=1)
    journal.log_day(ago(2), temperature="36.35")
    journal.post(MORNING, {"temperature": "36.40"})
    page = journal.page("/journal/")
    assert "Today:</span> 36.40 °C, your 2nd temperature this cycle; no temperature shift yet." in page


def test_in_pregnancy_mode_a_saved_temperature_is_not_said_to_start_a_chart(journal):
    journal.period(ago(30))
    journal.test(ago(1), result="positive")
    journal.post(MORNING, {"temperature": "36.80"})
    page = journal.page("/journal/")
    assert "pregnant, counted from your last period" in page
    assert "Today:</span> 36.80 °C, on your chart. In pregnancy mode the rules do not read your temperatures." in page
    assert "Your chart starts on the first day of a period" not in page


def test_with_no_cycle_yet_a_saved_temperature_says_where_the_chart_starts(journal):
    journal.post(MORNING, {"temperature": "36.50"})
    assert "Today:</span> 36.50 °C. Your chart starts on the first day of a period you log." in journal.page("/journal/")


def test_an_empty_or_bad_morning_is_explained_and_saves_nothing(journal):
    empty = journal.post(MORNING, {}, expect=400).get_data(as_text=True)
    assert "There is nothing to save yet" in empty
    bad = journal.post(MORNING, {"temperature": "45.2"}, expect=400).get_data(as_text=True)
    assert 'class="error-summary"' in bad and 'value="45.2"' in bad
    odd = journal.post(MORNING, {"bleeding": "torrential"}, expect=400).get_data(as_text=True)
    assert "Please choose one of the options." in odd
    timed = journal.post(MORNING, {"temperature_time": "06:30"}, expect=400).get_data(as_text=True)
    assert "Please enter the temperature" in timed
    assert days_of(journal) == []


def test_the_morning_is_saved_on_the_person_s_own_date(journal):
    # The clock jumps hours back and forth: keep the session alive across the jumps.
    journal.app.config.update(IDLE_TIMEOUT_MINUTES=24 * 60, SESSION_MAX_HOURS=48)
    journal.set(time_zone="Pacific/Honolulu")
    with clock.fixed_utcnow(datetime(2026, 12, 1, 7, 38)):  # 21:38 on 30 November in Honolulu
        journal.post(MORNING, {"temperature": "36.50"})
        assert "Today, 30 November 2026" in journal.page("/journal/")
    journal.set(time_zone="Pacific/Auckland")
    with clock.fixed_utcnow(datetime(2026, 12, 1, 17, 30)):  # 06:30 on 2 December in Auckland
        journal.post(MORNING, {"temperature": "36.60"})
        form = journal.page("/journal/days/new?date=2026-12-01")
        assert 'max="2026-12-03"' in form  # one day of grace after the person's own today
        assert "Next day, </span>2 Dec →" in form  # back-filling: the next day is today, no further
    assert sorted((d.date, d.temperature_centi) for d in days_of(journal)) == [
        (date(2026, 11, 30), 3650),
        (date(2026, 12, 2), 3660),
    ]


def test_a_race_between_two_saves_changes_the_winner_s_row(journal, monkeypatch):
    """The second request found no row, then lost the insert to the first: no error, one row."""
    when = clock.today()
    real_lookup = morning.queries.day_by_date
    calls = {"n": 0}

    def late_lookup(user_id, day):
        calls["n"] += 1
        if calls["n"] == 1:  # the first look finds nothing, as if the other request had not committed yet
            db.session.add(Day(user_id=user_id, date=day, bleeding="light"))
            db.session.commit()
            return None
        return real_lookup(user_id, day)

    monkeypatch.setattr(morning.queries, "day_by_date", late_lookup)
    journal.post(MORNING, {"temperature": "36.45"})
    [day] = days_of(journal)
    assert (day.date, day.bleeding, day.temperature_centi) == (when, "light", 3645)


@pytest.mark.parametrize("number, word", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"), (112, "112th")])
def test_ordinals(number, word):
    from webapp.fertility.morning import ordinal

    assert ordinal(number) == word
