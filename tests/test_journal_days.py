"""Days: log, read, change and delete one entry per date; today at a glance."""

from datetime import time

from sqlalchemy import select

from tests.journal_support import ago, article_links, is_checked, journal, other_journal  # noqa: F401
from webapp.journal.forms import latest_allowed_date
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.models import Day


def stored(app, day_id) -> Day:
    with app.app_context():
        day = db.session.get(Day, day_id)
        db.session.expunge(day)
        return day


def test_journal_needs_sign_in(client):
    response = client.get("/journal/")
    assert response.status_code == 302
    assert "/accounts/login" in response.headers["Location"]
    assert client.get("/journal/days/new").status_code == 302


def test_a_first_visit_gets_a_short_friendly_start(journal):
    page = journal.page("/journal/")
    assert "Welcome to your journal" in page
    assert "Only you can see it" in page
    assert 'href="/journal/days/new"' in page


def test_log_a_whole_day(app, journal):
    response = journal.log_day(
        ago(2),
        bleeding="light",
        temperature="36,45",
        temperature_time="06:40",
        temperature_disturbance="alcohol",
        mucus_feeling="wet",
        mucus_appearance="creamy",
        cervix_position="high",
        cervix_firmness="soft",
        cervix_opening="medium",
        ovulation_test="high",
        ovulation_test_brand="Clearblue",
        symptoms=["nausea", "cramps"],
        mood="hopeful",
        note="Slept badly.\nSecond line.",
    )
    day_id = int(response.headers["Location"].rsplit("/", 1)[1])
    day = stored(app, day_id)
    assert day.date == ago(2)
    assert day.bleeding == "light" and not day.not_period
    assert day.temperature_centi == 3645
    assert day.temperature_time == time(6, 40)
    assert day.temperature_disturbance == "alcohol"
    assert day.mucus_code == 3
    assert (day.cervix_position, day.cervix_firmness, day.cervix_opening) == ("high", "soft", "medium")
    assert (day.ovulation_test, day.ovulation_test_brand) == ("high", "Clearblue")
    assert day.symptoms == ["cramps", "nausea"]
    assert day.mood == "hopeful"
    assert day.note == "Slept badly.\nSecond line."

    page = journal.page(f"/journal/days/{day_id}")
    assert "36.45 °C at 06:40" in page
    assert "left out of the rules" in page
    assert "Sign for your chart: <strong>S</strong>" in page
    assert "Cramps, Nausea" in page
    assert "Slept badly.\nSecond line." in page


def test_fahrenheit_is_stored_in_celsius_and_shown_in_fahrenheit(app, journal):
    journal.set(temperature_unit="F")
    form = journal.page("/journal/days/new")
    assert is_checked(form, "temperature_unit", "F") and not is_checked(form, "temperature_unit", "C")
    response = journal.log_day(ago(1), temperature="97.7", temperature_unit="F")
    day_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert stored(app, day_id).temperature_centi == 3650
    assert "97.70 °F" in journal.page(f"/journal/days/{day_id}")
    assert 'value="97.70"' in journal.page(f"/journal/days/{day_id}/edit")


def test_the_form_opens_on_today_and_comes_back_filled_in(journal):
    form = journal.page("/journal/days/new")
    assert f'value="{today().isoformat()}"' in form
    assert f'max="{latest_allowed_date().isoformat()}"' in form
    assert 'inputmode="decimal"' in form
    assert 'type="date"' in form and 'type="time"' in form
    journal.log_day(ago(3), temperature="36.5", mucus_feeling="dry", symptoms="fatigue", note="hello")
    edit = journal.page(f"/journal/days/{journal.day_id(ago(3))}/edit")
    assert 'value="36.50"' in edit
    assert is_checked(edit, "mucus_feeling", "dry")
    assert is_checked(edit, "symptoms", "fatigue") and not is_checked(edit, "symptoms", "nausea")
    assert "hello</textarea>" in edit


def test_one_entry_per_date(journal):
    journal.log_day(ago(1), bleeding="medium")
    day_id = journal.day_id(ago(1))
    response = journal.client.get(f"/journal/days/new?date={ago(1).isoformat()}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/journal/days/{day_id}/edit"
    again = journal.log_day(ago(1), expect=200, bleeding="heavy", note="a second try")
    assert "You already have an entry for" in again.get_data(as_text=True)
    assert "a second try" in again.get_data(as_text=True)  # what was typed stays
    assert journal.counts()["journal_day"] == 1


def test_moving_a_day_onto_another_logged_date_is_refused(journal):
    journal.log_day(ago(1), bleeding="medium")
    journal.log_day(ago(2), bleeding="heavy")
    response = journal.post(
        f"/journal/days/{journal.day_id(ago(2))}/edit",
        {"date": ago(1).isoformat(), "bleeding": "heavy", "temperature_unit": "C"},
        expect=200,
    )
    assert "You already have an entry for" in response.get_data(as_text=True)


def test_change_a_day_and_clear_what_no_longer_applies(app, journal):
    journal.log_day(ago(1), bleeding="spotting", not_period="y", symptoms=["cramps", "bloating"], temperature="36.7")
    day_id = journal.day_id(ago(1))
    journal.post(
        f"/journal/days/{day_id}/edit",
        {"date": ago(1).isoformat(), "bleeding": "", "temperature": "", "temperature_unit": "C", "note": "quiet day"},
    )
    day = stored(app, day_id)
    assert day.bleeding is None and day.not_period is False
    assert day.symptoms == []
    assert day.temperature_centi is None
    assert day.note == "quiet day"


def test_deleting_asks_first(journal):
    journal.log_day(ago(1), bleeding="medium")
    day_id = journal.day_id(ago(1))
    confirm = journal.page(f"/journal/days/{day_id}/delete")
    assert "Delete your entry for" in confirm and "cannot be undone" in confirm
    assert journal.counts()["journal_day"] == 1
    response = journal.client.post(f"/journal/days/{day_id}/delete")
    assert response.status_code == 302
    assert journal.counts()["journal_day"] == 0
    journal.page(f"/journal/days/{day_id}", status=404)


def test_log_today_opens_todays_entry(journal):
    assert journal.client.get("/journal/today").headers["Location"] == "/journal/days/new"
    journal.log_day(today(), temperature="36.4")
    assert journal.client.get("/journal/today").headers["Location"] == f"/journal/days/{journal.day_id(today())}/edit"


def test_today_at_a_glance(journal):
    journal.period(ago(9), days=3)
    donor = journal.donor(vials_bought=6, vials_in_storage=5)
    journal.insemination(ago(2), donor_id=donor, sperm="frozen", vials_used=2)
    journal.log_day(ago(1), temperature="36.6", note="hopeful")
    page = journal.page("/journal/")
    assert "Day 10</span> of your cycle" in page
    assert "2 days past insemination" in page
    assert "3 vials</span> left from donor DK-4471" in page
    assert "Log today" in page
    assert f'href="/journal/days/{journal.day_id(ago(1))}"' in page
    assert "Insemination: ICI at home" in page
    journal.log_day(today(), temperature="36.5")
    assert "Today’s entry" in journal.page("/journal/")


def test_spotting_that_starts_a_cycle_gets_a_gentle_hint(journal):
    response = journal.client.post(
        "/journal/days/new",
        data={"date": ago(3).isoformat(), "bleeding": "spotting", "temperature_unit": "C"},
        follow_redirects=True,
    )
    assert "This spotting starts a new cycle" in response.get_data(as_text=True)
    response = journal.client.post(
        "/journal/days/new",
        data={"date": ago(2).isoformat(), "bleeding": "spotting", "not_period": "y", "temperature_unit": "C"},
        follow_redirects=True,
    )
    assert "This spotting starts a new cycle" not in response.get_data(as_text=True)


def test_articles_beside_a_day(journal, library):
    journal.log_day(ago(1), temperature="36.5")
    assert article_links(journal.page(f"/journal/days/{journal.day_id(ago(1))}")) == ["how-to-chart-your-cycle"]
    journal.log_day(ago(2), cervix_position="low", cervix_opening="closed")
    assert article_links(journal.page(f"/journal/days/{journal.day_id(ago(2))}")) == ["how-to-find-your-cervix"]
    journal.log_day(ago(3), mucus_appearance="egg_white", mucus_feeling="slippery")
    page = journal.page(f"/journal/days/{journal.day_id(ago(3))}")
    assert article_links(page)[0] == "when-to-inseminate"
    assert "Egg-white mucus" in page
    journal.log_day(ago(4), ovulation_test="peak")
    assert article_links(journal.page(f"/journal/days/{journal.day_id(ago(4))}"))[0] == "when-to-inseminate"


def test_spotting_after_an_insemination_suggests_implantation_bleeding(journal, library):
    journal.period(ago(20), days=3)
    journal.insemination(ago(9))
    journal.log_day(ago(1), bleeding="spotting", not_period="y")
    page = journal.page(f"/journal/days/{journal.day_id(ago(1))}")
    assert article_links(page)[0] == "implantation-bleeding"
    assert "Spotting 8 days after insemination" in page


def test_heavier_bleeding_after_a_positive_test_shows_when_to_get_help(journal, library):
    journal.test(ago(3), result="positive")
    journal.log_day(ago(1), bleeding="medium")
    links = article_links(journal.page(f"/journal/days/{journal.day_id(ago(1))}"))
    assert links[0] == "early-miscarriage"
    assert "chemical-pregnancy" not in links  # the pregnancy may well go on


def test_a_note_with_no_rule_finds_articles_by_its_own_words(journal, library):
    journal.log_day(ago(1), note="Started taking folic acid and vitamins today")
    page = journal.page(f"/journal/days/{journal.day_id(ago(1))}")
    assert article_links(page)[0] == "preparing-for-conception"
    assert "Related to what you wrote" in page
    journal.log_day(ago(2), note="zzz qqq")
    assert article_links(journal.page(f"/journal/days/{journal.day_id(ago(2))}")) == []


def test_day_rows_belong_to_their_owner(app, journal, other_journal):
    journal.log_day(ago(1), bleeding="heavy")
    other_journal.log_day(ago(1), bleeding="light")
    with app.app_context():
        owners = db.session.execute(select(Day.user_id, Day.bleeding).order_by(Day.user_id)).all()
    assert owners == [(journal.user_id, "heavy"), (other_journal.user_id, "light")]


def test_a_double_submit_of_a_new_day_saves_one_row_and_says_so(journal, monkeypatch):
    """The second request of a double tap passed the 'already there?' check before the first
    committed: the unique constraint refuses it, and the person gets the clear message, not a
    500 (and the database error never reaches a log with the note)."""
    from webapp.journal import queries
    from webapp.journal.views import days as day_views

    journal.log_day(ago(3), note="first tap", bleeding="light")
    monkeypatch.setattr(day_views.queries, "day_by_date", lambda user_id, when: None)  # the race
    response = journal.log_day(ago(3), expect=200, note="second tap", bleeding="light")
    monkeypatch.undo()
    assert "You already have an entry for" in response.get_data(as_text=True)
    assert journal.counts()["journal_day"] == 1
    with journal.app.app_context():
        assert queries.day_by_date(journal.user_id, ago(3)).note == "first tap"
