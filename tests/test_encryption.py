"""Encryption at rest of the journal's free text (webapp/encryption.py, webapp/keys.py)."""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import Integer, Text, column, select, table

from tests.conftest import make_app, teardown
from tests.journal_support import Journal, ago
from tests.test_journal_portability import export_of, fill
from webapp.database import checkpoint_wal, sqlite_file
from webapp.encryption import (
    KEY_RING_FILE,
    EncryptedText,
    KeyRingError,
    UnreadableValue,
    encrypted_columns,
    key_id_of,
    key_ring,
    new_ring,
)
from webapp.extensions import db
from webapp.journal.models import Day, Donor, Insemination
from webapp.keys import rotate

# What fill() types into the encrypted columns.
TYPED = ["Ünïcode", "Good timing", "Ordered in spring", "Nordic Cryobank", "DK-4471", "Clearblue",
         "City lab", "first draw", "So early.", "hopeful", "A1, A2", "bloating"]


def raw(table_name: str, *names: str):
    """The table's stored text, bypassing EncryptedText."""
    return table(table_name, column("id", Integer), *(column(name, Text) for name in names))


def stored_values(app) -> dict[str, list[str]]:
    """Every stored value of every encrypted column, as it is in the database."""
    values: dict[str, list[str]] = {}
    with app.app_context():
        for source, names in encrypted_columns(db.metadata):
            for row in db.session.execute(select(raw(source.name, *names))):
                for name in names:
                    if row._mapping[name] is not None:
                        values.setdefault(f"{source.name}.{name}", []).append(row._mapping[name])
    return values


@pytest.fixture
def filled(app):
    journal = Journal(app, app.test_client(), "sealed@example.org").register()
    fill(journal)
    return journal


def ring_file(app) -> Path:
    return Path(app.instance_path) / KEY_RING_FILE


def test_the_free_text_is_stored_encrypted_and_read_plain(app, filled):
    values = stored_values(app)
    assert set(values) >= {"journal_day.note", "journal_day.mood", "journal_day.symptoms", "donor.code",
                           "donor.bank", "insemination.vial_numbers", "insemination_note.feelings",
                           "pregnancy_test.brand", "cycle_outcome.note"}
    current = key_ring(app).current
    every = [value for column_values in values.values() for value in column_values]
    assert every and all(value.startswith(f"v1:{current}:") for value in every)
    assert not any(word in value for value in every for word in TYPED)
    # Two encryptions of one text differ (a fresh nonce each): equal notes do not show.
    brands = values["pregnancy_test.brand"] + values["journal_day.ovulation_test_brand"]
    assert len(brands) == len(set(brands)) == 3

    exported = export_of(filled)["journal"]
    assert "Ünïcode ✓ and\nnew lines" in [day["note"] for day in exported["days"]]
    assert [d["code"] for d in exported["donors"]] == ["Sam", "DK-4471"]
    assert exported["inseminations"][0]["notes"][0]["feelings"] == "hopeful"
    assert "Good timing" in filled.page(f"/journal/inseminations/{_first_insemination(app)}")


def test_the_database_file_holds_no_typed_word(app, filled):
    with app.app_context():
        path = sqlite_file(db.engine)
        if path is None:
            pytest.skip("SQLite only: PostgreSQL's files are not ours to read")
        checkpoint_wal()
        db.engine.dispose()
    contents = path.read_bytes()
    assert b"sealed@example.org" in contents  # the file is the journal's (emails are not sealed)
    for word in TYPED:
        assert word.encode() not in contents, word


def _first_insemination(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Insemination.id).order_by(Insemination.id))


def _read_day_notes(app) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(Day.note)))


def test_an_altered_value_is_refused(app, filled):
    notes = raw("journal_day", "note")
    with app.app_context():
        day_id, value = db.session.execute(select(notes).where(notes.c.note.is_not(None))).one()
        prefix, _, encoded = value.rpartition(":")
        sealed = bytearray(base64.b64decode(encoded))
        sealed[-20] ^= 1  # one bit of the ciphertext
        altered = f"{prefix}:{base64.b64encode(bytes(sealed)).decode()}"
        db.session.execute(notes.update().where(notes.c.id == day_id).values(note=altered))
        db.session.commit()
    with pytest.raises(UnreadableValue, match="journal_day.note does not open"):
        _read_day_notes(app)


def test_a_value_moved_to_another_column_or_table_is_refused(app, filled):
    days, inseminations = raw("journal_day", "note", "mood"), raw("insemination", "note")
    with app.app_context():
        day_id, note, _ = db.session.execute(select(days).where(days.c.note.is_not(None))).first()
        db.session.execute(days.update().where(days.c.id == day_id).values(mood=note))
        insemination_note = db.session.scalar(select(inseminations.c.note).where(inseminations.c.note.is_not(None)))
        db.session.execute(days.update().where(days.c.id == day_id).values(note=insemination_note))
        db.session.commit()
        with pytest.raises(UnreadableValue, match="journal_day.mood"):
            db.session.scalar(select(Day.mood).where(Day.id == day_id))
        db.session.rollback()
        with pytest.raises(UnreadableValue, match="journal_day.note"):
            db.session.scalar(select(Day.note).where(Day.id == day_id))


def test_a_value_under_a_key_the_ring_lacks_is_refused_by_name(app, filled):
    with app.app_context():
        stranger = new_ring()
        sealed = stranger.encrypt("from elsewhere", "donor.bank")
        donors = raw("donor", "bank")
        db.session.execute(donors.update().values(bank=sealed))
        db.session.commit()
        with pytest.raises(UnreadableValue, match=f"key {stranger.current}, which is not in the key ring"):
            db.session.scalars(select(Donor.bank)).all()


def test_the_key_ring_is_made_owner_only_once_and_kept(app):
    path = ring_file(app)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = make_app(Path(app.instance_path))
    assert key_ring(again).key_ids == key_ring(app).key_ids
    teardown(again)


def test_rotation_re_encrypts_everything_and_the_old_key_can_then_be_retired(app, filled, runner):
    before = export_of(filled)["journal"]
    old = key_ring(app).current
    result = runner.invoke(args=["keys", "rotate", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    new = key_ring(app).current
    assert new != old and f"New current key {new}" in result.output
    assert {key_id_of(v) for values in stored_values(app).values() for v in values} == {new}
    assert json.loads(ring_file(app).read_text())["current"] == new

    status = runner.invoke(args=["keys", "status"]).output
    assert f"{old}: 0 values" in status and f"{new} (current): " in status

    again = runner.invoke(args=["keys", "rotate"])  # nothing left behind: a new key again
    assert again.exit_code == 0 and "New current key" in again.output
    retired = runner.invoke(args=["keys", "retire"])
    assert retired.exit_code == 0 and old in retired.output and new in retired.output
    assert list(json.loads(ring_file(app).read_text())["keys"]) == [key_ring(app).current]
    # A process started now, with only the newest key, reads everything and checks the ring.
    fresh = make_app(Path(app.instance_path), DATA_KEYS_CHECK=True)
    with fresh.app_context():
        assert key_ring(fresh).key_ids == [key_ring(app).current]
    teardown(fresh)
    assert export_of(filled)["journal"] == before


def test_an_unfinished_rotation_is_finished_not_repeated(app, filled, runner):
    ring = key_ring(app)
    first = ring.current
    with app.app_context():
        ring.with_new_key().save(ring.path)  # as if `rotate` stopped right after writing the key
        ring.reload_if_changed(force=True)
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "Finished an earlier rotation" in result.output
    assert len(key_ring(app).key_ids) == 2 and key_ring(app).current != first
    assert {key_id_of(v) for values in stored_values(app).values() for v in values} == {ring.current}


def test_the_site_keeps_serving_while_keys_rotate(app, filled):
    with app.app_context():
        user_id = filled.user_id
        for offset in range(60, 160):
            db.session.add(Day(user_id=user_id, date=ago(offset), mood="steady", note=f"day {offset}"))
        db.session.commit()
    # A worker started before the rotation: it must take the new key when it meets it.
    worker = make_app(Path(app.instance_path))
    worker_journal = Journal(worker, worker.test_client(), filled.email)
    worker_journal.client.post("/accounts/login", data={"email": filled.email, "password": "a calm green seedling"})
    done, problems = threading.Event(), []

    def rotate_in_background():
        try:
            with app.app_context():
                rotate(key_ring(app), batch_size=1)
        except Exception as error:  # the main thread reports it
            problems.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=rotate_in_background)
    thread.start()
    edits = 0
    while not done.is_set() or edits < 3:
        page = worker_journal.page(f"/journal/days/{worker_journal.day_id(ago(45))}/edit")
        assert "Ünïcode ✓" in page
        worker_journal.post(f"/journal/days/{worker_journal.day_id(ago(61 + edits))}/edit",
                            {"date": ago(61 + edits).isoformat(), "note": f"edited {edits}", "temperature_unit": "C"})
        edits += 1
    thread.join()
    assert not problems, problems
    with app.app_context():
        rotate(key_ring(app), batch_size=50)  # picks up what the worker wrote under the old key
        notes = dict(db.session.execute(select(Day.date, Day.note)).all())
    assert all(notes[ago(61 + n)] == f"edited {n}" for n in range(edits))
    assert notes[ago(150)] == "day 150"
    assert {key_id_of(v) for values in stored_values(app).values() for v in values} == {key_ring(app).current}
    teardown(worker)


def _registered_app(app) -> None:
    """Start a process with the start-up check, which records the ring's key in the database."""
    checked = make_app(Path(app.instance_path), DATA_KEYS_CHECK=True)
    teardown(checked)


def test_a_missing_key_ring_stops_the_start(app, filled):
    _registered_app(app)
    ring_file(app).rename(ring_file(app).with_name("elsewhere.json"))
    with pytest.raises(KeyRingError, match="is missing, but the database holds encrypted values"):
        make_app(Path(app.instance_path), DATA_KEYS_CHECK=True)
    assert not ring_file(app).exists()  # no new, useless ring was made


def test_a_wrong_key_under_the_right_id_stops_the_start(app, filled):
    _registered_app(app)
    data = json.loads(ring_file(app).read_text())
    data["keys"][data["current"]] = json.loads(new_ring().as_json())["keys"].popitem()[1]
    ring_file(app).write_text(json.dumps(data))
    with pytest.raises(KeyRingError, match="is not the key the database's values were encrypted with"):
        make_app(Path(app.instance_path), DATA_KEYS_CHECK=True)


def test_a_ring_without_the_databases_key_stops_the_start(app, filled):
    _registered_app(app)
    ring_file(app).write_text(new_ring().as_json())
    with pytest.raises(KeyRingError, match="does not have. Restore the key ring"):
        make_app(Path(app.instance_path), DATA_KEYS_CHECK=True)


@pytest.mark.parametrize("broken", ["not json", '{"keys": {}}', '{"current": "00000000", "keys": {"00000000": "c2hvcnQ="}}'])
def test_a_malformed_key_ring_stops_the_start(app, broken):
    ring_file(app).write_text(broken)
    with pytest.raises(KeyRingError):
        make_app(Path(app.instance_path))


def test_keys_from_the_environment(tmp_path, monkeypatch):
    ring = new_ring()
    monkeypatch.setenv("SEEDLING_DATA_KEYS", ring.as_json())
    app = make_app(tmp_path / "instance")
    assert key_ring(app).current == ring.current and key_ring(app).path is None
    assert not (tmp_path / "instance" / KEY_RING_FILE).exists()
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code != 0 and "SEEDLING_DATA_KEYS" in result.output
    teardown(app)


def test_every_encrypted_column_knows_its_place_and_plaintext_limit():
    places = {
        (source.name, name): source.c[name].type
        for source, names in encrypted_columns(db.metadata) for name in names
    }
    assert all(isinstance(t, EncryptedText) and t.context == f"{s}.{n}" for (s, n), t in places.items())
    assert places[("donor", "code")].max_length == 60 and places[("journal_day", "note")].max_length is None
