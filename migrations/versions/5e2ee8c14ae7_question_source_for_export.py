"""question source for export

Each question keeps the quiz-file form it was imported from, so `flask quiz export` can write
it out again as YAML or GIFT. Existing rows stay NULL until the next `flask courses import`.

Revision ID: 5e2ee8c14ae7
Revises: 97a644ffe7ed
Create Date: 2026-11-24 00:02:56.558173

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2ee8c14ae7'
down_revision = '97a644ffe7ed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('source')
