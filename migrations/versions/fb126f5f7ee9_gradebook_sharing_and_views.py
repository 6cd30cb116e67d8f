"""gradebook: learners' consent to share results, and the record of per-learner views

The studio's gradebook (issue 14) shows owners per-learner rows only for learners who chose
to share, and records every showing of per-learner rows:
- `enrolments.results_shared_at`: when the learner chose, on the course page, to share their
  results with the course's owners and co-authors. Nobody shares until they choose (NULL).
- `gradebook_views`: who saw per-learner rows of which course, when, how many learners, as
  admin or as owner, on the page or in a CSV. Append-only.

Revision ID: fb126f5f7ee9
Revises: 4fc8e2ca4a4c
Create Date: 2026-12-04 06:52:18.329170

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fb126f5f7ee9'
down_revision = '4fc8e2ca4a4c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gradebook_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('learners_shown', sa.Integer(), nullable=False),
    sa.Column('as_admin', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_gradebook_views_course_id_courses')),
    sa.ForeignKeyConstraint(['viewer_id'], ['users.id'], name=op.f('fk_gradebook_views_viewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gradebook_views'))
    )
    with op.batch_alter_table('gradebook_views', schema=None) as batch_op:
        batch_op.create_index('ix_gradebook_views_course_at', ['course_id', 'viewed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_gradebook_views_viewer_id'), ['viewer_id'], unique=False)

    op.create_table('gradebook_view_learners',
    sa.Column('view_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_gradebook_view_learners_user_id_users')),
    sa.ForeignKeyConstraint(['view_id'], ['gradebook_views.id'], name=op.f('fk_gradebook_view_learners_view_id_gradebook_views')),
    sa.PrimaryKeyConstraint('view_id', 'user_id', name=op.f('pk_gradebook_view_learners'))
    )
    with op.batch_alter_table('gradebook_view_learners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gradebook_view_learners_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_shared_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('results_shared_at')

    with op.batch_alter_table('gradebook_view_learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gradebook_view_learners_user_id'))

    op.drop_table('gradebook_view_learners')

    with op.batch_alter_table('gradebook_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gradebook_views_viewer_id'))
        batch_op.drop_index('ix_gradebook_views_course_at')

    op.drop_table('gradebook_views')
