"""Public, machine-readable routes: a certificate's credential, the JWKS, the status list.

Public like /verify: a certificate's code is its 128-bit public id, and whoever holds it may
check it. Cross-origin reads are allowed, so browser-based wallets and verifiers can fetch
them. These GETs may write once: the first download of a credential the migration left
unsigned stores its signature, and a new key's first signature publishes the key.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Certificate, CertificateCredential
from . import keys, services

bp = Blueprint("credentials", __name__)

JWT_TYPE = "application/vc+jwt"


def _public(response: Response, cache: str) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = cache
    return response


def _credential_or_404(code: str) -> tuple[Certificate, CertificateCredential]:
    pair = db.session.execute(
        db.select(Certificate, CertificateCredential)
        .join(CertificateCredential, CertificateCredential.certificate_id == Certificate.id)
        .where(Certificate.code == code)
    ).one_or_none()
    if pair is None:
        abort(404)
    return pair[0], pair[1]


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _public(response, "no-cache")


@bp.get("/certificates/<cert:code>/credential.json")
def credential_json(code: str) -> Response:
    """The Open Badges 3.0 credential as JSON, to read; its proof is credential.jwt."""
    certificate, row = _credential_or_404(code)
    body = json.dumps(services.credential(certificate, row), ensure_ascii=False, indent=2)
    return _download(body, "application/json", f"credential-{code}.json")


@bp.get("/certificates/<cert:code>/credential.jwt")
def credential_jwt(code: str) -> Response:
    """The same credential secured as a VC-JWT: the file a verifier takes."""
    certificate, row = _credential_or_404(code)
    token = services.sign(certificate, row)
    db.session.commit()
    return _download(token, JWT_TYPE, f"credential-{code}.jwt")


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    """Every public key that ever signed a credential, retired ones included."""
    keys.register(keys.signing_key())
    db.session.commit()
    response = current_app.response_class(
        json.dumps(keys.jwks()), mimetype="application/jwk-set+json"
    )
    return _public(response, "public, max-age=300")


@bp.get("/credentials/status/revocation")
def status_list() -> Response:
    """The signed Bitstring Status List of revocations, as of this request."""
    token = services.status_list_jwt()
    db.session.commit()
    return _public(current_app.response_class(token, mimetype=JWT_TYPE), "no-cache")
