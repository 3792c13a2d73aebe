"""timer worker: (status, next_timer_at, id) index for the due query

Revision ID: 5f3a9c2d1e47
Revises: 66f217c0c5fd
Create Date: 2026-11-28 14:00:00

"""
from alembic import op

revision = '5f3a9c2d1e47'
down_revision = '66f217c0c5fd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.create_index('ix_process_instance_timer_due',
                              ['status', 'next_timer_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_index('ix_process_instance_timer_due')
