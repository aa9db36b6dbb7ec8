"""The language an interpreter spoke with the person, when the questions were read from a
written form in another language (a language with no written translation, such as Sylheti).

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('administration') as batch:
        batch.add_column(sa.Column('spoken_language', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('administration') as batch:
        batch.drop_column('spoken_language')
