"""task_draft: a person's unsubmitted input on a human task, autosaved

Revision ID: e5b1d7a3c920
Revises: a7c41e2b9d03
Create Date: 2026-11-29 20:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e5b1d7a3c920'
down_revision = 'a7c41e2b9d03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('bpmn_id', sa.String(length=100), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_task_draft_instance_id_process_instance')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_task_draft_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_draft')),
        sa.UniqueConstraint('instance_id', 'bpmn_id', 'user_id', name='uq_task_draft_instance_id'),
    )


def downgrade():
    op.drop_table('task_draft')
