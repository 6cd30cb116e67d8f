"""Removing a licence or an external CE record, and revoking a certificate, ask first: the
question says what is lost, carries the form along, offers a way back, and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.certificates import issue
from eduapp.extensions import db
from eduapp.models import Certificate, Enrolment, ExternalCredit, Licence, RulePack, User
from tests.ce.test_my_ce import add_licence, packs, record  # noqa: F401
from tests.certificates.test_certificates import make_ce_course
from tests.conftest import AuthActions, csrf_token


def question(client: FlaskClient, url: str, page: str, **data: str) -> str:
    response = client.post(url, data={"csrf_token": csrf_token(client, page), **data})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="confirmed" value="yes"' in html
    assert "<script" not in html.split("<main", 1)[1]
    return html


@pytest.fixture
def learner(app: Flask, make_user) -> FlaskClient:
    make_user()
    client = app.test_client()
    AuthActions(client).login()
    return client


@pytest.mark.usefixtures("packs")
def test_removing_a_licence_says_what_is_kept(learner: FlaskClient) -> None:
    texas = db.session.execute(db.select(RulePack).filter_by(slug="texas")).scalar_one()
    add_licence(learner, texas, "TX-9", "2027-05-31")
    db.session.rollback()
    licence_id = db.session.execute(db.select(Licence.id)).scalar_one()
    html = question(learner, f"/my-ce/licences/{licence_id}/delete", "/my-ce")
    assert "Remove licence TX-9?" in html and "certificates and CE records are kept" in html
    assert 'href="/my-ce">Cancel' in html
    db.session.rollback()
    assert db.session.get(Licence, licence_id) is not None


@pytest.mark.usefixtures("packs")
def test_removing_an_external_record_names_it_and_its_file(learner: FlaskClient) -> None:
    record(learner)
    db.session.rollback()
    row = db.session.execute(db.select(ExternalCredit)).scalar_one()
    html = question(learner, f"/my-ce/external/{row.id}/delete", "/my-ce")
    assert "Remove “Myofascial workshop”?" in html
    assert "The record of 6 CE hours and its uploaded file are deleted" in html
    db.session.rollback()
    assert db.session.get(ExternalCredit, row.id) is not None


@pytest.mark.usefixtures("imported")
def test_revoking_a_certificate_shows_the_public_reason_first(app: Flask, make_user) -> None:
    make_user("ada@example.org", "Ada", role="admin")
    learner = make_user()
    course = make_ce_course()
    db.session.add(
        Enrolment(
            user_id=learner.id,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    )
    db.session.flush()
    certificate = issue.issue_certificate(db.session.get_one(User, learner.id), course)
    db.session.commit()
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")
    url = f"/admin/certificates/{certificate.code}/revoke"
    html = question(admin, url, "/admin/certificates", reason="<b>issued in error</b>")
    assert f"Revoke certificate {certificate.code}?" in html
    assert "&lt;b&gt;issued in error&lt;/b&gt;" in html and "<b>issued" not in html
    assert f'href="/admin/certificates?code={certificate.code}">Cancel' in html
    db.session.rollback()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    # Without a reason nothing is asked: the form's own error comes first.
    empty = admin.post(url, data={"csrf_token": csrf_token(admin, "/admin/certificates")})
    assert empty.status_code == 302
