"""Helpers for the journal tests: a signed-in person who logs entries through the real forms.

Import the fixtures into a test module with
``from tests.journal_support import journal, other_journal  # noqa: F401``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.models import Day, Donor, Insemination, InseminationNote, PregnancyTest

PASSWORD = "a calm green seedling"


def ago(days: int) -> date:
    return today() - timedelta(days=days)


class Journal:
    """One person's journal, driven through the test client like a browser would."""

    def __init__(self, app, client, email: str):
        self.app = app
        self.client = client
        self.email = email

    # -- account --------------------------------------------------------------------------

    def register(self) -> "Journal":
        response = self.client.post("/accounts/register", data={"email": self.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return self

    @property
    def user_id(self) -> int:
        with self.app.app_context():
            return db.session.scalar(select(User.id).where(User.email == self.email))

    def set(self, **preferences) -> None:
        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.email == self.email))
            for key, value in preferences.items():
                setattr(user, key, value)
            db.session.commit()

    # -- entries --------------------------------------------------------------------------

    def post(self, url: str, data: dict, expect: int = 302):
        response = self.client.post(url, data=data)
        assert response.status_code == expect, _errors(response)
        return response

    def log_day(self, when: date, expect: int = 302, **fields):
        data = {"date": when.isoformat(), "temperature_unit": fields.pop("temperature_unit", "C")}
        data.update({k: v for k, v in fields.items() if v is not None})
        return self.post("/journal/days/new", data, expect)

    def day_id(self, when: date) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Day.id).where(Day.user_id == self.user_id, Day.date == when))

    def period(self, first: date, days: int = 4) -> int:
        """Log a period of ``days`` days; returns the id of its first day."""
        flows = ["heavy", "medium", "light", "spotting", "spotting", "spotting", "spotting"]
        for offset in range(days):
            self.log_day(first + timedelta(days=offset), bleeding=flows[min(offset, len(flows) - 1)])
        return self.day_id(first)

    def donor(self, code="DK-4471", kind="bank", bank="Nordic Cryobank", expect=302, **fields) -> int | None:
        data = {"kind": kind, "code": code, "bank": bank}
        data.update({k: str(v) for k, v in fields.items() if v is not None})
        self.post("/journal/donors/new", data, expect)
        with self.app.app_context():
            # The code is encrypted at rest: SQL cannot compare it, Python does.
            donors = db.session.scalars(select(Donor).where(Donor.user_id == self.user_id))
            return next((donor.id for donor in donors if donor.code == code), None)

    def insemination(self, when: date, expect: int = 302, **fields):
        data = {"date": when.isoformat(), "method": "ici", "donor_id": "0", "vials_used": "0"}
        data.update({k: str(v) for k, v in fields.items() if v is not None})
        response = self.post("/journal/inseminations/new", data, expect)
        if expect != 302:
            return response
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def note(self, insemination_id: int, noted_at: str, expect: int = 302, **fields):
        data = {"noted_at": noted_at}
        data.update({k: ("y" if v is True else str(v)) for k, v in fields.items() if v not in (None, False)})
        response = self.post(f"/journal/inseminations/{insemination_id}/notes/new", data, expect)
        if expect != 302:
            return response
        return int(response.headers["Location"].rsplit("#note-", 1)[1])

    def test(self, when: date, expect: int = 302, **fields):
        data = {"date": when.isoformat(), "kind": "home"}
        data.update({k: str(v) for k, v in fields.items() if v is not None})
        response = self.post("/journal/tests/new", data, expect)
        if expect != 302:
            return response
        return int(response.headers["Location"].rsplit("/", 1)[1])

    def page(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response.get_data(as_text=True)

    def counts(self) -> dict[str, int]:
        with self.app.app_context():
            uid = self.user_id
            return {
                model.__tablename__: len(db.session.scalars(select(model.id).where(model.user_id == uid)).all())
                for model in (Day, Donor, Insemination, InseminationNote, PregnancyTest)
            }


def _errors(response) -> str:
    text = response.get_data(as_text=True)
    found = re.findall(r'class="field-error"[^>]*>([^<]*)<', text)
    summary = re.findall(r'<div class="error-summary".*?</div>', text, re.S)
    return f"status {response.status_code}; field errors: {found}; summary: {summary[:1]}"


def is_checked(html: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox ``name`` with ``value`` is checked in the page."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no input {name}={value}")


def article_links(html: str) -> list[str]:
    """The slugs of the articles in the rails beside entries, in order."""
    rails = re.findall(r'<aside class="context-rail".*?</aside>', html, re.S)
    return [slug for rail in rails for slug in re.findall(r'href="/articles/([a-z0-9-]+)"', rail)]


@pytest.fixture
def journal(app, client):
    return Journal(app, client, "person@example.org").register()


@pytest.fixture
def other_journal(app):
    return Journal(app, app.test_client(), "someone.else@example.org").register()


def demo_journal(app, email: str = "person@example.org"):
    """A registered person with the demo journal (and one intercourse entry, which the donor-sperm
    demo lacks, so its pages have an id): (Journal, the demo plan)."""
    from webapp.journal.demo import demo_plan, write_plan
    from webapp.journal.models import Intercourse

    person = Journal(app, app.test_client(), email).register()
    plan = demo_plan(today())
    with app.app_context():
        write_plan(person.user_id, plan)
        db.session.add(Intercourse(user_id=person.user_id, date=plan.cycle_starts[-1], sperm="with_sperm"))
        db.session.commit()
    return person, plan
