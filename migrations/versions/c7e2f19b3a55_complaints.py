"""complaint: a citizen's complaint about conduct, its own act (not a dissatisfied rating)

Revision ID: c7e2f19b3a55
Revises: a7c3e91b5d20
Create Date: 2026-11-29 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7e2f19b3a55'
down_revision = 'a7c3e91b5d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'complaint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('citizen_id', sa.Integer(), nullable=False),
        sa.Column('lawyer_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['citizen_id'], ['user_account.id'], name=op.f('fk_complaint_citizen_id_user_account')),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_complaint_consultation_id_consultation')),
        sa.ForeignKeyConstraint(['lawyer_id'], ['user_account.id'], name=op.f('fk_complaint_lawyer_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_consultation_id'), ['consultation_id'], unique=False)
    with op.batch_alter_table('answer_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_answer_review_complaint_id'), ['complaint_id'])
        batch_op.create_foreign_key(batch_op.f('fk_answer_review_complaint_id_complaint'), 'complaint', ['complaint_id'], ['id'])


def downgrade():
    with op.batch_alter_table('answer_review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_answer_review_complaint_id_complaint'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_answer_review_complaint_id'), type_='unique')
        batch_op.drop_column('complaint_id')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_consultation_id'))
    op.drop_table('complaint')
