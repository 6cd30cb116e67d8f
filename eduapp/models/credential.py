"""Open Badges 3.0 credentials of certificates, and the public keys that sign them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class CredentialKey(db.Model):
    """A public key the provider has signed credentials with, published in the JWKS forever.

    Only the public half is stored: the private key lives in ``instance/`` (development) or in
    ``EDUAPP_CREDENTIAL_KEY`` (production), never in the database. A retired key signs nothing
    new, but the credentials it signed must keep verifying, so its row is never deleted.
    """

    __tablename__ = "credential_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # RFC 7638 thumbprint of the public key: the JWS header's ``kid``.
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CertificateCredential(db.Model):
    """A certificate's place in the revocation status list and its signed credential.

    Created with the certificate (or by the migration for older ones). What the credential
    says is built from the certificate's frozen facts, so it is fixed at issue; ``jwt`` keeps
    the signed form once made. Whether it is revoked is read from the certificate itself, so
    revoking stays one write on one append-only record.
    """

    __tablename__ = "certificate_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
    # The certificate's bit in the revocation list; random, so neighbours say nothing.
    status_index: Mapped[int] = mapped_column(unique=True)
    # The learner's email at issue, salted and hashed (Open Badges IdentityObject): the
    # credential names its recipient without publishing the address.
    identity_salt: Mapped[str] = mapped_column(String(64))
    identity_hash: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The compact VC-JWT once signed, and the key that signed it.
    jwt: Mapped[str | None] = mapped_column(Text)
    kid: Mapped[str | None] = mapped_column(String(64))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
