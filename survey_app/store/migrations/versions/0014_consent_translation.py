"""Each consent decision records which revision of a translated consent document was read, and
that translation's status (0 and 'original' for the English document).

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consent_event') as batch:
        batch.add_column(sa.Column('document_revision', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('translation_status', sa.String(length=12), nullable=False,
                                   server_default='original'))


def downgrade() -> None:
    with op.batch_alter_table('consent_event') as batch:
        batch.drop_column('translation_status')
        batch.drop_column('document_revision')
