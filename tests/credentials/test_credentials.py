"""A certificate's Open Badges 3.0 credential: signed by one JOSE library (joserfc), checked
here by another (jwcrypto) against the JWKS the app publishes, as an outside verifier would."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jwcrypto import jwk, jws, jwt

from eduapp.credentials import document
from eduapp.extensions import db
from eduapp.models import Certificate, CertificateCredential, CredentialKey
from tests.certificates.test_certificates import evaluate, make_ce_course, pass_everything
from tests.conftest import AuthActions, csrf_token

OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@pytest.fixture
def certified(app: Flask, imported: None, client: FlaskClient, auth: AuthActions) -> str:
    """A learner who completed the CE course and holds its certificate: its code."""
    make_ce_course()
    auth.signup(name="Dana Reyes", email="dana@example.org")
    pass_everything(client)
    return str(evaluate(client).headers["Location"].rsplit("/", 1)[1])


def published_keys(client: FlaskClient) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.mimetype == "application/jwk-set+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return jwk.JWKSet.from_json(response.get_data(as_text=True))


def verified(token: str, client: FlaskClient) -> dict[str, Any]:
    """jwcrypto's verdict: the claims if the signature holds with a published key, else raises."""
    key = published_keys(client).get_key(header(token)["kid"])
    assert key is not None, "the kid is not in the published JWKS"
    checked = jwt.JWT(jwt=token, key=key, algs=["RS256"], check_claims={})
    return dict(json.loads(checked.claims))


def header(token: str) -> dict[str, Any]:
    segment = token.split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


def revoked_in_status_list(client: FlaskClient, index: int) -> bool:
    response = client.get("/credentials/status/revocation")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    listing = verified(response.get_data(as_text=True), client)
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = listing["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    # Decoded as the Bitstring Status List spec says: multibase u, base64url, GZIP.
    return document.bit_is_set(document.decode_bitstring(subject["encodedList"]), index)


def test_the_credential_has_the_fields_open_badges_requires(
    app: Flask, certified: str, client: FlaskClient
) -> None:
    response = client.get(f"/certificates/{certified}/credential.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    credential = response.get_json()
    certificate = db.session.execute(db.select(Certificate).filter_by(code=certified)).scalar_one()
    assert credential["@context"][:2] == ["https://www.w3.org/ns/credentials/v2", OB3_CONTEXT]
    assert credential["id"] == f"http://localhost/certificates/{certified}/credential.json"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    issuer = credential["issuer"]
    assert issuer["id"] == "http://localhost" and "Profile" in issuer["type"]
    assert issuer["name"] == certificate.facts["provider"]["name"]
    assert credential["validFrom"] == document.timestamp(certificate.issued_at)
    assert credential["name"] == "Certificate of Achievement: " + certificate.facts["course_title"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    email_identity, name_identity = subject["identifier"]
    assert email_identity["type"] == "IdentityObject" and email_identity["hashed"] is True
    assert email_identity["identityType"] == "emailAddress"
    digest = hashlib.sha256(("dana@example.org" + email_identity["salt"]).encode()).hexdigest()
    assert email_identity["identityHash"] == f"sha256${digest}"
    assert "dana@example.org" not in response.get_data(as_text=True)
    assert name_identity["identityHash"] == "Dana Reyes" and name_identity["hashed"] is False
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["id"].startswith("http")
    assert achievement["name"] == certificate.facts["course_title"]
    assert achievement["description"] and achievement["criteria"]["narrative"]
    assert achievement["creditsAvailable"] == subject["creditsEarned"] == 1.0
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == "http://localhost/credentials/status/revocation"
    assert 0 <= int(status["statusListIndex"]) < document.STATUS_LIST_BITS
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"


def test_the_signed_credential_verifies_with_another_library_and_tampering_fails(
    app: Flask, certified: str, client: FlaskClient
) -> None:
    token = client.get(f"/certificates/{certified}/credential.jwt").get_data(as_text=True)
    head = header(token)
    assert head["alg"] == "RS256" and head["typ"] == "vc+jwt"
    assert head["kid"] in {key["kid"] for key in published_keys(client)["keys"]}
    claims = verified(token, client)
    readable = client.get(f"/certificates/{certified}/credential.json").get_json()
    assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf")} == readable
    assert claims["iss"] == readable["issuer"]["id"] and claims["jti"] == readable["id"]
    # Signed once, at issue: every download is the same bytes.
    assert client.get(f"/certificates/{certified}/credential.jwt").get_data(as_text=True) == token

    head_b64, payload_b64, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    payload["credentialSubject"]["creditsEarned"] = 40.0
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(jws.InvalidJWSSignature):
        verified(f"{head_b64}.{forged}.{signature}", client)
    # A key the provider never published signs nothing a verifier accepts.
    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid=head["kid"])
    impostor = jwt.JWT(header=head, claims=payload)
    impostor.make_signed_token(stranger)
    with pytest.raises(jws.InvalidJWSSignature):
        verified(impostor.serialize(), client)


def test_a_revoked_certificate_reads_as_revoked_in_the_status_list(
    app: Flask, certified: str, client: FlaskClient, make_user
) -> None:
    row = db.session.execute(
        db.select(CertificateCredential)
        .join(Certificate, Certificate.id == CertificateCredential.certificate_id)
        .where(Certificate.code == certified)
    ).scalar_one()
    index = row.status_index
    assert not revoked_in_status_list(client, index)
    make_user("ada@example.org", "Ada", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")
    token = csrf_token(admin, "/admin/certificates")
    fixed = admin.post(
        f"/admin/certificates/{certified}/correct",
        data={"csrf_token": token, "reason": "name misspelled"},
    )
    new_code = fixed.headers["Location"].rsplit("/", 1)[1]
    db.session.rollback()
    # The correction replaces (and so revokes) the original; the new one stands.
    assert revoked_in_status_list(client, index)
    new_index = int(
        client.get(f"/certificates/{new_code}/credential.json").get_json()["credentialStatus"][
            "statusListIndex"
        ]
    )
    assert new_index != index and not revoked_in_status_list(client, new_index)
    assert (
        admin.post(
            f"/admin/certificates/{new_code}/revoke",
            data={"csrf_token": token, "reason": "issued in error", "confirmed": "yes"},
        ).status_code
        == 302
    )
    assert revoked_in_status_list(client, new_index)
    # The revoked credential itself still verifies: it was genuine; the list says it is void.
    assert verified(
        client.get(f"/certificates/{new_code}/credential.jwt").get_data(as_text=True), client
    )


def test_rotation_keeps_old_credentials_verifiable(
    app: Flask,
    certified: str,
    client: FlaskClient,
    runner: FlaskCliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_token = client.get(f"/certificates/{certified}/credential.jwt").get_data(as_text=True)
    old_kid = header(old_token)["kid"]
    refused = runner.invoke(args=["credentials", "rotate-key"])
    assert refused.exit_code != 0 and "--out" in refused.output
    out = tmp_path / "next-key.pem"
    result = runner.invoke(args=["credentials", "rotate-key", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    assert "EDUAPP_CREDENTIAL_KEY" in result.output
    db.session.rollback()
    retired = db.session.execute(db.select(CredentialKey).filter_by(kid=old_kid)).scalar_one()
    assert retired.retired_at is not None
    # The operator installs the new key and restarts.
    monkeypatch.setitem(app.config, "CREDENTIAL_KEY", out.read_text())
    status = client.get("/credentials/status/revocation").get_data(as_text=True)
    new_kid = header(status)["kid"]
    assert new_kid != old_kid and new_kid in result.output
    published = {key["kid"] for key in published_keys(client)["keys"]}
    assert {old_kid, new_kid} <= published
    assert verified(old_token, client)["jti"].endswith(f"/{certified}/credential.json")
    assert verified(status, client)


def test_development_makes_its_key_in_the_instance_folder_and_rotates_it(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "CREDENTIAL_KEY", "")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    client = app.test_client()
    first = header(client.get("/credentials/status/revocation").get_data(as_text=True))["kid"]
    key_file = tmp_path / "credential_key.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    result = runner.invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0, result.output
    second = header(client.get("/credentials/status/revocation").get_data(as_text=True))["kid"]
    assert second != first
    assert {first, second} <= {k["kid"] for k in published_keys(client)["keys"]}


def test_unknown_codes_have_no_credential(app: Flask, client: FlaskClient) -> None:
    for suffix in ("json", "jwt"):
        assert client.get(f"/certificates/c{'x' * 22}/credential.{suffix}").status_code == 404


def test_my_learning_and_the_verification_page_offer_the_credential(
    app: Flask, certified: str, client: FlaskClient
) -> None:
    mine = client.get("/my-learning").get_data(as_text=True)
    assert f"/certificates/{certified}/credential.jwt" in mine
    assert f"/certificates/{certified}/credential.json" in mine
    public = app.test_client().get(f"/verify/{certified}").get_data(as_text=True)
    assert f"/certificates/{certified}/credential.jwt" in public
    assert "/.well-known/jwks.json" in public
