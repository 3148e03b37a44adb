"""`flask --app webapp demo`: a demo account with a made-up journal, recreated on each run,
whose pages say it is demo data."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import DEMO_EMAIL, demo_plan
from webapp.journal.history import History
from webapp.journal.models import (
    CycleOutcome, Day, Donor, Insemination, InseminationNote, Intercourse, Medicine, PregnancyTest, ProgesteroneTest, VialEntry,
)
from webapp.journal.queries import cycle_spans


def run_demo(runner) -> str:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_EMAIL in result.output
    match = re.search(r"Password: (\S+)", result.output)
    assert match
    return match.group(1)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Day, Donor, Insemination, InseminationNote, PregnancyTest, CycleOutcome,
                          VialEntry, Medicine, ProgesteroneTest, Intercourse)
        }


def test_demo_creates_an_account_with_a_whole_journal(app, runner, client) -> None:
    password = run_demo(runner)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
        assert user.is_demo
        spans = cycle_spans(user.id)
        assert [s.length for s in spans] == [29, 27, 30, None]
        readings = History.load(user.id, user.secondary_symptom, spans).readings()
        assert [r.ovulation_day for r in readings] == [15, 13, 16, 14]
    found = counts(app)
    assert found["insemination"] == 4 and found["insemination_note"] == 8
    # two negative tests last cycle; an early faint one (the trigger), a positive one and three
    # blood hCG values in this one
    assert found["pregnancy_test"] == 7 and found["cycle_outcome"] == 1 and found["donor"] == 1
    assert found["donor_vial_entry"] == 3 and found["medicine"] == 4 and found["progesterone_test"] == 2
    assert found["intercourse"] == 2
    assert found["journal_day"] == 29 + 27 + 30 + 35

    response = client.post("/accounts/login", data={"email": DEMO_EMAIL, "password": password})
    assert response.status_code == 302
    for url in ("/journal/", "/journal/stats", "/journal/calendar", "/journal/cycles/", "/accounts/settings"):
        html = client.get(url).get_data(as_text=True)
        assert "This is demo data." in html, url
    home = client.get("/journal/").get_data(as_text=True)
    # pregnancy mode: ovulation on day 14, 21 days ago, dates the pregnancy at 5 weeks
    assert "5 weeks</span> pregnant, counted from your likely ovulation" in home
    assert "Your hCG values" in home and "in the usual range" in home
    assert "Estimates for your next days" not in home and "days past ovulation;" not in home
    assert "2 vials</span> left from donor" in home
    # The medicated cycle: the trigger's warning beside the early test, progesterone on the chart.
    tests = client.get("/journal/tests/").get_data(as_text=True)
    assert tests.count("may still be the trigger, not a pregnancy") == 1
    cycle = client.get("/journal/cycles/current", follow_redirects=True).get_data(as_text=True)
    assert "You took progesterone from day 16" in cycle and "A positive PdG test on day 20" in cycle
    assert "hCG" in cycle and "Let" in cycle
    calendar = client.get(f"/journal/calendar?month={today().strftime('%Y-%m')}").get_data(as_text=True)
    assert "Folic acid, day" in calendar and "Vaginal progesterone, day" in calendar


def test_running_it_again_replaces_the_demo_account(app, runner, client) -> None:
    first = run_demo(runner)
    before = counts(app)
    second = run_demo(runner)
    assert first != second
    assert counts(app) == before  # the old journal went with the old account
    assert client.post("/accounts/login", data={"email": DEMO_EMAIL, "password": first}).status_code == 200
    assert client.post("/accounts/login", data={"email": DEMO_EMAIL, "password": second}).status_code == 302


def test_other_accounts_never_see_the_banner_or_lose_data(app, runner, client, auth) -> None:
    auth.register()
    client.post("/journal/days/new", data={"date": today().isoformat(), "temperature_unit": "C", "temperature": "36.5"})
    run_demo(runner)
    run_demo(runner)
    html = client.get("/journal/").get_data(as_text=True)
    assert "This is demo data." not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        mine = db.session.scalar(select(User.id).where(User.email == "person@example.org"))
        assert db.session.scalar(select(func.count()).select_from(Day).where(Day.user_id == mine)) == 1


def test_the_plan_uses_the_dates_it_is_given() -> None:
    plan = demo_plan(today())
    assert max(d["date"] for d in plan.days) == today()
    assert plan.cycle_starts == sorted(plan.cycle_starts)


def test_the_pregnancy_plan_is_the_day_21_plan_carried_on_to_21_days_past_ovulation() -> None:
    from webapp.journal.demo import demo_pregnancy_plan

    when = today()
    plan = demo_pregnancy_plan(when)
    assert max(d["date"] for d in plan.days) == when
    ovulation = plan.cycle_starts[-1] + timedelta(days=13)
    assert (when - ovulation).days == 21
    blood = [t for t in plan.tests if t["kind"] == "blood"]
    assert [(t["date"] - ovulation).days for t in blood] == [14, 16, 18]
    assert plan == demo_pregnancy_plan(when)
