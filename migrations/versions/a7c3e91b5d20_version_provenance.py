"""process versions record their source: files, the web modeler or a zip, with file checksums

Revision ID: a7c3e91b5d20
Revises: b41c7e2a9d10
Create Date: 2026-11-29 19:00:00

"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'a7c3e91b5d20'
down_revision = 'b41c7e2a9d10'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=False,
                                      server_default='files'))
        batch_op.add_column(sa.Column('file_checksums', JSON, nullable=False,
                                      server_default='{}'))
        batch_op.add_column(sa.Column('source_note', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('files_matched_at', sa.DateTime(timezone=True),
                                      nullable=True))
    # Versions deployed before: the command line deployed as nobody, the modeler as a designer.
    table = sa.table('process_version', sa.column('id', sa.Integer),
                     sa.column('files', JSON), sa.column('deployed_by', sa.Integer),
                     sa.column('source', sa.String), sa.column('file_checksums', JSON))
    conn = op.get_bind()
    for row in conn.execute(sa.select(table.c.id, table.c.files, table.c.deployed_by)).all():
        files = row.files if isinstance(row.files, dict) else json.loads(row.files)
        sums = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in files.items()}
        conn.execute(table.update().where(table.c.id == row.id).values(
            file_checksums=sums, source='files' if row.deployed_by is None else 'modeler'))
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.alter_column('source', server_default=None)
        batch_op.alter_column('file_checksums', server_default=None)
        batch_op.alter_column('source_note', server_default=None)


def downgrade():
    with op.batch_alter_table('process_version', schema=None) as batch_op:
        batch_op.drop_column('files_matched_at')
        batch_op.drop_column('source_note')
        batch_op.drop_column('file_checksums')
        batch_op.drop_column('source')
