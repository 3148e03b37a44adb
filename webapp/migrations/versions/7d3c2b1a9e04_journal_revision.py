"""A per-person journal revision, bumped with every change (the key of the engine caches)

Revision ID: 7d3c2b1a9e04
Revises: 192c0296e6ce
Create Date: 2026-12-01 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3c2b1a9e04'
down_revision = '192c0296e6ce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'journal_revision',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_journal_revision_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_journal_revision')),
    )


def downgrade():
    op.drop_table('journal_revision')
