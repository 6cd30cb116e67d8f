"""Export requests may be about a course (the gradebook's learners CSV, built by the same
``build_export`` job as a clinic's exports): ``clinic_id`` becomes nullable, ``course_id`` is
added, and a check keeps exactly one of them set (eduapp.models.export).

Downgrading deletes the course exports first: a clinic id cannot be made up for them. Their
files stay under FILES_DIR/exports/ unreferenced, as any deleted request's would.

Revision ID: db88592ae455
Revises: 1a62acf73399
Create Date: 2026-12-04 18:17:50.265853

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db88592ae455'
down_revision = '1a62acf73399'
branch_labels = None
depends_on = None

ONE_SUBJECT = (
    "(clinic_id IS NOT NULL AND course_id IS NULL) OR (clinic_id IS NULL AND course_id IS NOT NULL)"
)


def upgrade():
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))
        batch_op.alter_column('clinic_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f('ix_export_requests_course_id'), ['course_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_export_requests_course_id_courses'), 'courses', ['course_id'], ['id']
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_export_requests_one_subject'), ONE_SUBJECT
        )


def downgrade():
    op.execute(sa.text("DELETE FROM export_requests WHERE clinic_id IS NULL"))
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_export_requests_one_subject'), type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_export_requests_course_id_courses'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_export_requests_course_id'))
        batch_op.alter_column('clinic_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('course_id')
