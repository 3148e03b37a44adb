"""Journals for the chart's browser tests and screenshots: the demo journal, and a long one
(a finished 40-day cycle, then a few days of the next)."""

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import DemoPlan, _cycle_days, demo_plan, write_plan

PASSWORD = "a calm green seedling"
LONG_CYCLE = 40
CURRENT_DAYS = 6


def long_cycle_plan(until: date) -> DemoPlan:
    """A 40-day cycle (likely ovulation on day 26) ending CURRENT_DAYS days before ``until``."""
    rng = random.Random(40)
    start = until - timedelta(days=LONG_CYCLE + CURRENT_DAYS - 1)
    following = start + timedelta(days=LONG_CYCLE)
    days = _cycle_days(start, LONG_CYCLE, 26, rng, number=1, current=False)
    days += _cycle_days(following, CURRENT_DAYS, 14, rng, number=2, current=True)
    donor = {"kind": "bank", "code": "4471", "bank": "Example Cryobank"}  # vials live in the ledger
    return DemoPlan(days=days, donor=donor, cycle_starts=[start, following])


def register(page, live_server, plan: DemoPlan) -> str:
    """A new person (through the real form) whose journal holds ``plan``; stays signed in."""
    email = f"chart-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/accounts/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/journal/")
    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        write_plan(user_id, plan)
        db.session.commit()
    return email


def register_demo(page, live_server) -> str:
    return register(page, live_server, demo_plan(today()))


def register_long(page, live_server) -> str:
    return register(page, live_server, long_cycle_plan(today()))
