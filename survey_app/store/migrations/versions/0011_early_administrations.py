"""Administrations begun from a T2 link made before T2 was due are marked early, for evaluators.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('administration') as batch:
        batch.add_column(sa.Column('early', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('administration') as batch:
        batch.drop_column('early')
