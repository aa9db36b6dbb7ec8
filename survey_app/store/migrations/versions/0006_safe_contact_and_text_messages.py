"""Safe-contact answers and the text-message outbox.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('safe_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('may_text', sa.Boolean(), nullable=False),
    sa.Column('text_from', sa.Time(), nullable=True),
    sa.Column('text_until', sa.Time(), nullable=True),
    sa.Column('never_say', sa.LargeBinary(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('safe_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safe_contact_record_id'), ['record_id'], unique=False)

    op.create_table('sms_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('link', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('send_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('twilio_sid', sa.String(length=40), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('twilio_sid')
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_message_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_message_send_after'), ['send_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_sms_message_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_message_status'))
        batch_op.drop_index(batch_op.f('ix_sms_message_send_after'))
        batch_op.drop_index(batch_op.f('ix_sms_message_invitation_id'))

    op.drop_table('sms_message')
    with op.batch_alter_table('safe_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safe_contact_record_id'))

    op.drop_table('safe_contact')
