"""Importing drip, Clue and Flo exports (and Seedling's own file) through the data page: the
preview, merging both ways, the held file's life, the limits."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import app_context_for, teardown
from tests.journal_support import Journal
from webapp.accounts.models import AuditEvent
from webapp.clock import today
from webapp.extensions import db
from webapp.fertility.imports import parse_export
from webapp.journal import held_uploads, importing
from webapp.journal.models import Day, Intercourse, Medicine, PregnancyTest, ProgesteroneTest
from webapp.journal.queries import cycle_spans

FIXTURES = Path(__file__).parent / "fixtures" / "imports"

# The fixtures' README (and tests/test_imports_parsers.py): what each file must yield in the
# journal. Days that hold nothing the journal keeps as a day (only intercourse, or only a
# pregnancy test: each becomes an entry of its own) are not days.
EXPECTED = {
    "drip-basic.csv": {
        "bleeding_days": 18, "period_days": 18, "temperatures": 82, "excluded": 2, "mucus": 63,
        "cervix": 0, "lh_tests": 0, "pregnancy_tests": 0, "intercourse_days": 7,
        "starts": ("2025-03-03", "2025-03-31", "2025-04-30", "2025-05-27"),
    },
    "drip-excluded-and-notes.csv": {
        "bleeding_days": 19, "period_days": 17, "temperatures": 86, "excluded": 3, "mucus": 65,
        "cervix": 64, "lh_tests": 0, "pregnancy_tests": 0, "intercourse_days": 8,
        "starts": ("2025-01-13", "2025-02-13", "2025-03-14", "2025-04-15"),
    },
    "clue-measurements.json": {
        "bleeding_days": 21, "period_days": 18, "temperatures": 83, "excluded": 2, "mucus": 59,
        "cervix": 0, "lh_tests": 18, "pregnancy_tests": 3, "intercourse_days": 9,
        "starts": ("2025-02-10", "2025-03-11", "2025-04-07", "2025-05-07"),
    },
    "clue-backup.cluedata": {
        "bleeding_days": 26, "period_days": 24, "temperatures": 0, "excluded": 0, "mucus": 0,
        "cervix": 0, "lh_tests": 0, "pregnancy_tests": 0, "intercourse_days": 0,
        "starts": ("2021-05-03", "2021-05-31", "2021-06-29", "2021-07-26", "2021-08-25"),
    },
    "flo-export.json": {
        "bleeding_days": 22, "period_days": 22, "temperatures": 43, "excluded": 0, "mucus": 33,
        "cervix": 0, "lh_tests": 8, "pregnancy_tests": 0, "intercourse_days": 0,
        "starts": ("2025-04-07", "2025-05-05", "2025-06-03", "2025-07-01"),
    },
}
# Where each malformed sample is wrong, and what the message says is wrong there.
MALFORMED = {
    "drip-malformed-header.csv": ("line 1", "the columns are separated by semicolons"),
    "drip-malformed-dates.csv": ("line 2", "'31.5.2025' is not a date written YYYY-MM-DD"),
    "drip-malformed-truncated.csv": ("line 57", "it looks cut off"),
    "clue-malformed-dates.json": ("record 1 ([0].date)", "'10/02/2025' is not a date written YYYY-MM-DD"),
    "clue-malformed-truncated.json": ("line 1, column 17083", "the Clue file may be cut off"),
    "clue-backup-malformed-truncated.cluedata": ("line 21", "the Clue file may be cut off"),
    "flo-malformed-dates.json": ("cycle 1 period_start_date", "'01/07/2025' is not a date written the Flo way"),
}


def upload(journal: Journal, name: str, raw: bytes | None = None):
    data = raw if raw is not None else (FIXTURES / name).read_bytes()
    return journal.client.post(
        "/journal/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def apply(journal: Journal, resolution: str = "mine"):
    page = journal.page("/journal/import/preview")
    fingerprint = page.split('name="plan" type="hidden" value="')[1].split('"')[0]
    return journal.client.post("/journal/import/apply", data={"resolution": resolution, "plan": fingerprint})


def held_files(app) -> list[Path]:
    folder = Path(app.instance_path) / held_uploads.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def day_counts(app, user_id: int) -> dict:
    with app.app_context():
        days = list(db.session.scalars(select(Day).where(Day.user_id == user_id)))
        tests = db.session.scalar(select(func.count()).select_from(PregnancyTest).where(PregnancyTest.user_id == user_id))
        intercourse = db.session.scalar(select(func.count()).select_from(Intercourse).where(Intercourse.user_id == user_id))
        starts = tuple(span.start.isoformat() for span in cycle_spans(user_id))
        return {
            "days": len(days),
            "bleeding_days": sum(d.bleeding is not None for d in days),
            "period_days": sum(d.is_period for d in days),
            "temperatures": sum(d.temperature_centi is not None for d in days),
            "excluded": sum(d.temperature_disturbance is not None for d in days),
            "mucus": sum(d.mucus_feeling is not None or d.mucus_appearance is not None for d in days),
            "cervix": sum(d.has_cervix for d in days),
            "lh_tests": sum(d.ovulation_test is not None for d in days),
            "pregnancy_tests": tests,
            "intercourse_days": intercourse,
            "starts": starts,
        }


def journal_days(name: str) -> int:
    """Days of the file that hold something the journal keeps as a day."""
    result = parse_export(name, (FIXTURES / name).read_bytes(), today=today())
    return sum(importing._day_carries_something(importing._day_record(day)[0]) for day in result.days)


@pytest.fixture
def person(app, client):
    return Journal(app, client, "importer@example.org").register()


@pytest.mark.parametrize("name", EXPECTED)
def test_each_sample_imports_with_the_expected_counts_and_its_cycles(app, person, name):
    response = upload(person, name)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Before you import" in page
    expected = dict(EXPECTED[name])
    intercourse = expected["intercourse_days"]
    if intercourse:  # an entry of its own, added with the days; no longer "cannot be brought in"
        assert f"{intercourse} intercourse entries" in page
    assert "intercourse:" not in page.lower()
    assert day_counts(app, person.user_id)["days"] == 0  # nothing saved by the preview
    response = apply(person)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    counts = day_counts(app, person.user_id)
    assert counts.pop("days") == journal_days(name)
    assert {**counts, "starts": counts["starts"]} == {**expected, "starts": expected["starts"]}
    assert held_files(app) == []
    # The chart reads the imported cycles.
    first_day = person.day_id(date.fromisoformat(expected["starts"][0]))
    chart = person.page(f"/journal/cycles/{first_day}")
    assert "<svg" in chart and "Cycle 1" in chart


def test_flo_period_days_are_medium_and_the_preview_says_so(app, person):
    page = upload(person, "flo-export.json").get_data(as_text=True)
    assert "are imported as medium bleeding" in page


def test_what_has_no_field_is_kept_in_the_note_and_listed(app, person):
    page = upload(person, "drip-excluded-and-notes.csv").get_data(as_text=True)
    assert "Kept in the day’s note" in page
    apply(person)
    with app.app_context():
        notes = list(db.session.scalars(select(Day.note).where(Day.note.is_not(None))))
    assert any("Temperature left out:" in note or "Other symptoms:" in note for note in notes)


@pytest.mark.parametrize("name", MALFORMED)
def test_each_malformed_sample_is_refused_saying_what_and_where_and_changes_nothing(app, person, name):
    person.log_day(date(2025, 3, 3), bleeding="light", note="mine")
    person.post("/journal/intercourse/new", {"date": "2025-03-04", "sperm": "with_sperm"})
    before = day_counts(app, person.user_id)
    response = upload(person, name)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    where, what = MALFORMED[name]
    assert f"{where}: " in page or f"({where}" in page
    assert what in page.replace("&#39;", "'")
    assert "Before you import" not in page
    assert held_files(app) == []
    assert day_counts(app, person.user_id) == before
    with person.client.session_transaction() as session:
        assert held_uploads.SESSION_KEY not in session


def test_a_merge_keeps_mine_or_takes_theirs_and_nothing_before_the_button(app, person):
    # drip-basic.csv has 2025-05-30 as medium bleeding at 36.49 °C.
    when = date(2025, 5, 30)
    person.log_day(when, bleeding="light", note="mine")
    page = upload(person, "drip-basic.csv").get_data(as_text=True)
    assert "Where your journal and the file disagree (1)" in page
    assert "Light" in page and "Medium" in page and "36.49 °C" in page
    assert day_counts(app, person.user_id)["days"] == 1
    assert apply(person, "mine").status_code == 302
    with app.app_context():
        mine = db.session.scalar(select(Day).where(Day.user_id == person.user_id, Day.date == when))
        assert (mine.bleeding, mine.temperature_centi, mine.note) == ("light", None, "mine")
    added = day_counts(app, person.user_id)["days"]
    assert added == journal_days("drip-basic.csv")
    # Importing the same file again: only the one disagreement is left; now take theirs.
    page = upload(person, "drip-basic.csv").get_data(as_text=True)
    assert "Nothing new" in page and "disagree (1)" in page
    assert apply(person, "theirs").status_code == 302
    with app.app_context():
        theirs = db.session.scalar(select(Day).where(Day.user_id == person.user_id, Day.date == when))
        # The file's values replace mine for what the file records; my note stays.
        assert (theirs.bleeding, theirs.temperature_centi, theirs.note) == ("medium", 3649, "mine")
    assert day_counts(app, person.user_id)["days"] == added
    with app.app_context():
        kinds = list(db.session.scalars(select(AuditEvent.kind).where(AuditEvent.user_id == person.user_id)))
    assert kinds.count("import") == 2  # one per applied import, none for the previews


def test_an_apply_after_the_journal_changed_shows_the_preview_again(app, person):
    person.log_day(date(2025, 5, 1), bleeding="light")
    upload(person, "drip-basic.csv")
    page = person.page("/journal/import/preview")
    fingerprint = page.split('name="plan" type="hidden" value="')[1].split('"')[0]
    person.log_day(date(2025, 5, 30), bleeding="light")
    response = person.client.post("/journal/import/apply", data={"resolution": "mine", "plan": fingerprint})
    assert response.status_code == 409
    assert "Your journal changed since you saw this preview" in response.get_data(as_text=True)
    assert day_counts(app, person.user_id)["days"] == 2


def test_a_cancelled_preview_leaves_no_trace(app, person):
    person.log_day(date(2025, 5, 30), bleeding="light")
    upload(person, "clue-measurements.json")
    assert len(held_files(app)) == 2  # the upload and its meta file
    folder = Path(app.instance_path) / held_uploads.FOLDER
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in held_files(app))
    response = person.client.post("/journal/import/cancel")
    assert response.status_code == 302
    assert held_files(app) == []
    assert day_counts(app, person.user_id)["days"] == 1
    # No token in the session, no import in the account's history.
    with person.client.session_transaction() as session:
        assert held_uploads.SESSION_KEY not in session
    with app.app_context():
        kinds = list(db.session.scalars(select(AuditEvent.kind).where(AuditEvent.user_id == person.user_id)))
    assert "import" not in kinds
    assert "There is no file waiting" in person.client.get("/journal/import/preview", follow_redirects=True).get_data(as_text=True)
    # Nothing is left to apply.
    assert person.client.post("/journal/import/apply", data={"resolution": "mine"}).status_code == 302
    assert day_counts(app, person.user_id)["days"] == 1


def test_the_token_lives_in_the_session_never_the_content(app, person):
    upload(person, "drip-basic.csv")
    cookie = person.client.get_cookie("session")
    assert cookie is not None
    # The session (signed, compressed, not encrypted) holds a token, never the file's rows:
    # decoded, it has no date of the file, and it stays far below the file's size.
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert "2025-05" not in repr(session) and len(cookie.value) < 1000


class Clock:
    def __init__(self, now):
        self.now = now

    def utcnow(self):
        return self.now


def test_a_held_file_is_deleted_after_an_hour(app, person, monkeypatch):
    from webapp.clock import utcnow

    clock = Clock(utcnow())
    monkeypatch.setattr(held_uploads, "clock", clock)
    person.log_day(date(2025, 5, 30), bleeding="light")
    upload(person, "drip-basic.csv")
    clock.now += timedelta(minutes=59)
    assert person.client.get("/journal/import/preview").status_code == 200
    assert len(held_files(app)) == 2
    clock.now += timedelta(minutes=1)
    # Anyone's import request purges it; the person is told to choose the file again.
    other = Journal(app, app.test_client(), "other@example.org").register()
    other.page("/journal/import")
    assert held_files(app) == []
    response = person.client.post("/journal/import/apply", data={"resolution": "theirs"})
    assert response.status_code == 302
    assert day_counts(app, person.user_id)["days"] == 1


def test_flask_init_purges_held_files_too(app, person, monkeypatch):
    from webapp.clock import utcnow

    clock = Clock(utcnow())
    monkeypatch.setattr(held_uploads, "clock", clock)
    upload(person, "drip-basic.csv")
    clock.now += timedelta(hours=2)
    with app.app_context():
        assert held_uploads.purge_stale() == 1
    assert held_files(app) == []


def test_someone_else_cannot_apply_a_held_file(app, person):
    upload(person, "drip-basic.csv")
    intruder = Journal(app, app.test_client(), "intruder@example.org").register()
    with person.client.session_transaction() as session:
        token = session[held_uploads.SESSION_KEY]
    with intruder.client.session_transaction() as session:
        session[held_uploads.SESSION_KEY] = token
    response = intruder.client.post("/journal/import/apply", data={"resolution": "mine"})
    assert response.status_code == 302
    assert day_counts(app, intruder.user_id)["days"] == 0
    assert day_counts(app, person.user_id)["days"] == 0


def test_seedling_file_into_a_journal_with_entries_goes_through_the_preview(app, person):
    person.log_day(date(2025, 5, 30), bleeding="light")
    exported = json.loads(person.client.get("/accounts/settings/export").get_data())
    other = Journal(app, app.test_client(), "second@example.org").register()
    other.log_day(date(2025, 6, 2), temperature="36.50")
    response = other.client.post(
        "/journal/import",
        data={"file": (io.BytesIO(json.dumps(exported).encode()), "seedling.json")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Before you import from Seedling" in page and "1 day" in page
    assert apply(other).status_code == 302
    assert day_counts(app, other.user_id)["days"] == 2


def intercourse_entries(app, user_id: int) -> list[tuple[str, str | None, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(Intercourse).where(Intercourse.user_id == user_id).order_by(Intercourse.date))
        return [(i.date.isoformat(), i.sperm, i.note) for i in rows]


def test_drip_intercourse_becomes_entries_with_or_without_sperm(app, person):
    page = upload(person, "drip-intercourse.csv").get_data(as_text=True)
    assert "7 intercourse entries" in page and "2 days" in page
    assert "Contraception marked both “none” and a method" in page  # listed, with the solo sex
    assert intercourse_entries(app, person.user_id) == []  # nothing before the button
    assert apply(person).status_code == 302
    assert intercourse_entries(app, person.user_id) == [
        ("2025-06-06", "protected", "after the party, it's fine"),
        ("2025-06-10", None, None),
        ("2025-06-12", "protected", "sponge"),
        ("2025-06-14", None, None),
        ("2025-06-16", "with_sperm", None),
        ("2025-06-18", "protected", None),
        ("2025-06-20", "protected", None),
    ]
    assert day_counts(app, person.user_id)["days"] == 2  # the two days with a temperature


def test_clue_intercourse_becomes_entries(app, person):
    upload(person, "clue-intercourse.json")
    assert apply(person).status_code == 302
    assert [(when, sperm) for when, sperm, _ in intercourse_entries(app, person.user_id)] == [
        ("2025-06-02", "protected"), ("2025-06-04", "with_sperm"), ("2025-06-06", None),
        ("2025-06-08", None), ("2025-06-14", "with_sperm"),
    ]


def test_an_intercourse_merge_keeps_mine_or_takes_theirs(app, person):
    # Mine: 2025-06-16 protected at 22:00 with a note; the file says with sperm, no time, no note.
    person.post("/journal/intercourse/new", {"date": "2025-06-16", "time": "22:00", "sperm": "protected", "note": "mine"})
    # Mine: 2025-06-20 protected, as the file says: already there.
    person.post("/journal/intercourse/new", {"date": "2025-06-20", "sperm": "protected"})
    page = upload(person, "drip-intercourse.csv").get_data(as_text=True)
    assert "Where your journal and the file disagree (1)" in page
    assert "Intercourse: with sperm or protected" in page and "Protected, or without sperm" in page
    assert "5 intercourse entries" in page and "1 of the file’s entries are already in your journal" in page
    assert apply(person, "mine").status_code == 302
    entries = intercourse_entries(app, person.user_id)
    assert len(entries) == 7 and ("2025-06-16", "protected", "mine") in entries
    # The same file again: nothing new, the one disagreement left; taking theirs changes only
    # what the file records (the sperm), never my time or note.
    page = upload(person, "drip-intercourse.csv").get_data(as_text=True)
    assert "Nothing new" in page and "disagree (1)" in page
    assert apply(person, "theirs").status_code == 302
    with app.app_context():
        mine = db.session.scalar(select(Intercourse).where(Intercourse.user_id == person.user_id, Intercourse.date == date(2025, 6, 16)))
        assert (mine.sperm, mine.time.isoformat(), mine.note) == ("with_sperm", "22:00:00", "mine")
    assert len(intercourse_entries(app, person.user_id)) == 7


def test_a_cancelled_intercourse_preview_adds_nothing(app, person):
    person.log_day(date(2025, 6, 1), bleeding="light")
    upload(person, "drip-intercourse.csv")
    person.client.post("/journal/import/cancel")
    assert intercourse_entries(app, person.user_id) == [] and held_files(app) == []


def test_seedling_file_merged_brings_its_trying_to_conceive_entries(app, person):
    when = today() - timedelta(days=20)
    person.post("/journal/intercourse/new", {"date": when.isoformat(), "sperm": "with_sperm", "note": "ours"})
    person.post("/journal/medicines/new", {"medicine": "letrozole", "dose": "2.5", "dose_unit": "mg",
                "start_date": when.isoformat(), "end_date": (when + timedelta(days=4)).isoformat()})
    person.post("/journal/progesterone/new", {"date": when.isoformat(), "kind": "pdg_strip", "result": "negative"})
    bank = person.donor()
    person.post(f"/journal/donors/{bank}/vials/new", {"date": when.isoformat(), "kind": "purchase", "vials": "2"})
    exported = json.dumps(json.loads(person.client.get("/accounts/settings/export").get_data())).encode()
    other = Journal(app, app.test_client(), "ttc-merge@example.org").register()
    other.log_day(when, temperature="36.50")
    # Theirs already has the same medicine with another dose: a disagreement.
    other.post("/journal/medicines/new", {"medicine": "letrozole", "dose": "5", "dose_unit": "mg",
               "start_date": when.isoformat(), "end_date": (when + timedelta(days=4)).isoformat()})
    page = other.client.post(
        "/journal/import", data={"file": (io.BytesIO(exported), "seedling.json")}, content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "1 intercourse entry" in page and "1 progesterone test" in page
    assert "Medicine: dose" in page and "disagree (1)" in page
    assert "Vial ledger entries" in page  # listed, not silently left out
    assert apply(other, "theirs").status_code == 302
    assert intercourse_entries(app, other.user_id) == [(when.isoformat(), "with_sperm", "ours")]
    with app.app_context():
        doses = list(db.session.scalars(select(Medicine.dose).where(Medicine.user_id == other.user_id)))
        tests = db.session.scalar(select(func.count()).select_from(ProgesteroneTest).where(ProgesteroneTest.user_id == other.user_id))
    assert (doses, tests) == ([2.5], 1)


# --------------------------------------------------------------------------- limits


@pytest.fixture
def limited(tmp_path):
    """An app with some settings of its own (one per test)."""
    made = []

    def make(**config):
        made.append(app_context_for(tmp_path / "limited", **config))
        return made[-1]

    yield make
    for app in made:
        teardown(app)


def test_a_file_over_the_size_cap_is_refused_with_a_message(limited):
    app = limited(IMPORT_MAX_BYTES=2000)
    person = Journal(app, app.test_client(), "big@example.org").register()
    response = upload(person, "drip-basic.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than" in page and "Nothing was imported" in page
    assert held_files(app) == []
    # Far over the cap, the request itself is cut off and the same message shown.
    response = upload(person, "big.csv", b"x" * 200_000)
    assert response.status_code == 413 and "larger than" in response.get_data(as_text=True)


def test_a_file_over_the_time_budget_is_refused(limited):
    app = limited(IMPORT_TIME_BUDGET_SECONDS=0)
    person = Journal(app, app.test_client(), "slow@example.org").register()
    page = upload(person, "drip-basic.csv").get_data(as_text=True)
    assert "takes too long to read" in page
    assert held_files(app) == []


def test_imports_are_rate_limited_per_person_with_a_friendly_page(limited):
    app = limited(RATELIMIT_ENABLED=True, RATELIMIT_JOURNAL_IMPORT="2 per hour")
    person = Journal(app, app.test_client(), "busy@example.org").register()
    assert upload(person, "drip-basic.csv").status_code == 200
    assert upload(person, "drip-basic.csv").status_code == 200
    response = upload(person, "drip-basic.csv")
    assert response.status_code == 429
    assert "imports are paused for a while" in response.get_data(as_text=True)
    # Someone else is not held back by it.
    other = Journal(app, app.test_client(), "patient@example.org").register()
    assert upload(other, "drip-basic.csv").status_code == 200
