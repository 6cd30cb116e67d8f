"""account deactivation, last sign-in and admins' account changes

Admins manage accounts in the browser (issue 14) instead of only with `flask users`:
- `users.deactivated_at`: a deactivated account cannot sign in and its sessions end, while
  its records (attempts, certificates, CE, clinic memberships) stay, so deleting the row is
  not an option. Existing accounts are active (NULL).
- `users.last_sign_in_at`: shown to admins; unknown (NULL) for sign-ins before this revision.
- `account_changes`: every change an admin makes to an account (who, when, what, before and
  after, why), shown on the account's page. Append-only.

Revision ID: 4fc8e2ca4a4c
Revises: 6eee20246e74
Create Date: 2026-12-04 03:01:41.070938

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4fc8e2ca4a4c'
down_revision = '6eee20246e74'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('before', sa.String(length=60), nullable=True),
    sa.Column('after', sa.String(length=60), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['admin_id'], ['users.id'], name=op.f('fk_account_changes_admin_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_changes'))
    )
    with op.batch_alter_table('account_changes', schema=None) as batch_op:
        batch_op.create_index('ix_account_changes_user_at', ['user_id', 'changed_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_sign_in_at')
        batch_op.drop_column('deactivated_at')

    with op.batch_alter_table('account_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_account_changes_user_at')

    op.drop_table('account_changes')
