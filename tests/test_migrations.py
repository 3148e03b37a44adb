"""The single migration history must build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from webapp.extensions import db


def empty_database() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_migrations_create_the_models_schema_and_can_be_undone(app):
    with app.app_context():
        empty_database()
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], "models and migrations differ: run `flask --app webapp db migrate`"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        empty_database()
        db.create_all()  # leave the schema the app fixture expects


BEFORE_LEDGER = "a4c1e9d27b35"


def test_the_ledger_migration_keeps_every_donors_vial_count(app):
    """Donors' vials_bought / vials_in_storage become opening ledger entries: the vials left
    stay what they were, after the inseminations already logged, and a downgrade gives the
    numbers back."""
    from webapp.accounts.models import User
    from webapp.encryption import key_ring
    from webapp.journal.queries import vial_counts

    with app.app_context():
        empty_database()
        upgrade(revision=BEFORE_LEDGER)
        user = User(email="ledger@example.org", password_hash="!")
        db.session.add(user)
        db.session.commit()
        ring = key_ring(app)
        ids = {}
        with db.engine.begin() as connection:
            for code, bought, stored in (("A", 6, 3), ("B", None, 2), ("C", 4, 4), ("D", None, None)):
                connection.execute(text(
                    "INSERT INTO donor (user_id, kind, code, vials_bought, vials_in_storage, created_at, updated_at) "
                    "VALUES (:user, 'bank', :code, :bought, :stored, '2026-01-02 10:00:00', '2026-01-02 10:00:00')"
                ), {"user": user.id, "code": ring.encrypt(code, "donor.code"), "bought": bought, "stored": stored})
                ids[code] = connection.execute(text("SELECT max(id) FROM donor")).scalar()
            donor_a = ids["A"]
            connection.execute(text(
                "INSERT INTO insemination (user_id, date, method, donor_id, vials_used, created_at, updated_at) "
                "VALUES (:user, '2026-02-01', 'ici', :donor, 2, '2026-02-01 10:00:00', '2026-02-01 10:00:00')"
            ), {"user": user.id, "donor": donor_a})
        upgrade()
        by_code = ids
        counts = vial_counts(user.id)
        assert (counts[by_code["A"]].bought, counts[by_code["A"]].used, counts[by_code["A"]].left) == (6, 2, 3)
        assert (counts[by_code["B"]].counted, counts[by_code["B"]].left) == (True, 2)
        assert (counts[by_code["C"]].bought, counts[by_code["C"]].left) == (4, 4)
        assert not counts[by_code["D"]].counted
        # The insemination kept its donor (a table copy would have unlinked it).
        assert db.session.execute(text("SELECT donor_id FROM insemination")).scalar() == by_code["A"]
        db.session.commit()
        downgrade(revision=BEFORE_LEDGER)
        with db.engine.connect() as connection:
            restored = connection.execute(
                text("SELECT vials_bought, vials_in_storage FROM donor ORDER BY id")
            ).all()
        assert [tuple(row) for row in restored] == [(6, 3), (None, 2), (4, 4), (None, None)]


BEFORE_ENCRYPTION = "abc986aa5d74"


def test_the_encryption_migration_seals_existing_text_and_its_downgrade_opens_it(app):
    from datetime import datetime

    from sqlalchemy import Integer, MetaData, Table, Text, column, select, table

    from webapp.encryption import key_ring
    from webapp.journal.models import Day

    days = table("journal_day", column("id", Integer), column("note", Text), column("symptoms", Text))
    with app.app_context():
        empty_database()
        upgrade(revision=BEFORE_ENCRYPTION)
        now = datetime(2026, 1, 1)
        with db.engine.begin() as connection:
            user = Table("user", MetaData(), autoload_with=connection)
            connection.execute(user.insert().values(
                id=1, email="m@example.org", password_hash="!", session_token="t" * 64, temperature_unit="C",
                week_starts_on=0, secondary_symptom="mucus", is_demo=False, created_at=now,
            ))
            connection.execute(text(
                "INSERT INTO journal_day (id, user_id, date, not_period, starts_cycle, symptoms, note, mood, "
                "created_at, updated_at) VALUES (7, 1, '2026-01-01', false, false, 'bloating', 'a plain note', "
                "'calm', :now, :now)"
            ), {"now": now})
        upgrade()
        with db.engine.connect() as connection:
            stored = connection.execute(select(days)).one()
        assert stored.note.startswith(f"v1:{key_ring(app).current}:") and "plain" not in stored.note
        assert db.session.get(Day, 7).note == "a plain note" and db.session.get(Day, 7).symptoms == ["bloating"]
        db.session.remove()
        downgrade(revision=BEFORE_ENCRYPTION)
        with db.engine.connect() as connection:
            assert connection.execute(select(days)).one()[1:] == ("a plain note", "bloating")
        empty_database()
        db.create_all()
