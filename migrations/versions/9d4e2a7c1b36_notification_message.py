"""notification message: subject and body as templates and values, read in each reader's
language

Revision ID: 9d4e2a7c1b36
Revises: 3b8e61d4c7a2
Create Date: 2026-11-30 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '9d4e2a7c1b36'
down_revision = '3b8e61d4c7a2'
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before keep their Chinese text (message stays NULL).
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'message', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                              'postgresql'), nullable=True))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('message')
