"""Passing a CE course's final says what comes next: the evaluation, then the certificate."""

from __future__ import annotations

import re
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import FINAL_KEY, Attempt, Certificate, Course, Quiz
from tests.certificates.test_certificates import COURSE, evaluate, make_ce_course, pass_everything
from tests.conftest import AuthActions, csrf_token, set_course_settings


def final_result(client: FlaskClient) -> str:
    db.session.rollback()
    attempt_id = (
        db.session.execute(
            db.select(Attempt.id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Quiz.key == FINAL_KEY)
            .order_by(Attempt.id.desc())
        )
        .scalars()
        .first()
    )
    return client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)


def next_step(html: str) -> str:
    found = re.search(r'<section class="next-step".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_final_result_leads_to_the_evaluation_then_the_certificate(
    app: Flask, imported: None, client: FlaskClient, auth: AuthActions
) -> None:
    make_ce_course()
    auth.signup()
    # The final passed before the modules are done: finish them first.
    page = COURSE + "/quizzes/final"
    path = client.post(page + "/start", data={"csrf_token": csrf_token(client, page)})
    path = path.headers["Location"]
    client.post(path + "/submit", data={"q-f-one": "a", "csrf_token": csrf_token(client, path)})
    step = next_step(final_result(client))
    assert "finish its remaining modules" in step
    assert f'href="{COURSE}/modules/first-steps"' in step

    pass_everything(client)  # modules, module quiz, and the final again
    step = next_step(final_result(client))
    assert "course evaluation" in step
    assert f'<a class="button" href="{COURSE}/evaluation">' in step
    assert "Evaluate the course and get your certificate" in step

    evaluate(client)
    db.session.rollback()
    code = db.session.execute(db.select(Certificate.code)).scalar_one()
    step = next_step(final_result(client))
    assert "Your certificate is ready." in step
    assert f'href="/certificates/{code}.pdf"' in step and f'href="/verify/{code}"' in step


def test_no_next_step_without_a_pass_or_without_ce_hours(
    app: Flask, imported: None, client: FlaskClient, auth: AuthActions
) -> None:
    make_ce_course()
    auth.signup()
    pass_everything(client, final="b")  # the final failed
    assert next_step(final_result(client)) == ""

    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    set_course_settings(course, ce_hours=Decimal(0))
    db.session.commit()
    pass_everything(client)  # passed, but the course carries no certificate
    html = final_result(client)
    assert "Passed" in html and next_step(html) == ""
