"""The provider's signing key and the published JWKS.

The private key is read from ``EDUAPP_CREDENTIAL_KEY`` (PEM or JWK; production refuses to
start without it) or, in development, generated once into ``instance/credential_key.pem``.
Every public key that ever signed is recorded in ``credential_keys`` and stays in the JWKS:
a credential signed before a rotation must verify for as long as the certificate stands.

RS256 because Open Badges 3.0 names it as the algorithm every VC-JWT verifier must support.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from joserfc.jwk import RSAKey
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..extensions import db
from ..models import CredentialKey

ALGORITHM = "RS256"
KEY_BITS = 2048
DEV_KEY_FILE = "credential_key.pem"


class CredentialKeyError(ValueError):
    """The configured key cannot sign credentials; the message says why."""


def parse_private_key(text: str) -> RSAKey:
    """An RSA private key from PEM or JWK JSON text, or CredentialKeyError naming what is wrong."""
    text = text.strip()
    try:
        key = RSAKey.import_key(json.loads(text) if text.startswith("{") else text.encode())
    except Exception as error:  # joserfc raises several types for unreadable keys
        raise CredentialKeyError("not an RSA private key in PEM or JWK form") from error
    if not key.is_private:
        raise CredentialKeyError("it is a public key; the private key is needed to sign")
    size = key.private_key.key_size if key.private_key is not None else 0
    if size < KEY_BITS:
        raise CredentialKeyError(f"the RSA key has {size} bits; at least {KEY_BITS} are needed")
    return key


def new_key() -> RSAKey:
    return RSAKey.generate_key(KEY_BITS, private=True)


def _write_private(path: Path, key: RSAKey) -> None:
    """Write a private key readable by its owner only, replacing any file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.as_pem(private=True))
    temporary.replace(path)


def dev_key_path(app: Flask) -> Path:
    return Path(app.instance_path) / DEV_KEY_FILE


def signing_key() -> RSAKey:
    """The key that signs now: the configured one, else development's instance file."""
    app = current_app
    configured = app.config.get("CREDENTIAL_KEY")
    if configured:
        return parse_private_key(configured)
    path = dev_key_path(app)
    if not path.exists():
        _write_private(path, new_key())
    return parse_private_key(path.read_text())


def public_jwk(key: RSAKey) -> dict[str, Any]:
    return {
        **key.as_dict(private=False),
        "kid": key.thumbprint(),
        "use": "sig",
        "alg": ALGORITHM,
    }


def register(key: RSAKey) -> CredentialKey:
    """Record the key's public half (once); a key seen for the first time retires the others.

    The caller commits. Two first signatures at once: the unique kid lets one insert win.
    """
    kid = key.thumbprint()
    row = db.session.execute(db.select(CredentialKey).filter_by(kid=kid)).scalar_one_or_none()
    if row is not None:
        return row
    row = CredentialKey(kid=kid, public_jwk=public_jwk(key))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.execute(db.select(CredentialKey).filter_by(kid=kid)).scalar_one()
    db.session.execute(
        db.update(CredentialKey)
        .where(CredentialKey.kid != kid, CredentialKey.retired_at.is_(None))
        .values(retired_at=now())
    )
    return row


def jwks() -> dict[str, Any]:
    """Every key that ever signed, current first; retired ones are marked but never dropped."""
    rows = db.session.execute(
        db.select(CredentialKey).order_by(
            CredentialKey.retired_at.is_not(None), CredentialKey.id.desc()
        )
    ).scalars()
    return {"keys": [row.public_jwk for row in rows]}


def rotate(out: Path | None) -> tuple[str, str]:
    """Make a new key and retire the current one (its public key stays published).

    Development: the new key replaces ``instance/credential_key.pem``. With a configured key
    (production) the app cannot rewrite its environment, so the new private key is written to
    ``out`` for the operator to put into ``EDUAPP_CREDENTIAL_KEY``; its public key is published
    at once, so credentials it signs verify from their first minute. The caller commits.
    """
    app = current_app
    old = signing_key()
    register(old)
    fresh = new_key()
    if app.config.get("CREDENTIAL_KEY"):
        if out is None:
            raise CredentialKeyError("the key comes from EDUAPP_CREDENTIAL_KEY: give --out FILE")
        if out.exists():
            raise CredentialKeyError(f"{out} exists; name a new file")
        _write_private(out, fresh)
    else:
        _write_private(dev_key_path(app), fresh)
    register(fresh)
    return old.thumbprint(), fresh.thumbprint()
