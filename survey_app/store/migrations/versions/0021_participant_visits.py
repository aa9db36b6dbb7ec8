"""A participant browser's progress kept on the server, keyed by the hash of a random key that is
all its cookie holds.

Revision ID: 0021
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'participant_visit',
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=True),
        sa.Column('progress', sa.Text(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key_hash'),
    )
    op.create_index(op.f('ix_participant_visit_invitation_id'), 'participant_visit', ['invitation_id'])
    op.create_index(op.f('ix_participant_visit_changed_at'), 'participant_visit', ['changed_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_participant_visit_changed_at'), table_name='participant_visit')
    op.drop_index(op.f('ix_participant_visit_invitation_id'), table_name='participant_visit')
    op.drop_table('participant_visit')
