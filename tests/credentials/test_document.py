"""The credential's and the status list's shapes, without an app."""

from __future__ import annotations

import gzip
import hashlib
from datetime import UTC, datetime

from eduapp.credentials import document

ISSUER = document.Issuer(id="https://learn.example.org", name="Harbour School of Massage")
FACTS = {
    "course_slug": "massage-pain-rehab",
    "course_title": "Massage for Low Back Pain",
    "course_version": "2",
    "ce_hours": "1.5",
    "ce_categories": ["research"],
    "approvals": [{"body": "NCBTMB", "number": "451234-26"}],
    "completed_on": "2026-11-20",
    "participant": "Dana Reyes",
    "provider": {"name": "Harbour School of Massage", "contact": "12 Quay Street"},
}


def subject(**changes: object) -> document.Subject:
    values: dict[str, object] = {
        "code": "cAbc",
        "facts": FACTS,
        "issued_at": datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        "identity_salt": "salt",
        "identity_hash": document.identity_hash("Dana@Example.org ", "salt"),
        "status_index": 4242,
        **changes,
    }
    return document.Subject(**values)  # type: ignore[arg-type]


def test_the_bitstring_is_gzip_base64url_with_the_first_bit_most_significant() -> None:
    encoded = document.encode_bitstring([0, 9, 131_071])
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    bits = document.decode_bitstring(encoded)
    assert len(bits) * 8 == document.STATUS_LIST_BITS == 131_072  # the spec's 16 KiB minimum
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [i for i in range(64) if document.bit_is_set(bits, i)] == [0, 9]
    # Plain GZIP underneath, readable by any implementation.
    body = encoded[1:]
    import base64

    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw == bits
    # The same list encodes to the same text, so its signature does not churn.
    assert document.encode_bitstring([9, 0, 131_071]) == encoded


def test_the_email_is_hashed_as_open_badges_asks() -> None:
    expected = hashlib.sha256(b"dana@example.orgsalt").hexdigest()
    assert document.identity_hash(" Dana@Example.org", "salt") == f"sha256${expected}"


def test_the_credential_dates_from_the_original_issue_and_carries_the_hours() -> None:
    credential = document.achievement_credential(ISSUER, subject())
    assert credential["validFrom"] == "2026-11-21T09:30:00Z"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["creditsAvailable"] == 1.5
    assert credential["credentialSubject"]["creditsEarned"] == 1.5
    assert "NCBTMB approval no. 451234-26" in achievement["description"]
    assert "dana@example.org" not in str(credential).lower()
    claims = document.jwt_claims(credential)
    assert claims["iss"] == ISSUER.id and claims["jti"] == credential["id"]
    assert claims["nbf"] == int(datetime(2026, 11, 21, 9, 30, tzinfo=UTC).timestamp())
