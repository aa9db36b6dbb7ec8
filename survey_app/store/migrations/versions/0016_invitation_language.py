"""The language a participant chose for their link's pages, remembered for the next visit and the
texts about that link.

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.add_column(sa.Column('language', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.drop_column('language')
