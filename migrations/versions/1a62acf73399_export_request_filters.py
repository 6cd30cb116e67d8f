"""Export requests keep the dashboard's filters (name or email, status, sort) the manager had
on screen when they asked, so the job builds that list and the request's page can say so
(eduapp.clinics.export_jobs). NULL: everyone, as every request before this one was built.

Revision ID: 1a62acf73399
Revises: c327be435849
Create Date: 2026-12-04 17:44:55.941366

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1a62acf73399'
down_revision = 'c327be435849'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filters', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.drop_column('filters')
