"""My learning lists the learner's certificates: title, date, PDF and verification links."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Certificate, Enrolment, User
from tests.certificates.test_certificates import evaluate, make_ce_course, pass_everything
from tests.conftest import AuthActions
from tests.learn.test_course_pages import count_queries, make_course


def section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="certificates-heading".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_a_certificate_earned_shows_on_my_learning(
    app: Flask, imported: None, client: FlaskClient, auth: AuthActions
) -> None:
    make_ce_course()
    auth.signup()
    assert section(client.get("/my-learning").get_data(as_text=True)) == ""  # none yet
    pass_everything(client)
    evaluate(client)
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    mine = section(client.get("/my-learning").get_data(as_text=True))
    assert '<h2 id="certificates-heading">Certificates</h2>' in mine
    assert "<h3>Sample Course for Tests</h3>" in mine
    assert "Completed 24 November 2026 · 1 CE" in mine  # the tests' frozen day
    assert f'href="/certificates/{certificate.code}.pdf"' in mine
    assert f'href="/verify/{certificate.code}"' in mine

    # A revoked certificate no longer stands: it leaves the list.
    certificate.revoked_at = certificate.issued_at
    db.session.commit()
    assert section(client.get("/my-learning").get_data(as_text=True)) == ""


def test_my_learning_query_count_does_not_grow_with_certificates(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    learner = db.session.execute(db.select(User)).scalar_one()
    counts = []
    made = 0
    for total in (1, 6):
        while made < total:
            course = make_course(f"course-{made}", 1)
            db.session.add(
                Enrolment(
                    user_id=learner.id, course_id=course.id, version_id=course.current_version_id
                )
            )
            db.session.add(
                Certificate(
                    user_id=learner.id,
                    course_id=course.id,
                    facts={
                        "course_title": f"Course {made}",
                        "completed_on": "2026-11-20",
                        "ce_hours": "2",
                    },
                    pdf=b"%PDF-1.4 not read by My learning",
                    sha256="0" * 64,
                )
            )
            made += 1
        db.session.commit()
        with count_queries() as statements:
            html = client.get("/my-learning").get_data(as_text=True)
        assert section(html).count('class="certificate-item"') == total
        assert "20 November 2026 · 2 CEs" in html
        counts.append(len(statements))
        assert not any("certificates.pdf" in s for s in statements)  # the PDFs stay put
    assert counts[0] == counts[1], counts
