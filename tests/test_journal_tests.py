"""Pregnancy tests: home and blood tests, days past, doubling times, articles beside them."""

from datetime import timedelta

from tests.journal_support import ago, article_links, journal  # noqa: F401
from webapp.extensions import db
from webapp.journal.models import PregnancyTest

LOW = ["36.30", "36.25", "36.40", "36.35", "36.30", "36.20", "36.35", "36.30", "36.25", "36.40", "36.35", "36.30"]
HIGH = ["36.70", "36.75", "36.90", "36.85", "36.80", "36.85", "36.90", "36.80", "36.85", "36.90", "36.85", "36.80"]


def chart_a_cycle(journal, start):
    """A period, then twelve low and twelve high temperatures: the first high is cycle day 13."""
    for offset, value in enumerate(LOW + HIGH):
        fields = {"temperature": value}
        if offset < 3:
            fields["bleeding"] = "medium"
        journal.log_day(start + timedelta(days=offset), **fields)


def test_a_home_test(app, journal):
    test_id = journal.test(ago(1), kind="home", brand="First Response", sensitivity_miu="10", result="faint", time="07:10")
    with app.app_context():
        test = db.session.get(PregnancyTest, test_id)
        assert (test.kind, test.result, test.sensitivity_miu, test.hcg_miu) == ("home", "faint", 10, None)
    page = journal.page(f"/journal/tests/{test_id}")
    assert "A faint line" in page and "10 mIU/mL" in page and "First Response" in page


def test_days_past_insemination_are_computed(journal):
    journal.insemination(ago(11))
    test_id = journal.test(ago(1), result="negative")
    assert "10 days past insemination." in journal.page(f"/journal/tests/{test_id}")


def test_days_past_ovulation_come_from_the_temperatures(journal):
    start = ago(30)
    chart_a_cycle(journal, start)
    journal.insemination(start + timedelta(days=10))
    test_day = start + timedelta(days=23)  # ovulation on day 12 (the day before the first high)
    test_id = journal.test(test_day, result="negative")
    assert "12 days past ovulation." in journal.page(f"/journal/tests/{test_id}")
    home = journal.page("/journal/")
    assert "going by your temperatures" in home


def test_successive_blood_values_show_the_doubling_time(journal):
    first = journal.test(ago(4), kind="blood", hcg_miu="50", time="08:00")
    second = journal.test(ago(2), kind="blood", hcg_miu="100", time="08:00")
    page = journal.page(f"/journal/tests/{second}")
    assert "Your hCG doubled about every 48 hours." in page
    assert "50 mIU/mL on" in page
    assert "doubling time 48 hours" in journal.page("/journal/tests/")
    assert "Since the last blood test" not in journal.page(f"/journal/tests/{first}")


def test_falling_hcg_is_met_gently_with_the_chemical_pregnancy_article(journal, library):
    journal.test(ago(4), kind="blood", hcg_miu="40")
    falling = journal.test(ago(2), kind="blood", hcg_miu="12")
    page = journal.page(f"/journal/tests/{falling}")
    assert "Your hCG went down." in page
    assert article_links(page)[0] == "chemical-pregnancy"


def test_a_negative_test_after_a_positive_one(journal, library):
    journal.test(ago(5), result="positive")
    negative = journal.test(ago(1), result="negative")
    page = journal.page(f"/journal/tests/{negative}")
    assert article_links(page)[0] == "chemical-pregnancy"
    assert "A negative test after a positive one" in page


def test_a_faint_line_and_an_early_test(journal, library):
    journal.insemination(ago(8))
    faint = journal.test(ago(1), result="faint")
    links = article_links(journal.page(f"/journal/tests/{faint}"))
    assert links[0] == "faint-lines-on-pregnancy-tests"
    assert "when-to-take-a-pregnancy-test" in links


def test_change_and_delete_a_test(app, journal):
    test_id = journal.test(ago(1), result="negative")
    journal.post(f"/journal/tests/{test_id}/edit", {"date": ago(1).isoformat(), "kind": "blood", "result": "", "hcg_miu": "3.5"})
    with app.app_context():
        test = db.session.get(PregnancyTest, test_id)
        assert (test.kind, test.result, test.hcg_miu) == ("blood", None, 3.5)
    assert "Delete your test of" in journal.page(f"/journal/tests/{test_id}/delete")
    journal.client.post(f"/journal/tests/{test_id}/delete")
    assert journal.counts()["pregnancy_test"] == 0


def test_tests_list(journal):
    assert "No tests logged yet" in journal.page("/journal/tests/")
    home = journal.test(ago(2), result="positive")
    blood = journal.test(ago(1), kind="blood", hcg_miu="120")
    page = journal.page("/journal/tests/")
    assert page.index(f"/journal/tests/{blood}") < page.index(f"/journal/tests/{home}")
    assert "Blood test: hCG 120 mIU/mL" in page and "Home test: positive" in page


def test_readings_follow_every_change_to_the_days(journal):
    """Five years of days are cached per process for the rules: an edit must still show at once."""
    start = ago(30)
    chart_a_cycle(journal, start)
    start_id = journal.day_id(start)
    assert "ovulation was likely that day (day 12)" in journal.page(f"/journal/cycles/{start_id}")
    first_high = journal.day_id(start + timedelta(days=12))
    journal.post(f"/journal/days/{first_high}/edit", {
        "date": (start + timedelta(days=12)).isoformat(), "temperature": "36.30", "temperature_unit": "C",
    })
    assert "ovulation was likely that day (day 13)" in journal.page(f"/journal/cycles/{start_id}")
    journal.client.post(f"/journal/days/{journal.day_id(start + timedelta(days=13))}/delete")
    assert "ovulation was likely that day (day 14)" in journal.page(f"/journal/cycles/{start_id}")
