"""Administrations (one sitting per link) and their answers, one row per question.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('administration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('service_user_id', sa.Integer(), nullable=True),
    sa.Column('victim_survivor_id', sa.Integer(), nullable=True),
    sa.Column('timepoint', sa.String(length=2), nullable=False),
    sa.Column('instruments', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('interpreter', sa.String(length=40), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(service_user_id IS NULL) <> (victim_survivor_id IS NULL)', name='administration_one_store'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_user_id'], ['service_user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['victim_survivor_id'], ['victim_survivor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invitation_id')
    )
    with op.batch_alter_table('administration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_administration_service_user_id'), ['service_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_administration_victim_survivor_id'), ['victim_survivor_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('administration_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=40), nullable=False),
    sa.Column('instrument_version', sa.String(length=10), nullable=False),
    sa.Column('item_number', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('missing_reason', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('translation', sa.String(length=80), nullable=False),
    sa.Column('translation_status', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=12), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('consent_scope', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(value IS NULL) <> (missing_reason IS NULL)', name='answer_value_or_reason'),
    sa.ForeignKeyConstraint(['administration_id'], ['administration.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('administration_id', 'instrument_id', 'item_number', name='answer_once')
    )


def downgrade() -> None:
    op.drop_table('answer')
    with op.batch_alter_table('administration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_administration_victim_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_administration_service_user_id'))

    op.drop_table('administration')
