"""Invitations (private links with optional access codes) and how each was shared.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('service_user_id', sa.Integer(), nullable=True),
    sa.Column('victim_survivor_id', sa.Integer(), nullable=True),
    sa.Column('timepoint', sa.String(length=2), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('access_code_hash', sa.String(length=200), nullable=True),
    sa.Column('code_failures', sa.Integer(), nullable=False),
    sa.Column('code_paused_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(service_user_id IS NULL) <> (victim_survivor_id IS NULL)', name='invitation_one_store'),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_user_id'], ['service_user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['victim_survivor_id'], ['victim_survivor.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('invitation_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('shared_by', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('invitation_share')
    op.drop_table('invitation')
