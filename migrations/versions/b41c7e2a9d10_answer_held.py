"""answer.held: touting text a lawyer kept waits for a supervisor's release

Revision ID: b41c7e2a9d10
Revises: d22ef63abb08
Create Date: 2026-11-29 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41c7e2a9d10'
down_revision = 'd22ef63abb08'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('held')
