"""Jobs that failed for good, kept for admins to see and retry (eduapp.jobs.failures).

Revision ID: d019c648d607
Revises: 51d50db52a80
Create Date: 2026-12-04 14:42:31.176971

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd019c648d607'
down_revision = '51d50db52a80'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failed_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('traceback', sa.Text(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retried_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retried_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['retried_by_id'], ['users.id'], name=op.f('fk_failed_jobs_retried_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_jobs'))
    )
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failed_jobs_failed_at'), ['failed_at'], unique=False)



def downgrade():
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_jobs_failed_at'))

    op.drop_table('failed_jobs')
