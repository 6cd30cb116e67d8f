"""What a credential and the revocation status list say, as plain data (no app, no keys).

Follows Open Badges 3.0 (1EdTech, https://www.imsglobal.org/spec/ob/v3p0/) for the
OpenBadgeCredential / AchievementSubject / Achievement / Profile shapes, the W3C Verifiable
Credentials Data Model 2.0 for ``validFrom`` and the v2 context, and W3C Bitstring Status List
v1.0 for ``credentialStatus`` and the list itself.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
# Bitstring Status List: at least 16 KiB (131,072 entries), so one list is never small enough
# to single anyone out; indexes are drawn at random across it.
STATUS_LIST_BITS = 131_072


@dataclass(frozen=True)
class Issuer:
    """The provider, as the credential's Profile and the JWT's ``iss``."""

    id: str  # the installation's base URL
    name: str


@dataclass(frozen=True)
class Subject:
    """Everything about one certificate the credential needs, read from the database."""

    code: str
    facts: dict[str, Any]
    issued_at: datetime
    identity_salt: str
    identity_hash: str
    status_index: int


def identity_hash(email: str, salt: str) -> str:
    """Open Badges' hashed IdentityObject: ``sha256$`` and the hex digest of email + salt,
    the email lower-cased so a verifier holding the address can reproduce it."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def timestamp(moment: datetime) -> str:
    """An XML Schema dateTime in UTC with a Z, as VC 2.0 asks for ``validFrom``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_url(base_url: str, code: str) -> str:
    return f"{base_url}/certificates/{code}/credential.json"


def status_list_url(base_url: str) -> str:
    return f"{base_url}/credentials/status/revocation"


def _hours(value: str) -> float:
    return float(value)


def achievement_credential(issuer: Issuer, subject: Subject) -> dict[str, Any]:
    """The OpenBadgeCredential (AchievementCredential) of one certificate.

    Built from the facts frozen at issue, so it says what the certificate printed; validFrom
    is the original issue, whenever the credential is signed.
    """
    facts = subject.facts
    hours = _hours(facts["ce_hours"])
    course = facts["course_title"]
    version = facts.get("course_version")
    achievement_id = f"{issuer.id}/courses/{facts['course_slug']}" + (
        f"#version-{version}" if version else ""
    )
    approvals = "; ".join(
        f"{a['body']} approval no. {a['number']}" for a in facts.get("approvals") or []
    )
    description = f"Continuing education course for massage therapists: {course}" + (
        f" (version {version})" if version else ""
    )
    description += f", {facts['ce_hours']} CE hour{'s' if hours != 1 else ''}."
    if approvals:
        description += f" Approvals: {approvals}."
    status_url = status_list_url(issuer.id)
    identifiers: list[dict[str, Any]] = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": subject.identity_hash,
            "salt": subject.identity_salt,
        }
    ]
    if facts.get("participant"):
        # Printed on the certificate and shown on its public verification page already.
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": facts["participant"],
            }
        )
    return {
        "@context": CONTEXT,
        "id": credential_url(issuer.id, subject.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Certificate of Achievement: {course}",
        "description": f"Certificate {subject.code}, verifiable at "
        f"{issuer.id}/verify/{subject.code}.",
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.id},
        "validFrom": timestamp(subject.issued_at),
        "awardedDate": timestamp(subject.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "creditsEarned": hours,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": course,
                "description": description,
                "criteria": {
                    "narrative": "Completed every module of the course and passed its final "
                    f"assessment (completed on {facts['completed_on']}), then submitted the "
                    "course evaluation."
                },
                "creditsAvailable": hours,
                "fieldOfStudy": "Massage therapy continuing education",
                "tag": list(facts.get("ce_categories") or []),
            },
        },
        "credentialStatus": {
            "id": f"{status_url}#{subject.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(subject.status_index),
            "statusListCredential": status_url,
        },
        "credentialSchema": [SCHEMA],
    }


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The VC-JWT payload: the credential itself plus the registered claims Open Badges 3.0
    maps from it (iss from issuer.id, jti from id, nbf from validFrom)."""
    valid_from = datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ")
    return {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(valid_from.replace(tzinfo=UTC).timestamp()),
    }


def encode_bitstring(revoked: Iterable[int], size: int = STATUS_LIST_BITS) -> str:
    """Bitstring Status List encodedList: bit 0 is the first byte's most significant bit,
    GZIP-compressed, base64url without padding, with the multibase ``u`` prefix."""
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list compresses to the same bytes, so its signature is stable too.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode_bitstring(encoded: str) -> bytes:
    """The inverse, as a verifier does it (tests use it to read the list)."""
    body = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    issuer: Issuer, revoked: Iterable[int], valid_from: datetime
) -> dict[str, Any]:
    """The BitstringStatusListCredential listing every revoked certificate's bit."""
    url = status_list_url(issuer.id)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked),
        },
    }
