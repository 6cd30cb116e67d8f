"""Endpoint secrets, sealed at rest.

We must sign every delivery, so a secret cannot be kept only as a hash the way API tokens
are. It is encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived by HKDF from
``SECRET_KEY``: a database dump alone does not reveal it, and no page shows it after the one
that made it. Changing ``SECRET_KEY`` makes the sealed secrets unreadable: deliveries then
fail with an error saying so, and the manager rotates each endpoint's secret.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PREFIX = "whsec_"


class SealError(Exception):
    """The sealed secret cannot be opened (SECRET_KEY changed since it was sealed)."""


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"eduapp webhook secrets"
    ).derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SealError(
            "the endpoint's secret cannot be read (SECRET_KEY changed?): rotate it"
        ) from None
