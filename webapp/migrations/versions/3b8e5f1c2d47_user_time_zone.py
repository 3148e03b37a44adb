"""Each person's time zone, so that "today" is their own date

Revision ID: 3b8e5f1c2d47
Revises: e0ed2dc10102
Create Date: 2026-12-01 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8e5f1c2d47'
down_revision = 'e0ed2dc10102'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('time_zone')
