"""The statistics page: cycle lengths, luteal phases, ovulation days, inseminations per cycle
and per donor, vials, outcomes, the cycle-lengths chart; only the signed-in person's data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta


from tests.journal_support import journal, other_journal  # noqa: F401
from webapp.clock import today
from webapp.extensions import db
from webapp.journal.demo import demo_plan, write_plan


def seed(j) -> None:
    with j.app.app_context():
        write_plan(j.user_id, demo_plan(today()))
        db.session.commit()


def facts(html: str) -> dict[str, str]:
    """The <dt>/<dd> pairs of the page, as plain text."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, re.S)
    return {re.sub(r"<[^>]+>", "", k).strip(): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", v)).strip() for k, v in pairs}


def test_statistics_of_the_demo_cycles(journal) -> None:
    seed(journal)
    html = journal.page("/journal/stats")
    found = facts(html)
    assert found["Completed cycles"] == "3"
    assert found["Average"] == "28.7 days"
    assert found["Shortest"] == "27 days"
    assert found["Longest"] == "30 days"
    assert found["Spread"] == "± 1.5 days (standard deviation)"
    assert found["Luteal phase"] == "14, 14, 14 days (average 14.0)"
    assert found["Likely ovulation"] == "on cycle day 15, 13, 16 (average day 14.7)"
    assert found["In total"] == "4"
    assert found["Cycles with one"] == "2"
    assert found["Per cycle"].startswith("2.0 on average")
    assert found["Vials used"] == "4"
    donor_table = re.search(r'<caption id="donor-caption">By donor</caption>.*?</table>', html, re.S).group(0)
    assert "4471 (Example Cryobank)</th><td>4</td><td>2</td><td>4</td>" in donor_table
    # Vials left and money, from the ledger: 6 bought, 4 used; 5,400.00 for the vials (before
    # the first cycle), 290.00 shipping and 120.00 storage dated in cycle 2.
    assert re.search(r"<td>2</td>\s*<td>5810\.00</td></tr>", donor_table)
    assert found["Vials, shipping and storage"] == "5810.00, from your vial ledger (5400.00 of it before your first cycle)"
    assert found["In all"] == "5810.00"
    assert found["Average per cycle"].startswith("410.00 on average, in the 1 cycle with a cost")
    assert "<strong>1 cycle</strong>: This cycle did not lead to a pregnancy" in html
    # the per-cycle table, newest first, each cycle linking to its chart
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', re.search(r'<tbody>(.*?)</tbody>', html, re.S).group(1), re.S)
    assert len(rows) == 4
    assert "running" in rows[0] and "day 14" in rows[0]
    assert "30 days" in rows[1] and "day 16" in rows[1] and "14 days" in rows[1]
    assert "<td>410.00</td>" in rows[2] and "<td>2</td>" in rows[1] and "410.00" not in rows[1]
    assert all("/chart" in row for row in rows)
    # the small chart of cycle lengths
    svg = ET.fromstring(re.search(r'<svg[^>]*class="lengths-chart".*?</svg>', html, re.S).group(0))
    assert svg.get("role") == "img"
    assert "cycle 1: 29 days, cycle 2: 27 days, cycle 3: 30 days. Average 28.7 days." in svg.find(
        "{http://www.w3.org/2000/svg}desc").text
    assert "Estimates for your next days" in html


def test_statistics_only_count_your_own_data(journal, other_journal) -> None:
    seed(other_journal)
    html = journal.page("/journal/stats")
    assert "Statistics start with your first cycle" in html
    assert "4471" not in html and "lengths-chart" not in html
    journal.period(today() - timedelta(days=5))
    html = journal.page("/journal/stats")
    assert "Your first cycle is still running" in html
    assert "No inseminations yet." in html
    assert "4471" not in html


def test_inseminations_without_a_donor_and_before_the_first_cycle(journal) -> None:
    journal.insemination(today() - timedelta(days=40), vials_used=0)
    journal.period(today() - timedelta(days=30))
    journal.period(today() - timedelta(days=2), days=3)
    journal.insemination(today() - timedelta(days=16))
    found = facts(journal.page("/journal/stats"))
    assert found["In total"] == "2 (1 before your first cycle)"
    assert found["Completed cycles"] == "1"
    assert found["Likely ovulation"] == "not detected yet"
    assert "No donor recorded" in journal.page("/journal/stats")


def test_money_per_cycle_and_in_all_from_the_ledger_and_inseminations(journal) -> None:
    journal.period(today() - timedelta(days=30))
    journal.period(today() - timedelta(days=2), days=3)
    donor = journal.donor(code="K-1", kind="known", bank="", vials_bought="3")
    journal.donor(code="B-9", vials_bought="2")
    journal.post(f"/journal/donors/{donor}/vials/new", {"date": (today() - timedelta(days=20)).isoformat(),
                 "kind": "shipment", "cost": "150.50"})
    journal.insemination(today() - timedelta(days=16), donor_id=donor, vials_used=2, cost="80")
    found = facts(journal.page("/journal/stats"))
    assert found["Vials, shipping and storage"] == "150.50, from your vial ledger"
    assert found["Inseminations’ own costs"] == "80.00"
    assert found["In all"] == "230.50"
    html = journal.page("/journal/stats")
    donor_table = re.search(r'<caption id="donor-caption">By donor</caption>.*?</table>', html, re.S).group(0)
    assert re.search(r"K-1</th><td>1</td><td>1</td><td>2</td>\s*<td>1</td>\s*<td>150\.50</td>", donor_table)
    assert re.search(r"B-9 \(Nordic Cryobank\)</th><td>0</td><td>0</td><td>0</td>\s*<td>2</td>", donor_table)  # none used yet
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1), re.S)
    assert "<td>2</td>" in rows[1] and "<td>230.50</td>" in rows[1]


def test_statistics_need_a_session(app, client) -> None:
    response = client.get("/journal/stats")
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
