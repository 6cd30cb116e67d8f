"""Jobs: those that failed for good, kept for admins to see and retry (eduapp.jobs.failures);
and certificate PDFs drawn by a job after the request that issues them, so a certificate's
PDF and its hash are empty until then (eduapp.certificates.jobs); and export requests, the
audit packs a job builds for the manager who asked (eduapp.clinics.export_jobs).

Revision ID: d019c648d607
Revises: 3c8fda7fddf0
Create Date: 2026-12-04 14:42:31.176971

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd019c648d607'
down_revision = '3c8fda7fddf0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failed_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('traceback', sa.Text(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retried_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retried_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['retried_by_id'], ['users.id'], name=op.f('fk_failed_jobs_retried_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_jobs'))
    )
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failed_jobs_failed_at'), ['failed_at'], unique=False)
    op.create_table('export_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('file_key', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_export_requests_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_export_requests_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_requests'))
    )
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_requests_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_requests_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # Before, every certificate had its PDF: one still waiting for its job must be drawn first.
    waiting = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM certificates WHERE pdf IS NULL")
    ).scalar()
    if waiting:
        raise RuntimeError(
            f"{waiting} certificates still wait for their PDF: run `flask jobs run-pending` "
            "(or a worker) first"
        )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_jobs_failed_at'))

    op.drop_table('failed_jobs')
    with op.batch_alter_table('export_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_requests_user_id'))
        batch_op.drop_index(batch_op.f('ix_export_requests_clinic_id'))

    op.drop_table('export_requests')
