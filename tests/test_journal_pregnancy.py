"""The two-week wait and pregnancy mode on the journal's pages: one countdown on home, a day's
page and the calendar; a positive test or a recorded pregnancy switches the home page to weeks
and days, the due date and the hCG series, and stops every estimate (the calendar feed too); a
loss recorded returns the journal to its cycles; the NICE note after six inseminated cycles."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.journal_support import ago, journal, other_journal  # noqa: F401
from tests.test_pregnancy import parse_calendar
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import demo_plan, write_plan
from webapp.templating import long_date

FEED = re.compile(r'value="http://localhost(/calendar/[A-Za-z0-9_-]+\.ics)"')


def seed_day_21(j) -> None:
    """The demo's cycle mode: ovulation on day 14, today day 21 (7 days past ovulation)."""
    with j.app.app_context():
        write_plan(j.user_id, demo_plan(today()))
        db.session.commit()


def feed_text(j) -> str:
    html = j.client.post("/journal/calendar/feed").get_data(as_text=True)
    match = FEED.search(html)
    assert match
    return j.app.test_client().get(match.group(1)).get_data(as_text=True)


def record_outcome(j, cycle_start, outcome: str) -> None:
    j.post(f"/journal/cycles/{j.day_id(cycle_start)}/outcome", {"outcome": outcome})


# --------------------------------------------------------------------------- the countdown


def test_home_day_page_and_calendar_show_one_countdown(journal) -> None:
    seed_day_21(journal)
    ovulation = today() - timedelta(days=7)
    test_day = ovulation + timedelta(days=12)
    sentence = f"a test is most reliable from 12 days past ovulation, on {test_day.day} {test_day:%B}."
    home = journal.page("/journal/")
    assert "7 days past ovulation</span>; " + sentence in home
    assert "past insemination" not in home  # the second, disagreeing counter is gone
    day = journal.page(f"/journal/days/{journal.day_id(today())}")
    assert "7 days past ovulation" in day and "past insemination" not in day
    assert "of your two-week wait" not in day
    assert sentence in journal.page("/journal/calendar")


def test_before_ovulation_the_countdown_counts_from_the_insemination(journal) -> None:
    start = ago(10)
    journal.period(start)
    insemination = journal.insemination(ago(3))
    home = journal.page("/journal/")
    reliable = ago(3) + timedelta(days=14)
    assert f"3 days past insemination</span>; a test is most reliable from 14 days past insemination, on {reliable.day} {reliable:%B}." in home
    assert f"/journal/inseminations/{insemination}" in home


# --------------------------------------------------------------------------- pregnancy mode


def test_a_positive_test_switches_home_to_pregnancy_mode(journal) -> None:
    journal.period(ago(30))
    journal.test(ago(1), result="positive")
    home = journal.page("/journal/")
    assert "4 weeks and 2 days</span> pregnant, counted from your last period" in home
    assert f"Estimated due date: <strong>{long_date(ago(30) + timedelta(days=280))}</strong>" in home
    assert "When to get help straight away" in home and "pain in the tip of your shoulder" in home
    assert "Estimates for your next days" not in home and "of your cycle" not in home
    assert "F?" not in journal.page("/journal/calendar")


def test_insemination_dating_and_an_hcg_series_with_a_slow_rise(journal) -> None:
    journal.period(ago(30))
    journal.insemination(ago(16))
    journal.test(ago(5), kind="blood", hcg_miu="40")
    journal.test(ago(3), kind="blood", hcg_miu="90")
    home = journal.page("/journal/")
    assert "counted from your insemination" in home
    assert f"Estimated due date: <strong>{long_date(ago(16) + timedelta(days=266))}</strong>" in home
    assert "in the usual range" in home and "slower than the usual range." not in home
    journal.test(ago(1), kind="blood", hcg_miu="120")  # +33% in 48 hours
    home = journal.page("/journal/")
    assert "Your latest hCG rise is slower than the usual range." in home
    assert "slower than the slowest usual rise" in home


def test_a_recorded_pregnancy_then_a_loss_returns_to_cycle_mode(journal) -> None:
    journal.period(ago(40))
    record_outcome(journal, ago(40), "pregnancy")
    home = journal.page("/journal/")
    assert "5 weeks and 5 days</span> pregnant" in home
    assert "record it</a> whenever you are ready" in home
    record_outcome(journal, ago(40), "loss")
    home = journal.page("/journal/")
    assert "pregnant" not in home and "Estimates for your next days" in home


def test_a_positive_test_inside_a_trigger_window_is_not_yet_pregnancy_mode(journal) -> None:
    # A medicated cycle without a temperature shift: Pregnyl 10,000 IU 15 days ago at 08:00.
    start = ago(28)
    journal.period(start, days=3)
    for offset in range(4, 12):
        journal.log_day(start + timedelta(days=offset), temperature="36.40")
    shot = ago(15)
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "name": "Pregnyl", "dose": "10000",
                 "dose_unit": "iu", "route": "injection", "start_date": shot.isoformat(), "time": "08:00"})
    early = journal.test(shot + timedelta(days=7), result="positive")  # inside the 14-day window
    home = journal.page("/journal/")
    assert "pregnant" not in home  # it may still be the trigger: the countdown instead
    assert "about 36 hours after your trigger shot (your temperatures show no shift yet)" in home
    assert "going by your temperatures" not in home
    assert "may still be the trigger, not a pregnancy" in journal.page(f"/journal/tests/{early}")
    journal.test(ago(0), result="positive")  # 15 days after: outside the window
    home = journal.page("/journal/")
    ovulation = shot + timedelta(days=1)  # 08:00 + 36 hours: 20:00 the next day
    assert "counted from your likely ovulation" in home
    assert f"Estimated due date: <strong>{long_date(ovulation + timedelta(days=266))}</strong>" in home
    assert "about 36 hours after your trigger shot" in home and "from your temperatures" not in home
    assert "F?" not in journal.page("/journal/calendar")


def test_the_feed_in_pregnancy_mode_has_no_events_and_stays_valid(journal) -> None:
    journal.period(ago(30))
    before = feed_text(journal)
    kinds = [kind for kind, _ in parse_calendar(before)]
    assert "VEVENT" in kinds  # one cycle so far: rough estimates, never an empty feed
    assert "Fertile window" in before
    journal.test(ago(1), result="positive")
    during = feed_text(journal)
    assert [kind for kind, _ in parse_calendar(during)] == ["VJOURNAL"]
    assert "Fertile window" not in during and "Period expected" not in during
    assert "pregnan" not in during.lower()  # the empty feed does not say why


def test_a_feed_with_nothing_logged_is_valid_icalendar(journal) -> None:
    text = feed_text(journal)
    assert [kind for kind, _ in parse_calendar(text)] == ["VJOURNAL"]


# --------------------------------------------------------------------------- NICE


def test_six_inseminated_cycles_without_a_pregnancy_bring_the_note(journal) -> None:
    starts = [ago(28 * k + 10) for k in range(6, -1, -1)]  # six completed cycles and a current one
    for start in starts:
        journal.period(start)
    for start in starts[:5]:
        journal.insemination(start + timedelta(days=13))
    assert "A fertility check-up" not in journal.page("/journal/")
    journal.insemination(starts[5] + timedelta(days=13))
    home = journal.page("/journal/")
    assert "You have had 6 cycles with donor insemination without a pregnancy." in home
    assert "/articles/when-to-see-a-fertility-specialist" in home
    # a pregnancy (here a loss) in the second cycle: the count starts again after it
    record_outcome(journal, starts[1], "loss")
    assert "A fertility check-up" not in journal.page("/journal/")
