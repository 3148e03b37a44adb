"""The journal navigation marks the section each page belongs to: today's own day under
"Today" (where the morning log and "Today's entry" lead), other days under "Calendar", the
data page, import and the clinic report under "Your data", never "Today" by default."""

from __future__ import annotations

import re

from tests.journal_support import ago, journal  # noqa: F401
from webapp.clock import today


def current_section(html: str) -> list[str]:
    nav = re.search(r'<nav class="journal-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


def test_today_s_day_is_under_today_other_days_under_the_calendar(journal) -> None:
    journal.set(time_zone="UTC")
    assert current_section(journal.page(f"/journal/days/new?date={today().isoformat()}")) == ["Today"]
    journal.log_day(today(), temperature="36.50")
    journal.log_day(ago(3), temperature="36.40")
    today_id, earlier_id = journal.day_id(today()), journal.day_id(ago(3))
    assert current_section(journal.page(f"/journal/days/{today_id}")) == ["Today"]
    assert current_section(journal.page(f"/journal/days/{today_id}/edit")) == ["Today"]
    assert current_section(journal.page(f"/journal/days/{earlier_id}")) == ["Calendar"]
    assert current_section(journal.page(f"/journal/days/{earlier_id}/edit")) == ["Calendar"]
    assert current_section(journal.page(f"/journal/days/new?date={ago(5).isoformat()}")) == ["Calendar"]
    assert current_section(journal.page("/journal/calendar")) == ["Calendar"]
    assert current_section(journal.page("/journal/")) == ["Today"]


def test_the_data_pages_have_a_section_of_their_own(journal) -> None:
    for path in ("/journal/import", "/journal/report", "/journal/data/delete"):
        assert current_section(journal.page(path)) == ["Your data"], path
    assert current_section(journal.page("/journal/stats")) == ["Statistics"]
