"""open badges credentials and signing keys

Each certificate is also an Open Badges 3.0 credential (issue 15):
- `credential_keys`: the public half of every key that ever signed a credential, published in
  /.well-known/jwks.json forever (a retired key keeps its row). The private key is never here.
- `certificate_credentials`: per certificate, its random index in the revocation status list,
  the salted hash of the learner's email (the credential's recipient) and, once signed, the
  VC-JWT and its key id.

Data: every existing certificate gets its row, dated from its original issue. Rows are left
unsigned, because a migration has no signing key: the first download signs one (or
`flask credentials sign-pending` signs them all); what it says comes from the certificate's
frozen facts, so signing later changes nothing of its content. Revoked certificates show as
revoked in the status list at once, since the list is read from `certificates.revoked_at`.

Revision ID: 7b5229ee9f33
Revises: f7d8c7b0f08e
Create Date: 2026-12-04 07:24:05.990844

"""
import hashlib
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b5229ee9f33'
down_revision = 'f7d8c7b0f08e'
branch_labels = None
depends_on = None

# Bitstring Status List's minimum length; as STATUS_LIST_BITS in eduapp/credentials/document.py.
STATUS_LIST_BITS = 131_072


def upgrade():
    op.create_table('credential_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_credential_keys_kid'))
    )
    credentials = op.create_table('certificate_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('identity_salt', sa.String(length=64), nullable=False),
    sa.Column('identity_hash', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('jwt', sa.Text(), nullable=True),
    sa.Column('kid', sa.String(length=64), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_credentials_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_credentials')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_certificate_credentials_certificate_id')),
    sa.UniqueConstraint('status_index', name=op.f('uq_certificate_credentials_status_index'))
    )

    bind = op.get_bind()
    # Typed, so SQLite hands back issued_at as a datetime to copy, not as text.
    certificates = sa.table(
        'certificates',
        sa.column('id', sa.Integer),
        sa.column('user_id', sa.Integer),
        sa.column('issued_at', sa.DateTime(timezone=True)),
    )
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))
    existing = bind.execute(
        sa.select(certificates.c.id, certificates.c.issued_at, users.c.email)
        .select_from(certificates.outerjoin(users, users.c.id == certificates.c.user_id))
        .order_by(certificates.c.id)
    ).all()
    if len(existing) > STATUS_LIST_BITS:
        raise RuntimeError("more certificates than one status list holds; add a second list")
    indexes = secrets.SystemRandom().sample(range(STATUS_LIST_BITS), len(existing))
    rows = []
    for (certificate_id, issued_at, email), index in zip(existing, indexes):
        salt = secrets.token_hex(16)
        digest = hashlib.sha256(((email or '').strip().lower() + salt).encode()).hexdigest()
        rows.append({
            'certificate_id': certificate_id,
            'status_index': index,
            'identity_salt': salt,
            'identity_hash': f'sha256${digest}',
            'created_at': issued_at,
        })
    if rows:
        op.bulk_insert(credentials, rows)


def downgrade():
    op.drop_table('certificate_credentials')
    op.drop_table('credential_keys')
