"""Trying to conceive: intercourse, medicines, progesterone tests, and a donor vial ledger that
replaces the donors' vials_bought / vials_in_storage numbers (kept as opening ledger entries)

Revision ID: a5c81e3f2d7b
Revises: a4c1e9d27b35
Create Date: 2026-12-01 10:45:00.000000

"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5c81e3f2d7b'
down_revision = 'a4c1e9d27b35'
branch_labels = None
depends_on = None

# Free text (bank, stored_at, name, brand, note) is Text: the app encrypts it (webapp.encryption).


def _owned(name, *columns, indexes=()):
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        *columns,
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f(f'fk_{name}_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_user_id'), ['user_id'], unique=False)
        for index_name, index_columns in indexes:
            batch_op.create_index(index_name, index_columns, unique=False)


def upgrade():
    _owned(
        'donor_vial_entry',
        sa.Column('donor_id', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('vials', sa.Integer(), nullable=True),
        sa.Column('cost_cents', sa.Integer(), nullable=True),
        sa.Column('bank', sa.Text(), nullable=True),
        sa.Column('stored_at', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['donor_id'], ['donor.id'], name=op.f('fk_donor_vial_entry_donor_id_donor'), ondelete='CASCADE'),
        indexes=[('ix_donor_vial_entry_user_id_date', ['user_id', 'date'])],
    )
    with op.batch_alter_table('donor_vial_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_donor_vial_entry_donor_id'), ['donor_id'], unique=False)
    _owned(
        'intercourse',
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('time', sa.Time(), nullable=True),
        sa.Column('sperm', sa.String(length=12), nullable=True),
        indexes=[('ix_intercourse_user_id_date', ['user_id', 'date'])],
    )
    _owned(
        'medicine',
        sa.Column('medicine', sa.String(length=20), nullable=False),
        sa.Column('name', sa.Text(), nullable=True),
        sa.Column('dose', sa.Float(), nullable=True),
        sa.Column('dose_unit', sa.String(length=10), nullable=True),
        sa.Column('route', sa.String(length=10), nullable=True),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('time', sa.Time(), nullable=True),
        indexes=[('ix_medicine_user_id_start_date', ['user_id', 'start_date'])],
    )
    _owned(
        'progesterone_test',
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('time', sa.Time(), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('result', sa.String(length=10), nullable=True),
        sa.Column('value', sa.Float(), nullable=True),
        sa.Column('unit', sa.String(length=10), nullable=True),
        sa.Column('brand', sa.Text(), nullable=True),
        indexes=[('ix_progesterone_test_user_id_date', ['user_id', 'date'])],
    )
    _open_ledgers()
    # Not batch mode: on SQLite it copies the table and drops the old one, and with foreign
    # keys on that drop would cascade to the new ledger and unlink every insemination's donor.
    # SQLite 3.35+ drops a plain column in place.
    op.execute('ALTER TABLE donor DROP COLUMN vials_in_storage')
    op.execute('ALTER TABLE donor DROP COLUMN vials_bought')


def _open_ledgers():
    """Each donor's counted vials become opening entries, dated the day the donor was added:
    a purchase of the vials bought, and a correction so that exactly the vials in storage are
    left after the inseminations already logged (the same rule as
    webapp.fertility.vials.opening_entries, with the vials used added back)."""
    connection = op.get_bind()
    donors = connection.execute(sa.text(
        "SELECT id, user_id, vials_bought, vials_in_storage, created_at FROM donor "
        "WHERE vials_bought IS NOT NULL OR vials_in_storage IS NOT NULL"
    )).all()
    ledger = sa.table(
        'donor_vial_entry',
        sa.column('user_id', sa.Integer), sa.column('donor_id', sa.Integer), sa.column('date', sa.Date),
        sa.column('kind', sa.String), sa.column('vials', sa.Integer),
        sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime),
    )
    now = datetime.utcnow()
    rows = []
    for donor_id, user_id, bought, in_storage, created_at in donors:
        used = connection.execute(
            sa.text("SELECT COALESCE(SUM(vials_used), 0) FROM insemination WHERE donor_id = :id"),
            {"id": donor_id},
        ).scalar() or 0
        when = created_at if isinstance(created_at, datetime) else datetime.fromisoformat(str(created_at))
        # No note: the notes are encrypted by the app, and a plain one would not read back.
        base = {"user_id": user_id, "donor_id": donor_id, "date": when.date(), "created_at": now, "updated_at": now}
        if bought:
            rows.append({**base, "kind": "purchase", "vials": bought})
        if in_storage is not None:
            change = in_storage + used - (bought or 0)
            if change or not bought:
                rows.append({**base, "kind": "correction", "vials": change})
    if rows:
        op.bulk_insert(ledger, rows)


def downgrade():
    op.execute('ALTER TABLE donor ADD COLUMN vials_bought INTEGER')
    op.execute('ALTER TABLE donor ADD COLUMN vials_in_storage INTEGER')
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE donor SET vials_bought = (SELECT SUM(vials) FROM donor_vial_entry e "
        "WHERE e.donor_id = donor.id AND e.kind = 'purchase')"
    ))
    connection.execute(sa.text(
        "UPDATE donor SET vials_in_storage = (SELECT SUM(vials) FROM donor_vial_entry e "
        "WHERE e.donor_id = donor.id AND e.kind IN ('purchase', 'correction')) "
        "- COALESCE((SELECT SUM(vials_used) FROM insemination i WHERE i.donor_id = donor.id), 0) "
        "WHERE EXISTS (SELECT 1 FROM donor_vial_entry e WHERE e.donor_id = donor.id "
        "AND e.kind IN ('purchase', 'correction'))"
    ))
    for name in ('progesterone_test', 'medicine', 'intercourse', 'donor_vial_entry'):
        op.drop_table(name)
