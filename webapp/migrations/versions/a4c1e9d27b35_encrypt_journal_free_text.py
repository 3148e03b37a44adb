"""Encrypt the journal's free text at rest (AES-GCM, keys in the key ring, not the database)

The short text columns become Text (a ciphertext is longer than its plaintext; the limits stay
in webapp/journal/spec.py), every existing value is encrypted with the key ring's current key,
in batches, and the data_key table records that key. Downgrade decrypts everything again.

Revision ID: a4c1e9d27b35
Revises: abc986aa5d74
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

from webapp.encryption import key_ring, register_key


# revision identifiers, used by Alembic.
revision = 'a4c1e9d27b35'
down_revision = 'abc986aa5d74'
branch_labels = None
depends_on = None

BATCH = 500

# table → {column: its length before, None when it was Text already}
COLUMNS = {
    'journal_day': {'ovulation_test_brand': 80, 'symptoms': 200, 'mood': 80, 'note': None},
    'donor': {'code': 60, 'bank': 120, 'note': None},
    'insemination': {'vial_numbers': 200, 'performed_by': 120, 'location': 120, 'note': None},
    'insemination_note': {'feelings': 300, 'note': None},
    'pregnancy_test': {'brand': 80, 'note': None},
    'cycle_outcome': {'note': None},
}
NOT_NULL = {('journal_day', 'symptoms'), ('donor', 'code')}


def _rewrite_every_value(change) -> None:
    """Each row of each table, a batch at a time by id: every value through ``change``."""
    connection = op.get_bind()
    for table_name, columns in COLUMNS.items():
        table = sa.table(table_name, sa.column('id', sa.Integer), *(sa.column(c, sa.Text) for c in columns))
        last_id = 0
        while True:
            rows = connection.execute(
                sa.select(table).where(table.c.id > last_id).order_by(table.c.id).limit(BATCH)
            ).all()
            if not rows:
                break
            for row in rows:
                values = {
                    column: change(row._mapping[column], f'{table_name}.{column}')
                    for column in columns if row._mapping[column] is not None
                }
                if values:
                    connection.execute(table.update().where(table.c.id == row.id).values(**values))
            last_id = rows[-1].id


def _change_types(to_text: bool) -> None:
    for table_name, columns in COLUMNS.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            for column, length in columns.items():
                if length is None:
                    continue
                short, long = sa.String(length=length), sa.Text()
                batch_op.alter_column(
                    column,
                    existing_type=short if to_text else long,
                    type_=long if to_text else short,
                    existing_nullable=(table_name, column) not in NOT_NULL,
                )


def upgrade():
    op.create_table('data_key',
    sa.Column('key_id', sa.String(length=8), nullable=False),
    sa.Column('check_value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_data_key'))
    )
    _change_types(to_text=True)
    ring = key_ring(current_app)
    register_key(op.get_bind(), ring, ring.current)
    _rewrite_every_value(ring.encrypt)


def downgrade():
    ring = key_ring(current_app)
    _rewrite_every_value(ring.decrypt)
    _change_types(to_text=False)
    op.drop_table('data_key')
