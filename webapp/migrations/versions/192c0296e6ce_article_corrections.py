"""Article correction log

Revision ID: 192c0296e6ce
Revises: 51ef6a11d250
Create Date: 2026-12-01 09:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '192c0296e6ce'
down_revision = '51ef6a11d250'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start with an empty log; the default is dropped afterwards because the
    # model (and the importer) always write the value themselves.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('corrections', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.alter_column('corrections', server_default=None)


def downgrade():
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('corrections')
