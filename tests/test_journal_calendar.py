"""The month calendar."""

import re
from datetime import date, timedelta

from tests.journal_support import ago, journal  # noqa: F401
from webapp.journal.forms import FUTURE_DAYS_ALLOWED
from webapp.clock import today


def cells(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<td[^>]*>.*?</td>", body, re.S)


def test_this_month_by_default_with_whole_weeks(journal):
    page = journal.page("/journal/calendar")
    first = today().replace(day=1)
    assert f"<h1>{first.strftime('%B %Y')}</h1>" in page
    assert len(cells(page)) % 7 == 0
    assert 'class=" today"' in page or " today" in page
    assert "→" not in page.split('class="month-nav"', 1)[1].split("</nav>", 1)[0]  # no future month


def test_weeks_start_on_the_persons_day(journal):
    page = journal.page("/journal/calendar?month=2026-03")
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page.split("<tbody>")[0].split("<tr>")[1][:70]
    first_cell = cells(page)[0]
    assert ">23<" in first_cell  # Monday 23 February 2026
    journal.set(week_starts_on=6)
    page = journal.page("/journal/calendar?month=2026-03")
    assert page.split("<thead>", 1)[1].index("Sunday") < page.split("<thead>", 1)[1].index("Monday")
    assert ">1<" in cells(page)[0]  # Sunday 1 March 2026


def test_entries_show_in_their_cells(journal):
    month = ago(0).replace(day=1)
    if today().day < 6:  # keep the entries inside this month
        month = (month - timedelta(days=1)).replace(day=1)
    base = month + timedelta(days=1)
    journal.period(base, days=2)
    journal.log_day(base + timedelta(days=3), temperature="36.55", mucus_feeling="slippery", mucus_appearance="egg_white", ovulation_test="peak")
    insemination = journal.insemination(base + timedelta(days=3))
    test_id = journal.test(base + timedelta(days=4), result="negative")
    page = journal.page(f"/journal/calendar?month={month.strftime('%Y-%m')}")
    assert "Heavy bleeding" in page
    assert "36.55" in page and ">S+<" in page and "LH+" in page
    assert f'href="/journal/inseminations/{insemination}"' in page
    assert f'href="/journal/tests/{test_id}"' in page
    assert f'href="/journal/days/{journal.day_id(base)}"' in page
    assert "day 1<" in page and "day 4<" in page
    assert f'href="/journal/days/new?date={(base + timedelta(days=2)).isoformat()}"' in page


def test_future_days_have_no_link(journal):
    page = journal.page("/journal/calendar")
    too_far = today() + timedelta(days=FUTURE_DAYS_ALLOWED + 1)
    assert f"date={too_far.isoformat()}" not in page


def test_a_bad_month_falls_back_to_this_month(journal):
    for month in ("2026-13", "soon", "0000-01", "2026-1"):
        assert today().strftime("%B %Y") in journal.page(f"/journal/calendar?month={month}")


def test_month_navigation(journal):
    page = journal.page("/journal/calendar?month=2025-01")
    assert 'href="/journal/calendar?month=2024-12"' in page
    assert 'href="/journal/calendar?month=2025-02"' in page
    assert date(2025, 1, 1).strftime("%B %Y") in page
