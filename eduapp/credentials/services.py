"""Credentials of certificates: created at issue, signed as VC-JWT, listed for revocation.

Services only: no request, no current_user, no commit (the caller commits once).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import current_app
from joserfc import jws
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..extensions import db
from ..models import Certificate, CertificateCredential
from . import document, keys

_RANDOM = secrets.SystemRandom()
# Open Badges 3.0 on VC 2.0 secures credentials as VC-JOSE-COSE says: the credential is the
# JWS payload itself (no "vc" claim, which was VC 1.1's) and typ SHOULD be vc+jwt.
TYP = "vc+jwt"


class CredentialFull(RuntimeError):
    """Every index of the status list is taken: a second list is needed (not built yet)."""


def _free_index() -> int:
    for _ in range(32):
        index = _RANDOM.randrange(document.STATUS_LIST_BITS)
        taken = db.session.execute(
            db.select(CertificateCredential.id).filter_by(status_index=index)
        ).first()
        if taken is None:
            return index
    raise CredentialFull("the revocation status list has no free index left")


def attach(certificate: Certificate, email: str | None) -> CertificateCredential:
    """Give a newly issued certificate its credential: a status index, the hashed identity
    and the signature. ``email`` None (the learner's account is gone): a replacement keeps
    the identity of the certificate it replaces."""
    salt, hashed = secrets.token_hex(16), None
    if email is not None:
        hashed = document.identity_hash(email, salt)
    elif certificate.replaces_id is not None:
        previous = credential_row(certificate.replaces_id)
        if previous is not None:
            salt, hashed = previous.identity_salt, previous.identity_hash
    db.session.flush()  # the certificate's id
    while True:
        row = CertificateCredential(
            certificate_id=certificate.id,
            status_index=_free_index(),
            identity_salt=salt,
            identity_hash=hashed or document.identity_hash("", salt),
            created_at=certificate.issued_at,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
            break
        except IntegrityError:  # another issue took the same index a moment ago
            continue
    sign(certificate, row)
    return row


def credential_row(certificate_id: int) -> CertificateCredential | None:
    return db.session.execute(
        db.select(CertificateCredential).filter_by(certificate_id=certificate_id)
    ).scalar_one_or_none()


def _issuer_for(certificate: Certificate) -> document.Issuer:
    # The provider's name as printed on this certificate; the id is this installation.
    return document.Issuer(
        id=current_app.config["BASE_URL"], name=certificate.facts["provider"]["name"]
    )


def credential(certificate: Certificate, row: CertificateCredential) -> dict[str, Any]:
    """The unsecured credential (the VC-JWT's payload without the JWT claims)."""
    subject = document.Subject(
        code=certificate.code,
        facts=certificate.facts,
        issued_at=certificate.issued_at,
        identity_salt=row.identity_salt,
        identity_hash=row.identity_hash,
        status_index=row.status_index,
    )
    return document.achievement_credential(_issuer_for(certificate), subject)


def _compact(claims: dict[str, Any]) -> tuple[str, str]:
    """Sign claims with the current key as a compact JWS; returns (jwt, kid)."""
    key = keys.signing_key()
    kid = keys.register(key).kid
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    header = {"alg": keys.ALGORITHM, "typ": TYP, "kid": kid}
    return jws.serialize_compact(header, payload, key), kid


def sign(certificate: Certificate, row: CertificateCredential) -> str:
    """The certificate's VC-JWT: stored once, so a download is the credential as signed.

    Certificates from before credentials existed got rows from the migration, unsigned (a
    migration has no key); the first download signs them. Two first downloads at once sign
    the same bytes (RS256 is deterministic) and the conditional update keeps one.
    """
    if row.jwt is not None:
        return row.jwt
    token, kid = _compact(document.jwt_claims(credential(certificate, row)))
    db.session.execute(
        db.update(CertificateCredential)
        .where(CertificateCredential.id == row.id, CertificateCredential.jwt.is_(None))
        .values(jwt=token, kid=kid, signed_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row)
    assert row.jwt is not None
    return row.jwt


def sign_pending(limit: int = 500) -> int:
    """Sign up to ``limit`` credentials the migration left unsigned; how many were signed."""
    pairs = db.session.execute(
        db.select(Certificate, CertificateCredential)
        .join(CertificateCredential, CertificateCredential.certificate_id == Certificate.id)
        .where(CertificateCredential.jwt.is_(None))
        .order_by(CertificateCredential.id)
        .limit(limit)
    ).all()
    for certificate, row in pairs:
        sign(certificate, row)
    return len(pairs)


def revoked_indexes() -> list[int]:
    """The bits to set: every credential whose certificate is revoked. Read from the
    certificates, so every way of revoking (admins, corrections, reissues) shows at once."""
    return list(
        db.session.execute(
            db.select(CertificateCredential.status_index)
            .join(Certificate, Certificate.id == CertificateCredential.certificate_id)
            .where(Certificate.revoked_at.is_not(None))
        ).scalars()
    )


def status_list_jwt() -> str:
    """The signed BitstringStatusListCredential, as of now."""
    config = current_app.config
    issuer = document.Issuer(id=config["BASE_URL"], name=config["PROVIDER_NAME"])
    listing = document.status_list_credential(issuer, revoked_indexes(), now())
    token, _ = _compact(document.jwt_claims(listing))
    return token
