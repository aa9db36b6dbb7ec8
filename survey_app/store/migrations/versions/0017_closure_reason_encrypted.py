"""The free-text closure reason is encrypted with the person's own data key, like their contact
details, so it is destroyed with them on withdrawal with deletion. Existing reasons are encrypted
here, which needs the stores' master keys: `survey db upgrade` passes them. A person whose key is
already destroyed keeps no reason.

Revision ID: 0017
Revises: 0016
"""
from alembic import context, op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

TABLES = ('service_user', 'victim_survivor')


def upgrade() -> None:
    from survey_app.store.crypto import Keyring, PersonCipher

    bind = op.get_bind()
    keys = context.config.attributes.get('keys')
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column('closure_reason', new_column_name='closure_reason_plain', existing_type=sa.Text())
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('closure_reason', sa.LargeBinary(), nullable=True))
        rows = bind.execute(sa.text(f'SELECT id, wrapped_key, closure_reason_plain FROM {table} '
                                    'WHERE closure_reason_plain IS NOT NULL AND wrapped_key IS NOT NULL')).all()
        if rows and not keys:
            raise RuntimeError('Closure reasons must be encrypted with each person\'s key: run `survey db upgrade`, '
                               'which has the master keys.')
        keyring = Keyring(keys[table]) if rows else None
        for row in rows:
            cipher = PersonCipher(keyring.unwrap(bytes(row.wrapped_key)))
            bind.execute(sa.text(f'UPDATE {table} SET closure_reason = :sealed WHERE id = :id'),
                         {'sealed': cipher.encrypt(row.closure_reason_plain), 'id': row.id})
        with op.batch_alter_table(table) as batch:
            batch.drop_column('closure_reason_plain')


def downgrade() -> None:
    # Decrypting needs the keys too; a downgrade keeps no reasons rather than keep them in plain text.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('closure_reason')
            batch.add_column(sa.Column('closure_reason', sa.Text(), nullable=True))
