"""reminder log

One row per reminder sent (person, reason, their local date), so `flask ce remind` never
sends the same reminder twice in a day.

Revision ID: 8eb7de1bf8e2
Revises: 48c7061a4af9
Create Date: 2026-11-24 01:06:32.499323

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8eb7de1bf8e2'
down_revision = '48c7061a4af9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=80), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_logs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_logs')),
    sa.UniqueConstraint('user_id', 'reason', 'sent_on', name=op.f('uq_reminder_logs_user_id_reason_sent_on'))
    )


def downgrade():
    op.drop_table('reminder_logs')
