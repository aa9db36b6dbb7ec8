"""An index on the service user a victim-survivor's record is linked to: the export's linkage check,
an interpreter's other case and the partner's view look records up by it, and without the index each
look-up read the whole table (an export read it once per batch of 2,000 people).

Revision ID: 0022
Revises: 0021
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_victim_survivor_linked_service_user'), 'victim_survivor', ['linked_service_user'])


def downgrade() -> None:
    op.drop_index(op.f('ix_victim_survivor_linked_service_user'), table_name='victim_survivor')
