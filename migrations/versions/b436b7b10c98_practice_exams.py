"""practice exams: a learner's own records, apart from attempts

`practice_exams` holds each practice exam a learner takes (issue 15): the blueprint it was
drawn by, the questions drawn (a snapshot, as an attempt keeps one), the answers and, once
submitted, the score overall and per content area. Nothing else is written by a practice
exam, so attempts, grades, waits, completion, certificates and item statistics stay as they
are.

Revision ID: b436b7b10c98
Revises: 7b5229ee9f33
Create Date: 2026-12-04 07:23:05.245326

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b436b7b10c98'
down_revision = '7b5229ee9f33'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_exams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('blueprint', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('timed', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('responses', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_exams_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_exams'))
    )
    with op.batch_alter_table('practice_exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_exams_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('practice_exams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_exams_user_id'))

    op.drop_table('practice_exams')
