"""The last quick exit from a link, so an access code entered before it no longer holds in any
browser (a copy of the session cookie taken before the exit included).

Revision ID: 0020
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.add_column(sa.Column('exited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invitation') as batch:
        batch.drop_column('exited_at')
