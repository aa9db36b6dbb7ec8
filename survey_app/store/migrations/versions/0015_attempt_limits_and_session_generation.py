"""Attempt limits that hold across workers, second-factor codes that work once, sessions that end on the
server: per-address attempt counts, each account's last accepted code step and session generation.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'attempt_counter',
        sa.Column('key', sa.String(length=64), primary_key=True),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('attempt_counter')
    with op.batch_alter_table('staff') as batch:
        batch.drop_column('session_generation')
        batch.drop_column('totp_last_step')
