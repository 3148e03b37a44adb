"""The data page's other tools: deleting every entry, the CSV downloads, the clinic report."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from tests.journal_support import Journal, ago
from webapp.accounts.models import AuditEvent
from webapp.extensions import db
from webapp.journal import csv_export
from webapp.journal.models import JOURNAL_MODELS, JournalRevision


@pytest.fixture
def filled(app, client):
    person = Journal(app, client, "owner@example.org").register()
    start = person.period(ago(40), days=3)
    person.period(ago(12), days=3)
    person.log_day(ago(30), temperature="36.40", note='=HYPERLINK("http://x.example","a, b")\nsecond "line"')
    person.log_day(ago(29), temperature="36.45", mood="+calm")
    donor = person.donor(code="@DK-1", vials_in_storage=4)
    insemination = person.insemination(ago(28), time="20:00", sperm="frozen", donor_id=donor,
                                       vials_used=1, motile_count_millions="18", note="insemination words")
    person.note(insemination, f"{ago(28).isoformat()}T21:00", leakage="a_little", note="after words")
    person.test(ago(20), kind="blood", hcg_miu="50", time="08:00")
    person.test(ago(18), kind="blood", hcg_miu="100", time="08:00")
    person.test(ago(15), result="negative", note="test words")
    person.post(f"/journal/cycles/{start}/outcome", {"outcome": "chemical", "note": "outcome words"})
    return person


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


# --------------------------------------------------------------------------- delete all


def counts(app, user_id: int) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user_id)
            )
            for model in JOURNAL_MODELS
        }


def test_delete_all_needs_the_typed_words(app, filled):
    before = counts(app, filled.user_id)
    response = filled.client.post("/journal/data/delete", data={"confirmation": "delete"})
    assert response.status_code == 400
    assert "Please type “delete my journal” exactly" in response.get_data(as_text=True)
    assert counts(app, filled.user_id) == before


def test_delete_all_deletes_every_entry_and_nothing_else(app, filled):
    other = Journal(app, app.test_client(), "someone@example.org").register()
    other.log_day(ago(3), bleeding="light")
    with app.app_context():
        revision = db.session.get(JournalRevision, filled.user_id).revision
    assert filled.page("/journal/data/delete")
    response = filled.client.post("/journal/data/delete", data={"confirmation": "  Delete My  Journal "})
    assert response.status_code == 302
    left = counts(app, filled.user_id)
    assert {table: n for table, n in left.items() if n} == {}
    assert counts(app, other.user_id)["journal_day"] == 1
    with app.app_context():
        assert db.session.get(JournalRevision, filled.user_id).revision > revision
        kinds = set(db.session.scalars(select(AuditEvent.kind).where(AuditEvent.user_id == filled.user_id)))
        assert "journal_deleted" in kinds
    # The account stays: still signed in, an empty journal.
    assert "Cycle 1" not in filled.page("/journal/cycles/")
    assert filled.client.get("/accounts/settings").status_code == 200


# --------------------------------------------------------------------------- CSV


def test_days_csv_has_the_cycle_tables_columns_and_escapes_everything(filled):
    rows = rows_of(filled.client.get("/journal/export/days.csv"))
    assert tuple(rows[0]) == csv_export.DAY_COLUMNS
    by_date = {row[2]: row for row in rows[1:]}
    first = by_date[ago(40).isoformat()]
    assert first[:4] == ["1", "1", ago(40).isoformat(), "Heavy"]
    noted = by_date[ago(30).isoformat()]
    # Quotes, commas and line breaks come back whole; the formula is text.
    assert noted[-1] == "'" + '=HYPERLINK("http://x.example","a, b")\nsecond "line"'
    assert noted[4].startswith("36.40")
    assert by_date[ago(29).isoformat()][-2] == "'+calm"
    assert "Insemination ICI at home" in by_date[ago(28).isoformat()][8]
    assert "Blood test: 50 mIU/mL" in by_date[ago(20).isoformat()][8]


def test_inseminations_and_tests_csv(filled):
    rows = rows_of(filled.client.get("/journal/export/inseminations.csv"))
    assert tuple(rows[0]) == csv_export.INSEMINATION_COLUMNS
    (row,) = rows[1:]
    assert row[:6] == [ago(28).isoformat(), "20:00", "ICI at home", "Frozen", "'@DK-1 (Nordic Cryobank)", "1"]
    assert row[7] == "18"
    rows = rows_of(filled.client.get("/journal/export/tests.csv"))
    assert tuple(rows[0]) == csv_export.TEST_COLUMNS
    assert [row[6] for row in rows[1:]] == ["50", "100", ""]
    assert rows[-1][5] == "Negative"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_guarded(start):
    assert csv_export.safe_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_export.safe_cell("1" + start) == "1" + start


def test_the_settings_offer_the_csv_downloads(filled):
    page = filled.page("/accounts/settings")
    for name in ("days", "inseminations", "tests"):
        assert f"/journal/export/{name}.csv" in page
    assert "/journal/report" in page


# --------------------------------------------------------------------------- clinic report


def test_the_clinic_report_without_notes(filled):
    page = filled.page("/journal/report")
    assert "Cycles tracked" in page and "<dd>2 (1 complete)</dd>" in page
    assert "average 28.0 days, from 28 to 28" in page
    assert "Last period" in page
    assert page.count("<svg") == 2  # each cycle's chart, from the cycle page's renderer
    assert "@DK-1 (Nordic Cryobank)" in page and "Frozen" in page and "18 million" in page
    assert "hCG 50 mIU/mL" in page and "hCG 100 mIU/mL" in page
    assert "48 hours" in page  # 50 to 100 in two days
    assert "chemical pregnancy" in page
    for words in ("insemination words", "after words", "test words", "outcome words", "HYPERLINK"):
        assert words not in page


def test_the_clinic_report_with_notes_and_a_range(filled):
    page = filled.page(f"/journal/report?start={ago(45).isoformat()}&end={ago(13).isoformat()}&notes=y")
    for words in ("insemination words", "after words", "test words", "outcome words", "HYPERLINK"):
        assert words in page
    assert page.count("<svg") == 1  # the second cycle starts after the range
    page = filled.page(f"/journal/report?start={ago(5).isoformat()}&end={ago(10).isoformat()}")
    assert "The end of the range is before its start" in page


# --------------------------------------------------------------------------- the clinic report as a PDF


def pdf_text(response) -> str:
    """The text a PDF draws: every content stream, inflated, as Windows-1252 (the core fonts'
    WinAnsiEncoding), with the PDF string escapes undone."""
    import re
    import zlib

    body = response.get_data()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    streams = re.findall(rb"/Filter /FlateDecode[^>]*>>\s*stream\r?\n(.*?)\r?\nendstream", body, re.S)
    assert streams, "the PDF has no compressed content"
    text = b"\n".join(zlib.decompress(stream) for stream in streams).decode("cp1252", "replace")
    return re.sub(r"\\([()\\])", r"\1", text)


def pdf_of(person, query: str = ""):
    response = person.client.get(f"/journal/report.pdf{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response


def test_the_pdf_report_is_a_download_with_the_reports_contents(filled):
    response = pdf_of(filled)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename="seedling-cycle-report.pdf"'
    text = pdf_text(response)
    for words in ("Summary", "Cycles tracked", "2 (1 complete)", "average 28.0 days, from 28 to 28",
                  "Last period", "Cycle 1:", "Cycle 2:", "Reading the charts",
                  "Inseminations", "@DK-1 (Nordic Cryobank)", "Frozen", "18 million",
                  "Pregnancy tests", "hCG 50 mIU/mL", "hCG 100 mIU/mL", "48 hours", "chemical pregnancy",
                  "It is not a diagnosis."):
        assert words in text, words
    # Each cycle's chart, drawn: its row labels and temperature scale, twice.
    for words in ("(Cycle day) Tj", "(in °C) Tj", "(Bleeding) Tj", "(Intercourse) Tj", "(36.4) Tj"):
        assert text.count(words) == 2, words
    for words in ("insemination words", "after words", "test words", "outcome words", "HYPERLINK"):
        assert words not in text


def test_the_pdf_has_the_notes_only_when_ticked_and_keeps_the_range(filled):
    text = pdf_text(pdf_of(filled, f"?start={ago(45).isoformat()}&end={ago(13).isoformat()}&notes=y"))
    for words in ("insemination words", "after words", "test words", "outcome words",
                  '=HYPERLINK("http://x.example","a, b")'):
        assert words in text, words
    assert "Cycle 1:" in text and "Cycle 2:" not in text  # the second cycle starts after the range
    text = pdf_text(pdf_of(filled, f"?start={ago(45).isoformat()}&end={ago(13).isoformat()}"))
    assert "insemination words" not in text and "Notes" not in text


def test_the_pdf_prints_degrees_micro_and_dashes_and_says_when_a_character_cannot_be(app, filled):
    filled.log_day(ago(27), temperature="36.60", note="µ dose – fine 💛")
    text = pdf_text(pdf_of(filled, "?notes=y"))
    assert "°C" in text and "µ dose – fine ?" in text
    assert "cannot be printed in this PDF" in text
    assert "cannot be printed" not in pdf_text(pdf_of(filled))  # without notes, nothing is lost


def test_a_bad_pdf_range_gives_the_report_pages_message_and_no_file(filled):
    response = filled.client.get(f"/journal/report.pdf?start={ago(5).isoformat()}&end={ago(10).isoformat()}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "The end of the range is before its start" in response.get_data(as_text=True)
    response = filled.client.get("/journal/report.pdf?start=2025-13-40")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Not a valid date value" in response.get_data(as_text=True) or "date" in response.get_data(as_text=True)


def test_the_pdf_is_the_owners_only(app, filled):
    assert "@DK-1" in pdf_text(pdf_of(filled))
    other = Journal(app, app.test_client(), "not-the-owner@example.org").register()
    text = pdf_text(pdf_of(other))
    assert "@DK-1" not in text and "There are no cycles in this range" in text
    anonymous = app.test_client().get("/journal/report.pdf")
    assert anonymous.status_code in (302, 401) and anonymous.mimetype != "application/pdf"


def test_the_report_page_links_its_pdf_with_the_same_range(filled):
    page = filled.page(f"/journal/report?start={ago(45).isoformat()}&end={ago(13).isoformat()}&notes=y")
    assert f"/journal/report.pdf?start={ago(45).isoformat()}&amp;end={ago(13).isoformat()}&amp;notes=y" in page
    assert "/journal/report.pdf" in filled.page("/journal/report")


def test_the_pdf_chart_draws_the_readings_shift_and_fertile_phase():
    from datetime import date, timedelta

    from webapp.journal.report_pdf import _Document, draw_chart

    first = date(2026, 3, 1)
    days = [
        {"date": first + timedelta(days=i), "cycle_day": i + 1,
         "temperature_c": 36.3 + (0.4 if i >= 15 else 0), "temperature_excluded": i == 9,
         "bleeding": 2 if i < 3 else None, "intercourse": "with sperm" if i == 12 else None,
         "mucus_code": 4 if i == 13 else None, "ovulation_test": "negative" if i == 11 else None}
        for i in range(26)
    ]
    status = {
        "temperature_shift": {"coverline": 36.35, "first_high_date": (first + timedelta(days=15)).isoformat()},
        "peri_ovulatory": {"start": (first + timedelta(days=5)).isoformat(), "end": (first + timedelta(days=17)).isoformat()},
    }
    pdf = _Document()
    pdf.set_compression(False)
    pdf.add_page()
    draw_chart(pdf, days, status, "C")
    text = bytes(pdf.output()).decode("cp1252")
    for words in ("(Coverline 36.35 °C) Tj", "(Likely ovulation) Tj", "(1st higher) Tj",
                  "(Fertile phase) Tj", "(S+) Tj", "(-) Tj", "(26) Tj", "(Mar) Tj"):
        assert words in text, words
    # The coverline dashed, the ovulation line dotted: two dash patterns, then back to solid.
    import re

    assert re.findall(r"\[([^\]]*)\] [\d.]+ d", text) == ["4.535 2.835", "", "1.417 2.268", ""]


def test_the_pdf_asks_who_it_is_after_a_while_like_the_other_downloads(app, filled):
    import re
    from datetime import timedelta

    from sqlalchemy import update

    from webapp.accounts.models import UserSession
    from webapp.clock import utcnow

    with app.app_context():
        db.session.execute(update(UserSession).values(authenticated_at=utcnow() - timedelta(minutes=20)))
        db.session.commit()
    response = filled.client.get(f"/journal/report.pdf?start={ago(45).isoformat()}&notes=y")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    assert "/accounts/" in response.headers["Location"]
    # The report page's link is a plain link (no download attribute), so the question can be asked.
    page = filled.page("/journal/report")
    at = page.index('href="/journal/report.pdf')
    link = page[page.rindex("<a ", 0, at): page.index(">", at) + 1]
    assert "Download this report" not in link and not re.search(r"\sdownload[\s>=]", link), link
