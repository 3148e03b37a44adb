"""Only the owner ever sees an entry: every journal route, walked with someone else's ids, is a
404 (never a 403), and nothing of theirs shows up or changes."""

import pytest
from sqlalchemy import select

from tests.journal_support import Journal, ago
from tests.test_journal_data import pdf_text
from webapp.extensions import db
from webapp.journal.models import JOURNAL_MODELS, CycleOutcome, VialEntry

ID_ARGUMENTS = {
    "day_id", "donor_id", "insemination_id", "note_id", "test_id", "outcome_id",
    "vial_entry_id", "intercourse_id", "medicine_id", "progesterone_test_id",
}
PREFIXES = {
    "day_id": "days", "donor_id": "donors", "insemination_id": "inseminations", "note_id": "notes",
    "test_id": "tests", "outcome_id": "outcomes", "vial_entry_id": "vials", "intercourse_id": "intercourse",
    "medicine_id": "medicines", "progesterone_test_id": "progesterone",
}


def fill(journal: Journal) -> dict[str, int]:
    """One of everything; returns the ids by route argument name."""
    start_id = journal.period(ago(40), days=3)
    journal.period(ago(12), days=3)
    journal.log_day(ago(5), temperature="36.6", note="private words")
    donor = journal.donor(vials_in_storage=4)
    insemination = journal.insemination(ago(6), time="20:00", sperm="frozen", donor_id=donor, vials_used=1)
    note = journal.note(insemination, f"{ago(6).isoformat()}T21:00", leakage="a_little", note="private note")
    test = journal.test(ago(1), result="negative")
    journal.post(f"/journal/cycles/{start_id}/outcome", {"outcome": "not_pregnant"})
    journal.post(f"/journal/donors/{donor}/vials/new", {"date": ago(7).isoformat(), "kind": "shipment",
                 "vials": "2", "stored_at": "Nordic"})
    intercourse = journal.post("/journal/intercourse/new", {"date": ago(6).isoformat(), "note": "private words"})
    medicine = journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "name": "Ovitrelle",
                            "start_date": ago(8).isoformat(), "note": "private note"})
    progesterone = journal.post("/journal/progesterone/new", {"date": ago(3).isoformat(), "kind": "serum",
                                "value": "36.6", "unit": "nmol_l"})
    with journal.app.app_context():
        outcome = db.session.scalar(select(CycleOutcome.id).where(CycleOutcome.user_id == journal.user_id))
        vial_entry = db.session.scalar(select(VialEntry.id).where(VialEntry.user_id == journal.user_id))
    return {
        "day_id": start_id, "donor_id": donor, "insemination_id": insemination,
        "note_id": note, "test_id": test, "outcome_id": outcome, "vial_entry_id": vial_entry,
        "intercourse_id": _id(intercourse), "medicine_id": _id(medicine), "progesterone_test_id": _id(progesterone),
    }


def _id(response) -> int:
    return int(response.headers["Location"].rsplit("/", 1)[1])


def snapshot(app) -> list:
    with app.app_context():
        rows = []
        for model in JOURNAL_MODELS:
            for row in db.session.scalars(select(model).order_by(model.id)):
                rows.append({prop.key: getattr(row, prop.key) for prop in model.__mapper__.column_attrs})
        return rows


@pytest.fixture
def two_people(app):
    owner = Journal(app, app.test_client(), "owner@example.org").register()
    intruder = Journal(app, app.test_client(), "intruder@example.org").register()
    ids = fill(owner)
    intruder.log_day(ago(2), bleeding="light")  # the intruder has a journal of their own
    return owner, intruder, ids


def journal_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/journal")]


def test_every_route_with_an_id_is_a_404_for_someone_else(app, two_people):
    owner, intruder, ids = two_people
    before = snapshot(app)
    walked = 0
    for rule in journal_rules(app):
        if not rule.arguments:
            continue
        assert rule.arguments <= ID_ARGUMENTS, f"{rule.rule}: add its argument to the walk"
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = intruder.client.open(url, method=method, data={
                "date": ago(1).isoformat(), "method": "ici", "kind": "home", "result": "positive",
                "outcome": "loss", "noted_at": f"{ago(1).isoformat()}T10:00", "leakage": "a_lot",
                "code": "X", "bank": "Y", "temperature": "36.5", "temperature_unit": "C",
            })
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            assert "We could not find that page" in response.get_data(as_text=True)
            walked += 1
        # ... and the owner reaches every one of them.
        assert owner.client.get(url).status_code == 200, url
    assert walked >= 50
    assert snapshot(app) == before


def test_ids_in_query_arguments_are_checked_too(two_people):
    owner, intruder, ids = two_people
    for url in ("/journal/inseminations/new", "/journal/tests/new"):
        assert intruder.client.get(f"{url}?day={ids['day_id']}").status_code == 404
        assert owner.client.get(f"{url}?day={ids['day_id']}").status_code == 200


def test_pages_without_ids_show_only_your_own_entries(app, two_people):
    owner, intruder, ids = two_people
    month = ago(5).strftime("%Y-%m")
    for rule in journal_rules(app):
        if rule.arguments or "GET" not in rule.methods:
            continue
        url = rule.rule + (f"?month={month}" if rule.endpoint == "journal.calendar" else "")
        response = intruder.client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        # A PDF (the clinic report) is read as the text it draws.
        page = pdf_text(response) if response.mimetype == "application/pdf" else response.get_data(as_text=True)
        # The owner's rows were created first, so no id of theirs is also one of the intruder's.
        for name, value in ids.items():
            prefix = PREFIXES[name]
            assert f'/journal/{prefix}/{value}"' not in page, (url, name)
        for secret in ("private words", "private note", "DK-4471", "36.60", "Nordic"):
            assert secret not in page, (url, secret)


def test_the_intruders_calendar_and_cycles_count_only_their_days(two_people):
    owner, intruder, ids = two_people
    assert "Cycle 2" in owner.page("/journal/cycles/")
    page = intruder.page("/journal/cycles/")
    assert "Cycle 1" in page and "Cycle 2" not in page


def test_deleting_a_person_deletes_their_journal(app, two_people):
    owner, intruder, ids = two_people
    from webapp.accounts.models import User

    with app.app_context():
        db.session.delete(db.session.get(User, owner.user_id))
        db.session.commit()
        for model in JOURNAL_MODELS:
            owners = set(db.session.scalars(select(model.user_id)))
            assert owner.user_id not in owners, model.__tablename__
        assert intruder.counts()["journal_day"] == 1


def test_every_journal_table_carries_an_indexed_owner():
    for model in JOURNAL_MODELS:
        column = model.__table__.c.user_id
        (foreign_key,) = column.foreign_keys
        assert foreign_key.target_fullname == "user.id"
        assert foreign_key.ondelete == "CASCADE"
        assert column.index or column.unique, model.__tablename__
