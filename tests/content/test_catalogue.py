"""The shipped catalogue: valid, honest about CE hours, covering the founding article, and every
quiz in it can be taken and passed through the web app."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.extensions import db
from eduapp.models import Attempt, Course, Quiz
from tests.conftest import AuthActions, catalogue, csrf_token

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = catalogue(ROOT / "courses")


@pytest.mark.parametrize("course", CATALOGUE, ids=lambda c: c.meta.slug)
def test_course_meets_the_catalogue_standard(course) -> None:
    meta = course.meta
    assert course.warnings == []
    assert meta.ce_type == "home-study"
    assert meta.ce_categories
    assert meta.passing_score == 80
    assert meta.ce_hours > 0 and meta.ce_hours <= course.supported_ce_hours
    assert meta.reviewed_on is not None and meta.authors and meta.objectives
    final = next(q for q in course.quizzes if q.key == "final")
    assert (final.passing_score, final.max_attempts) == (80, 3)
    # A certificate's key cannot be harvested by failing on purpose.
    assert final.settings == {
        "grading_method": "highest",
        "review": "after_pass",
        "draw": 20,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "wait_minutes": 24 * 60,
        "time_limit_minutes": None,
    }


def test_every_quiz_can_be_taken_and_passed_through_the_web_app(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    import_courses(CATALOGUE)
    db.session.commit()
    auth.signup()
    quizzes = db.session.execute(
        db.select(Quiz, Course.slug).join(Course).where(Quiz.retired.is_(False)).order_by(Quiz.id)
    ).all()
    assert len(quizzes) == sum(len(c.quizzes) for c in CATALOGUE)
    for quiz, slug in quizzes:
        page = f"/courses/{slug}/quizzes/{quiz.key}"
        token = csrf_token(client, page)
        attempt_path = client.post(page + "/start", data={"csrf_token": token}).headers["Location"]
        db.session.rollback()  # a fresh snapshot, to see what the request committed
        attempt = db.session.get(Attempt, int(attempt_path.rsplit("/", 1)[1]))
        answers: dict[str, list[str]] = {
            f"q-{q['key']}": [c["key"] for c in q["choices"] if c["correct"]]
            for q in attempt.snapshot["questions"]
        }
        response = client.post(
            attempt_path + "/submit", data={"confirmed": "yes", **answers, "csrf_token": token}
        )
        assert response.status_code == 302, f"{slug}/{quiz.name}: {response.status_code}"
        db.session.rollback()
        graded = db.session.get(Attempt, attempt.id)
        assert graded.passed, f"{slug}/{quiz.name} could not be passed from its own key"
