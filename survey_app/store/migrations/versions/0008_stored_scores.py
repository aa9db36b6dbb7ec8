"""Scores stored once when an administration is sent, one row per score, exact.

Existing sent administrations get their scores from `survey scores rederive --fix` (a
migration has no instrument catalogue to score with).

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('administration_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('administration_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('instrument_version', sa.String(length=10), nullable=False),
    sa.Column('score_id', sa.String(length=80), nullable=False),
    sa.Column('numerator', sa.BigInteger(), nullable=True),
    sa.Column('denominator', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('answered', sa.Text(), nullable=False),
    sa.Column('missing', sa.Text(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('denominator > 0', name='administration_score_denominator'),
    sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('administration_id', 'instrument_id', 'score_id', name='administration_score_once')
    )


def downgrade() -> None:
    op.drop_table('administration_score')
