"""Accommodations: a course's owners, co-authors and admins grant one learner extra attempts
or time, on record."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Attempt, Quiz, QuizAccommodation
from tests.conftest import AuthActions, csrf_token
from tests.studio.conftest import grant as grant_course

FINAL = "/courses/sample-course/quizzes/final"
PAGE = FINAL + "/accommodations"


def signed_in(app: Flask, make_user, email: str, role: str = "learner") -> FlaskClient:
    make_user(email, email.split("@")[0].title(), role=role)
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def grant(client: FlaskClient, **data: object):
    values = {
        "email": "lea@example.org",
        "extra_attempts": 0,
        "extra_minutes": 0,
        "reason": "Documented disability",
    }
    return client.post(PAGE, data={**values, **data, "csrf_token": csrf_token(client, PAGE)})


def use_attempt(client: FlaskClient) -> object:
    response = client.post(FINAL + "/start", data={"csrf_token": csrf_token(client, FINAL)})
    location = response.headers["Location"]
    if location.startswith("/attempts/"):
        client.post(
            location + "/submit",
            data={"confirmed": "yes", "csrf_token": csrf_token(client, location)},
        )
    return location


def test_extra_attempts_let_one_learner_try_again(app: Flask, imported: None, make_user) -> None:
    lea = signed_in(app, make_user, "lea@example.org")
    other = signed_in(app, make_user, "max@example.org")
    ivy = signed_in(app, make_user, "ivy@example.org", role="instructor")
    grant_course("ivy@example.org", "sample-course")
    for _ in range(3):
        use_attempt(lea)
        use_attempt(other)
    assert use_attempt(lea) == FINAL  # limit reached
    response = grant(ivy, extra_attempts=1)
    assert response.headers["Location"] == PAGE
    page = ivy.get(PAGE).get_data(as_text=True)
    assert (
        "lea@example.org" in page and "Documented disability" in page and "ivy@example.org" in page
    )
    assert "4 of 4 used" not in lea.get(FINAL).get_data(as_text=True)
    assert "3 of 4 used" in lea.get(FINAL).get_data(as_text=True)
    assert use_attempt(lea).startswith("/attempts/")
    assert use_attempt(other) == FINAL  # nobody else gained anything
    assert "You have used all 4 attempts" in lea.get(FINAL).get_data(as_text=True)


def test_extra_minutes_extend_the_deadline(app: Flask, imported: None, make_user) -> None:
    db.session.execute(db.update(Quiz).where(Quiz.key == "final").values(time_limit_minutes=30))
    db.session.commit()
    with time_machine.travel("2026-11-23 10:00:00", tick=False):
        lea = signed_in(app, make_user, "lea@example.org")
        admin = signed_in(app, make_user, "ada@example.org", role="admin")
        grant(admin, extra_minutes=15, reason="Screen reader")
        grant(admin, extra_minutes=5, reason="Second grant adds up")
        lea.post(FINAL + "/start", data={"csrf_token": csrf_token(lea, FINAL)})
        db.session.rollback()
        attempt = db.session.execute(db.select(Attempt)).scalar_one()
        assert attempt.deadline - attempt.started_at == timedelta(minutes=50)


def test_bad_grants_say_which_field_and_write_nothing(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    signed_in(app, make_user, "lea@example.org")
    ivy = signed_in(app, make_user, "ivy@example.org", role="instructor")
    grant_course("ivy@example.org", "sample-course")
    before = table_counts()
    unknown = grant(ivy, email="ghost@example.org", extra_attempts=1)
    assert b"No learner has the email ghost@example.org." in unknown.data
    assert b'id="email-error"' in unknown.data
    nothing = grant(ivy)
    assert b"Grant at least one extra attempt or some extra minutes." in nothing.data
    too_many = grant(ivy, extra_attempts=50)
    assert b'id="extra_attempts-error"' in too_many.data
    no_reason = grant(ivy, extra_attempts=1, reason="")
    assert b'id="reason-error"' in no_reason.data
    assert table_counts() == before
    assert db.session.scalar(db.select(db.func.count()).select_from(QuizAccommodation)) == 0


def test_learners_cannot_grant(app: Flask, imported: None, make_user) -> None:
    lea = signed_in(app, make_user, "lea@example.org")
    assert lea.get(PAGE).status_code == 403
    assert grant(lea, extra_attempts=5).status_code == 403
    assert "Accommodations for this quiz" not in lea.get(FINAL).get_data(as_text=True)


def test_an_instructor_who_does_not_manage_the_course_gets_404(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    """Another instructor's course is not there for them: GET and POST alike, nothing kept."""
    signed_in(app, make_user, "lea@example.org")
    olly = signed_in(app, make_user, "olly@example.org", role="instructor")
    before = table_counts()
    assert olly.get(PAGE).status_code == 404
    token = csrf_token(olly, "/login")
    response = olly.post(
        PAGE,
        data={"email": "lea@example.org", "extra_attempts": 1, "reason": "x", "csrf_token": token},
    )
    assert response.status_code == 404
    assert table_counts() == before
    assert "Accommodations for this quiz" not in olly.get(FINAL).get_data(as_text=True)
