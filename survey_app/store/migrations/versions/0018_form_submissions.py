"""Forms that change something once: the token of each state-changing form already acted on, so a
retried post (a reply lost after the save) records nothing a second time.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_submission',
        sa.Column('token', sa.String(length=64), primary_key=True),
        sa.Column('result', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('form_submission')
