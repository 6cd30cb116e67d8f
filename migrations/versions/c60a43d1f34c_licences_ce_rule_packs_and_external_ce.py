"""licences, CE rule packs and external CE

Rule packs and their versions (seeded by `flask ce import-rules`; admins' edits are new
versions), the licences learners hold, and CE they record from elsewhere.

Revision ID: c60a43d1f34c
Revises: 43a7e1475c0a
Create Date: 2026-11-24 00:42:23.876920

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c60a43d1f34c'
down_revision = '43a7e1475c0a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_packs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('jurisdiction', sa.String(length=2), nullable=False),
    sa.Column('approving_bodies', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_packs')),
    sa.UniqueConstraint('slug', name=op.f('uq_rule_packs_slug'))
    )
    op.create_table('external_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('approved_by', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_key', sa.String(length=64), nullable=True),
    sa.Column('file_type', sa.String(length=40), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_external_credits_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_credits'))
    )
    with op.batch_alter_table('external_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_credits_user_id'), ['user_id'], unique=False)

    op.create_table('licences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('renewal_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pack_id'], ['rule_packs.id'], name=op.f('fk_licences_pack_id_rule_packs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_licences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licences'))
    )
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licences_user_id'), ['user_id'], unique=False)

    op.create_table('rule_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rule_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['pack_id'], ['rule_packs.id'], name=op.f('fk_rule_versions_pack_id_rule_packs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_versions')),
    sa.UniqueConstraint('pack_id', 'effective_from', 'origin', 'revision', name=op.f('uq_rule_versions_pack_id_effective_from_origin_revision'))
    )
    with op.batch_alter_table('rule_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_versions_pack_id'), ['pack_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rule_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_versions_pack_id'))

    op.drop_table('rule_versions')
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licences_user_id'))

    op.drop_table('licences')
    with op.batch_alter_table('external_credits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_credits_user_id'))

    op.drop_table('external_credits')
    op.drop_table('rule_packs')
