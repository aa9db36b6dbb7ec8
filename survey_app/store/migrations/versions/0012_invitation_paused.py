"""A link without an access code is paused when someone leaves it by the quick exit, until a
practitioner reopens it.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.drop_column('paused_at')
