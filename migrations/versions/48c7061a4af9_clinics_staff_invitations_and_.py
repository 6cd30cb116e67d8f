"""clinics, staff, invitations and assignments

Clinics with managers and staff (consent and leaving are dated), single-use invitations
stored as hashes, course assignments with due dates, and the audit of managers' licence edits.

Revision ID: 48c7061a4af9
Revises: c60a43d1f34c
Create Date: 2026-11-24 01:01:41.282720

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '48c7061a4af9'
down_revision = 'c60a43d1f34c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clinics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_clinics_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics')),
    sa.UniqueConstraint('name', name=op.f('uq_clinics_name'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_assignments_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_assignments_course_id_courses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('clinic_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_count', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_clinic_invites_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_invites_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_clinic_invites_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_invites')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_clinic_invites_token_hash'))
    )
    with op.batch_alter_table('clinic_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinic_invites_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('clinic_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_members_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clinic_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_members')),
    sa.UniqueConstraint('clinic_id', 'user_id', 'role', name=op.f('uq_clinic_members_clinic_id_user_id_role'))
    )
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.create_index('ix_clinic_members_clinic_role', ['clinic_id', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinic_members_user_id'), ['user_id'], unique=False)

    op.create_table('licence_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_licence_edits_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_licence_edits_editor_id_users')),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_edits_licence_id_licences')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_licence_edits_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_edits'))
    )
    with op.batch_alter_table('licence_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_edits_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('licence_edits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_edits_user_id'))

    op.drop_table('licence_edits')
    with op.batch_alter_table('clinic_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_members_user_id'))
        batch_op.drop_index('ix_clinic_members_clinic_role')

    op.drop_table('clinic_members')
    with op.batch_alter_table('clinic_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_invites_clinic_id'))

    op.drop_table('clinic_invites')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_clinic_id'))

    op.drop_table('assignments')
    op.drop_table('clinics')
