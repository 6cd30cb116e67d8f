"""compliance summaries: each person's CE status, kept for the clinic dashboard

`compliance_summaries` holds one row per person: the worst status of their licences, the
hours counted, required and missing, and until when that stays true by date alone (issue 16:
a clinic of 10,000 staff). It is a cache: the table starts empty and the dashboard fills the
rows it needs on its next request, so there is nothing to copy here.

Revision ID: 51d50db52a80
Revises: b436b7b10c98
Create Date: 2026-12-04 11:36:10.584811

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '51d50db52a80'
down_revision = 'b436b7b10c98'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('compliance_summaries',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('computed_generation', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('counted_hundredths', sa.Integer(), nullable=True),
    sa.Column('required_hundredths', sa.Integer(), nullable=True),
    sa.Column('missing_hundredths', sa.Integer(), nullable=True),
    sa.Column('sort_name', sa.Text(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=True),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_compliance_summaries_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_compliance_summaries'))
    )


def downgrade():
    op.drop_table('compliance_summaries')
