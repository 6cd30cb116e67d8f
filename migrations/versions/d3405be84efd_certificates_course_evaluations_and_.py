"""certificates, course evaluations and approvals

Certificates keep their facts and PDF as issued (append-only, one original per learner and
course); evaluations are asked before a CE certificate; courses list their board approvals.

Revision ID: d3405be84efd
Revises: 5e2ee8c14ae7
Create Date: 2026-11-24 00:22:36.883297

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3405be84efd'
down_revision = '5e2ee8c14ae7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.Column('review_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_certificates_course_id_courses')),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certificates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_certificates_one_original', ['user_id', 'course_id'], unique=True, sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))

    op.create_table('course_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_evaluations_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_evaluations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_evaluations')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_course_evaluations_user_id_course_id'))
    )
    with op.batch_alter_table('course_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_evaluations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_evaluations_user_id'), ['user_id'], unique=False)

    # Existing courses have no approvals until the next import.
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approvals', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.alter_column('approvals', existing_type=sa.JSON(), server_default=None)



def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('approvals')

    with op.batch_alter_table('course_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_evaluations_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_evaluations_course_id'))

    op.drop_table('course_evaluations')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_original', sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_course_id'))

    op.drop_table('certificates')
