"""cebroker reports: which completions were reported to CE Broker, in which batch

`cebroker_batches` holds each roster an admin marked as uploaded (course, who, when, the
provider tracking number); `cebroker_reports` one row per certificate in it, unique per
certificate so a completion is reported once. Both start empty.

Revision ID: 37fde5cba6c1
Revises: 51d50db52a80
Create Date: 2026-12-04 14:38:11.410014

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '37fde5cba6c1'
down_revision = '51d50db52a80'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cebroker_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('provider_tracking', sa.String(length=20), nullable=False),
    sa.Column('completions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_cebroker_batches_course_id_courses')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_cebroker_batches_reported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cebroker_batches'))
    )
    with op.batch_alter_table('cebroker_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cebroker_batches_course_id'), ['course_id'], unique=False)

    op.create_table('cebroker_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('course_tracking', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['cebroker_batches.id'], name=op.f('fk_cebroker_reports_batch_id_cebroker_batches')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_cebroker_reports_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cebroker_reports')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_cebroker_reports_certificate_id'))
    )
    with op.batch_alter_table('cebroker_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cebroker_reports_batch_id'), ['batch_id'], unique=False)



def downgrade():
    with op.batch_alter_table('cebroker_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cebroker_reports_batch_id'))

    op.drop_table('cebroker_reports')
    with op.batch_alter_table('cebroker_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cebroker_batches_course_id'))

    op.drop_table('cebroker_batches')
