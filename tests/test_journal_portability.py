"""Export and import: the JSON of "Download my data" restores a journal exactly."""

import copy
import html
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.journal_support import Journal, ago
from webapp.accounts.models import User
from webapp.clock import today
from webapp.extensions import db
from webapp.accounts.data import EXPORT_FORMAT, export_user_data
from webapp.journal import queries
from webapp.journal.models import Intercourse, Medicine, ProgesteroneTest, VialEntry


def rows(app, model, user_id: int) -> int:
    with app.app_context():
        return len(db.session.scalars(select(model.id).where(model.user_id == user_id)).all())


def test_a_file_from_before_the_ledger_keeps_its_vial_counts(app):
    newcomer = Journal(app, app.test_client(), "old-file@example.org").register()
    old = {"format": EXPORT_FORMAT, "version": 1, "journal": {
        "donors": [{"ref": 1, "kind": "bank", "code": "DK-1", "bank": "Nordic", "vials_bought": 6,
                    "vials_in_storage": 3, "created_at": "2026-01-01T10:00:00Z"}],
        "inseminations": [{"date": ago(3).isoformat(), "method": "ici", "sperm": "frozen", "donor": 1,
                           "vials_used": 2}],
    }}
    upload(newcomer, old)
    with app.app_context():
        (count,) = queries.vial_counts(newcomer.user_id).values()
    # The file's count was taken after its inseminations: 3 are left, as the file said.
    assert (count.bought, count.used, count.left) == (6, 2, 3)


def export_of(journal: Journal) -> dict:
    with journal.app.app_context():
        user = db.session.scalar(select(User).where(User.email == journal.email))
        return json.loads(json.dumps(export_user_data(user)))  # exactly what a file would hold


def upload(journal: Journal, data, expect=302):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    response = journal.client.post(
        "/journal/import",
        data={"file": (io.BytesIO(raw), "seedling-data.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == expect, response.get_data(as_text=True)[-3000:]
    return response


def fill(journal: Journal) -> None:
    journal.set(temperature_unit="F", week_starts_on=6, secondary_symptom="cervix")
    journal.period(ago(50), days=4)
    journal.log_day(ago(45), temperature="97.71", temperature_unit="F", temperature_time="06:05",
                    temperature_disturbance="short_sleep", mucus_feeling="slippery",
                    mucus_appearance="egg_white", cervix_position="high", cervix_firmness="soft",
                    cervix_opening="open", ovulation_test="peak", ovulation_test_brand="Clearblue",
                    symptoms=["bloating", "headache"], mood="calm", note="Ünïcode ✓ and\nnew lines")
    journal.log_day(ago(40), bleeding="spotting", not_period="y")
    journal.log_day(ago(30), starts_cycle="y")
    journal.period(ago(20), days=3)
    known = journal.donor(code="Sam", kind="known", bank="")
    bank = journal.donor(vials_bought=6, vials_in_storage=6, note="Ordered in spring")
    first = journal.insemination(ago(44), time="20:30", method="ici", sperm="frozen", donor_id=bank,
                                 vials_used=2, vial_numbers="A1, A2", motile_count_millions="15.25",
                                 performed_by="Me", location="Home", cost="450.99", note="Good timing")
    journal.insemination(ago(43), method="ivi", sperm="fresh", donor_id=known)
    journal.note(first, f"{ago(44).isoformat()}T20:50", leakage="a_little", cramping="mild",
                 spotting=True, lying_down_minutes=25, orgasm=True, feelings="hopeful", note="Fine")
    journal.note(first, f"{ago(42).isoformat()}T07:00", cramping="none")
    journal.test(ago(33), kind="home", brand="Clearblue", sensitivity_miu=25, result="faint", time="06:30")
    journal.test(ago(31), kind="blood", hcg_miu="48.7", time="09:15", brand="City lab", note="first draw")
    journal.test(ago(29), kind="blood", hcg_miu="101.3", time="09:00")
    start = journal.day_id(ago(50))
    journal.post(f"/journal/cycles/{start}/outcome", {"outcome": "chemical", "note": "So early."})
    # Trying to conceive: the vial ledger, intercourse, medicines, progesterone tests.
    journal.post(f"/journal/donors/{bank}/vials/new", {"date": ago(46).isoformat(), "kind": "shipment",
                 "vials": "6", "cost": "199.90", "bank": "Courier", "stored_at": "Home tank", "note": "cold"})
    journal.post("/journal/intercourse/new", {"date": ago(44).isoformat(), "time": "23:00", "sperm": "with_sperm",
                 "note": "lovely"})
    journal.post("/journal/intercourse/new", {"date": ago(43).isoformat(), "sperm": "protected"})
    journal.post("/journal/medicines/new", {"medicine": "letrozole", "name": "Femara", "dose": "2.5",
                 "dose_unit": "mg", "route": "oral", "start_date": ago(48).isoformat(),
                 "end_date": ago(44).isoformat(), "note": "days 3-7"})
    journal.post("/journal/medicines/new", {"medicine": "hcg_trigger", "name": "Ovitrelle", "dose": "250",
                 "dose_unit": "mcg", "route": "injection", "start_date": ago(45).isoformat(), "time": "21:00"})
    journal.post("/journal/medicines/new", {"medicine": "other", "name": "Vitamin D",
                 "start_date": ago(50).isoformat()})
    journal.post("/journal/progesterone/new", {"date": ago(38).isoformat(), "kind": "pdg_strip", "result": "positive"})
    journal.post("/journal/progesterone/new", {"date": ago(37).isoformat(), "kind": "serum", "value": "31.8",
                 "unit": "nmol_l", "brand": "City lab", "time": "08:00"})


@pytest.fixture
def original(app):
    journal = Journal(app, app.test_client(), "before@example.org").register()
    fill(journal)
    return journal


def test_the_export_holds_the_whole_journal(original):
    data = export_of(original)
    assert data["format"] == EXPORT_FORMAT and data["version"] == 1
    journal = data["journal"]
    assert len(journal["days"]) == 4 + 1 + 1 + 1 + 3
    assert len(journal["donors"]) == 2
    assert len(journal["inseminations"]) == 2
    assert len(journal["inseminations"][0]["notes"]) == 2
    assert len(journal["pregnancy_tests"]) == 3
    assert journal["cycle_outcomes"][0]["outcome"] == "chemical"
    day = next(d for d in journal["days"] if d["date"] == ago(45).isoformat())
    assert day["temperature_c"] == 36.51 and day["mucus_code"] == "S+"
    assert day["symptoms"] == ["headache", "bloating"]
    assert [c["start"] for c in journal["cycles"]] == [ago(50).isoformat(), ago(30).isoformat(), ago(20).isoformat()]
    assert journal["inseminations"][0]["donor"] == 2
    ledger = journal["donors"][1]["vial_ledger"]
    assert [(e["kind"], e["vials"]) for e in ledger] == [("shipment", 6), ("purchase", 6)]
    assert ledger[0]["cost_cents"] == 19990 and ledger[0]["stored_at"] == "Home tank"
    assert "vials_in_storage" not in journal["donors"][1]
    assert [i["sperm"] for i in journal["intercourse"]] == ["with_sperm", "protected"]
    assert [m["medicine"] for m in journal["medicines"]] == ["other", "letrozole", "hcg_trigger"]
    trigger = journal["medicines"][2]
    assert (trigger["dose"], trigger["dose_unit"], trigger["time"], trigger["end_date"]) == (250.0, "mcg", "21:00:00", ago(45).isoformat())
    assert [(t["kind"], t["result"], t["value"], t["unit"]) for t in journal["progesterone_tests"]] == [
        ("pdg_strip", "positive", None, None), ("serum", None, 31.8, "nmol_l")]


def test_import_restores_a_journal_exactly(app, original):
    exported = export_of(original)
    newcomer = Journal(app, app.test_client(), "after@example.org").register()
    response = upload(newcomer, exported)
    assert response.headers["Location"] == "/journal/"
    message = newcomer.page("/journal/")
    assert ("Your journal is imported: 10 days, 2 inseminations with 2 notes, 3 pregnancy tests, 2 donors, "
            "1 cycle outcome, 2 vial ledger entries, 2 intercourse entries, 3 medicines, 2 progesterone tests.") in message
    again = export_of(newcomer)
    assert again["journal"] == exported["journal"]
    for key in ("temperature_unit", "week_starts_on", "secondary_symptom"):
        assert again["account"][key] == exported["account"][key]
    assert newcomer.counts() == original.counts()
    for model in (VialEntry, Intercourse, Medicine, ProgesteroneTest):
        assert rows(app, model, newcomer.user_id) == rows(app, model, original.user_id) > 0
    # The restored journal works like the original.
    assert "97.72 °F" in newcomer.page(f"/journal/days/{newcomer.day_id(ago(45))}")


def test_a_journal_with_entries_previews_an_import_first(app, original):
    exported = export_of(original)
    page = original.page("/journal/import")
    assert "Your journal already has entries" in page
    response = upload(original, exported, expect=200)
    page = response.get_data(as_text=True)
    assert "Before you import from Seedling" in page
    assert "Nothing new: everything in the file is already in your journal" in page
    assert export_of(original)["journal"] == exported["journal"]


def broken(data: dict, change) -> dict:
    copied = copy.deepcopy(data)
    change(copied)
    return copied


def set_in(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


FUTURE = (today() + timedelta(days=2)).isoformat()
CASES = [
    ("not json", b"{not json", "could not be read as JSON"),
    ("another format", {"format": "something-else"}, "is not a Seedling data file"),
    ("a list", [1, 2, 3], "is not a Seedling data file"),
    ("a newer version", set_in(["version"], 99), "version 99"),
    ("no journal", set_in(["journal"], None), "has no journal in it"),
    ("days not a list", set_in(["journal", "days"], {"a": 1}), "“days” is not a list"),
    ("hot temperature", set_in(["journal", "days", 4, "temperature_c"], 45.0), "must be from 34 to 43"),
    ("temperature as text", set_in(["journal", "days", 4, "temperature_c"], "36.5"), "must be a number"),
    ("three decimals", set_in(["journal", "days", 4, "temperature_c"], 36.555), "more than two decimals"),
    ("unknown bleeding", set_in(["journal", "days", 0, "bleeding"], "gushing"), "“bleeding” must be one of"),
    ("bad date", set_in(["journal", "days", 0, "date"], "2026-02-30"), "must be a date"),
    ("future day", set_in(["journal", "days", 0, "date"], FUTURE), "is in the future"),
    ("duplicate day", lambda d: d["journal"]["days"].append(copy.deepcopy(d["journal"]["days"][0])), "two entries for"),
    ("unknown symptom", set_in(["journal", "days", 4, "symptoms"], ["hiccups"]), "“symptoms” must be a list"),
    ("not-a-period without bleeding", set_in(["journal", "days", 4, "not_period"], True), "There is no bleeding to mark as not a period"),
    ("flag as text", set_in(["journal", "days", 4, "starts_cycle"], "yes"), "must be true or false"),
    ("missing donor", set_in(["journal", "inseminations", 0, "donor"], 7), "donor 7 is not among"),
    ("no method", lambda d: d["journal"]["inseminations"][0].pop("method"), "“method” is missing"),
    ("vials", set_in(["journal", "inseminations", 0, "vials_used"], 99), "whole number from 0 to 10"),
    ("fresh vials", set_in(["journal", "inseminations", 1, "vials_used"], 1), "Fresh sperm does not come in vials"),
    ("note before", set_in(["journal", "inseminations", 0, "notes", 0, "noted_at"], "2000-01-01T00:00:00"), "This is before the insemination"),
    ("note time", set_in(["journal", "inseminations", 0, "notes", 0, "noted_at"], "soon"), "must be a date and time"),
    ("long note", set_in(["journal", "inseminations", 0, "note"], "x" * 4001), "longer than 4000 characters"),
    ("blood line", set_in(["journal", "pregnancy_tests", 1, "result"], "positive"), "A blood test gives a value rather than a line"),
    ("infinity", set_in(["journal", "pregnancy_tests", 1, "hcg_miu"], float("inf")), "could not be read as JSON"),
    ("negative hcg", set_in(["journal", "pregnancy_tests", 1, "hcg_miu"], -3), "must be from 0 to 500000"),
    ("bank without bank", set_in(["journal", "donors", 1, "bank"], None), "Please enter the bank this donor's vials come from"),
    ("donor ref twice", set_in(["journal", "donors", 1, "ref"], 1), "used twice"),
    ("outcome", set_in(["journal", "cycle_outcomes", 0, "outcome"], "won"), "“outcome” must be one of"),
    ("record not a mapping", set_in(["journal", "pregnancy_tests", 0], "positive"), "is not a record"),
    ("bad stamp", set_in(["journal", "days", 0, "created_at"], "yesterday"), "must be a timestamp"),
    ("bad unit", set_in(["account", "temperature_unit"], "K"), "“temperature_unit” must be one of"),
]


@pytest.mark.parametrize(("change", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_malformed_file_is_refused_with_a_clear_message_and_changes_nothing(app, original, change, message):
    exported = export_of(original)
    payload = change if isinstance(change, (bytes, list, dict)) else broken(exported, change)
    newcomer = Journal(app, app.test_client(), "after@example.org").register()
    before = export_of(newcomer)
    response = upload(newcomer, payload, expect=200)
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert "Nothing was imported." in page
    after = export_of(newcomer)
    assert after["journal"] == before["journal"]
    assert after["account"] == before["account"]
    assert all(count == 0 for count in newcomer.counts().values())


def test_an_empty_upload_is_refused(journal_client):
    response = journal_client.client.post("/journal/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Please choose the file to import" in response.get_data(as_text=True)


def test_an_older_file_without_timestamps_still_imports(app, original):
    exported = export_of(original)
    for day in exported["journal"]["days"]:
        day.pop("created_at")
        day.pop("updated_at")
        day.pop("some_future_key", None)
    exported["journal"]["days"][0]["some_future_key"] = "ignored"
    newcomer = Journal(app, app.test_client(), "after@example.org").register()
    upload(newcomer, exported)
    assert newcomer.counts()["journal_day"] == 10


@pytest.fixture
def journal_client(app):
    return Journal(app, app.test_client(), "empty@example.org").register()
