"""Certificates issued before credentials existed get theirs from the migration, dated from
their original issue, and are signed at their first download (a migration holds no key)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from jwcrypto import jwk, jwt

from eduapp import create_app
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.credentials import document
from eduapp.extensions import db
from eduapp.models import Certificate, CertificateCredential, Course, User
from tests.conftest import FIXTURES, app_config, make_database

CREDENTIALS = "7b5229ee9f33"
# The revision just before credentials, read from the chain (merges re-chain migrations).
BEFORE = (
    ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations"))
    .get_revision(CREDENTIALS)
    .down_revision
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own database, its connections closed even when the test fails (a
    connection left open would warn in whichever test the collector next runs in)."""
    made = create_app(app_config(make_database(tmp_path, "credentials"), tmp_path))
    yield made
    with made.app_context():
        db.engine.dispose()


def test_existing_certificates_get_credentials_dated_from_their_issue(app: Flask) -> None:
    issued = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    with app.app_context():
        upgrade(revision=BEFORE)
        import_courses(load_catalogue(FIXTURES / "courses"))
        course = db.session.execute(db.select(Course)).scalars().first()
        assert course is not None
        learners = [
            User(email=f"l{n}@example.org", name=f"L{n}", password_hash="x", session_token=f"t{n}")
            for n in range(2)
        ]
        db.session.add_all(learners)
        db.session.flush()
        facts = {
            "course_slug": course.slug,
            "course_title": course.title,
            "ce_hours": "2",
            "completed_on": "2025-03-03",
            "provider": {"name": "Harbour School", "contact": "c"},
        }
        for n, learner in enumerate(learners):
            db.session.add(
                Certificate(
                    code=f"c{n}" + "x" * 21,
                    user_id=learner.id,
                    course_id=course.id,
                    issued_at=issued,
                    facts=facts,
                    pdf=b"%PDF",
                    sha256="0" * 64,
                    revoked_at=issued if n == 1 else None,
                    revoke_reason="issued in error" if n == 1 else None,
                )
            )
        db.session.commit()
        db.session.remove()

        upgrade()
        rows = db.session.execute(
            db.select(Certificate.code, CertificateCredential)
            .join(CertificateCredential)
            .order_by(Certificate.code)
        ).all()
        assert [code for code, _ in rows] == ["c0" + "x" * 21, "c1" + "x" * 21]
        assert all(row.created_at == issued and row.jwt is None for _, row in rows)
        assert len({row.status_index for _, row in rows}) == 2
        assert rows[0][1].identity_hash == document.identity_hash(
            "l0@example.org", rows[0][1].identity_salt
        )

        client = app.test_client()
        token = client.get(f"/certificates/{rows[0][0]}/credential.jwt").get_data(as_text=True)
        keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
        claims = json.loads(jwt.JWT(jwt=token, key=keys, algs=["RS256"], check_claims={}).claims)
        assert claims["validFrom"] == "2025-03-04T05:06:07Z"
        db.session.remove()
        first, second = db.session.execute(
            db.select(CertificateCredential).order_by(CertificateCredential.id)
        ).scalars()
        assert first.jwt == token and second.jwt is None  # signed at its first download
        indexes = first.status_index, second.status_index

        result = app.test_cli_runner().invoke(args=["credentials", "sign-pending"])
        assert result.exit_code == 0 and "1 credential(s) signed." in result.output
        db.session.remove()

        listing = client.get("/credentials/status/revocation").get_data(as_text=True)
        bits = document.decode_bitstring(
            json.loads(jwt.JWT(jwt=listing, key=keys, algs=["RS256"], check_claims={}).claims)[
                "credentialSubject"
            ]["encodedList"]
        )
        assert not document.bit_is_set(bits, indexes[0])
        assert document.bit_is_set(bits, indexes[1])
        db.session.remove()
        db.engine.dispose()
