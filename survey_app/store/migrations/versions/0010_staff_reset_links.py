"""One-time links for staff can now also set up new sign-in codes: the table of password links becomes
the table of reset links, each with its purpose (the links made so far set a password).

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table('password_reset', 'staff_reset_link')
    op.add_column('staff_reset_link',
                  sa.Column('purpose', sa.String(length=20), server_default='password', nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM staff_reset_link WHERE purpose <> 'password'")
    with op.batch_alter_table('staff_reset_link', schema=None) as batch_op:
        batch_op.drop_column('purpose')
    op.rename_table('staff_reset_link', 'password_reset')
