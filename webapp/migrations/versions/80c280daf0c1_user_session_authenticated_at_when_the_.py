"""user_session.authenticated_at: when the person last proved it was them

Revision ID: 80c280daf0c1
Revises: a5c81e3f2d7b
Create Date: 2026-12-01 12:42:02.567187

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '80c280daf0c1'
down_revision = 'a5c81e3f2d7b'
branch_labels = None
depends_on = None


def upgrade():
    # Sessions already signed in count from their sign-in (created_at) until they confirm.
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authenticated_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('authenticated_at')
