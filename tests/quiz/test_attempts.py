"""Taking quizzes over HTTP: start, resume, submit once, review; limits and tampering."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Answer, Attempt, Enrolment, ModuleProgress
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder

COURSE = "/courses/sample-course"
QUIZ = COURSE + "/quizzes/first-steps"
FINAL = COURSE + "/quizzes/final"
RIGHT = {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}


def start(client: FlaskClient, quiz: str = QUIZ) -> str:
    response = client.post(quiz + "/start", data={"csrf_token": csrf_token(client, quiz)})
    assert response.status_code == 302, response.data
    return response.headers["Location"]


def submit(client: FlaskClient, attempt_path: str, answers: dict) -> object:
    token = (
        csrf_token(client, attempt_path)
        if client.get(attempt_path).status_code == 200
        else csrf_token(client, "/my-learning")
    )
    return client.post(
        attempt_path + "/submit", data={"confirmed": "yes", **answers, "csrf_token": token}
    )


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_quiz_page_never_contains_the_answer_key(learner: FlaskClient) -> None:
    path = start(learner)
    assert re.fullmatch(r"/attempts/\d+", path)
    html = learner.get(path).get_data(as_text=True)
    assert "Which is true?" in html and "The right one" in html and "The wrong one" in html
    for secret in (
        "correct",
        "Yes.",
        "No, see the module",
        "Because the module says so",
        "C is a myth",
        "feedback",
        "explanation",
    ):
        assert secret not in html, secret
    assert 'type="checkbox" name="q-q-multi"' in html
    assert 'type="radio" name="q-q-tf" id="q-q-tf-false" value="false"' in html


def test_submit_grades_and_the_result_explains(learner: FlaskClient) -> None:
    path = start(learner)
    response = submit(
        learner, path, {"q-q-single": "b", "q-q-multi": ["a", "b"], "q-q-tf": "false"}
    )
    assert response.headers["Location"] == path + "/result"
    html = learner.get(path + "/result").get_data(as_text=True)
    assert "66.7%" in html and "Not passed" in html and "2 of 3 marks" in html
    assert "No, see the module." in html  # feedback of the chosen wrong option
    assert "Yes." not in html  # feedback of an option not chosen stays hidden
    assert "Because the module says so" in html  # explanation
    assert "✗ Incorrect" in html and html.count("✓ Correct") == 2
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert (attempt.status, attempt.score, attempt.passed) == ("graded", Decimal("66.67"), False)
    answers = db.session.execute(db.select(Answer).order_by(Answer.position)).scalars().all()
    assert [(a.chosen, a.mark, a.max_mark, a.correct) for a in answers] == [
        (["b"], Decimal(0), Decimal(1), False),
        (["a", "b"], Decimal(1), Decimal(1), True),
        (["false"], Decimal(1), Decimal(1), True),
    ]
    overview = learner.get(QUIZ).get_data(as_text=True)
    assert f'<a href="{path}/result">Attempt 1</a>' in overview
    assert "Start attempt 2" in overview


def test_unanswered_questions_score_zero(learner: FlaskClient) -> None:
    path = start(learner)
    submit(learner, path, {})
    assert "✗ Not answered" in learner.get(path + "/result").get_data(as_text=True)


def test_start_resumes_the_open_attempt(learner: FlaskClient) -> None:
    first = start(learner)
    assert start(learner) == first
    assert "Resume attempt 1" in learner.get(QUIZ).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == 1
    assert learner.get(first + "/result").headers["Location"] == first


def test_passing_the_quiz_completes_a_read_module(learner: FlaskClient) -> None:
    learner.post(
        COURSE + "/modules/first-steps/read",
        data={"csrf_token": csrf_token(learner, COURSE + "/modules/first-steps")},
    )
    assert db.session.execute(db.select(ModuleProgress)).scalar_one().completed_at is None
    submit(learner, start(learner), RIGHT)
    db.session.rollback()  # end the test's read snapshot to see what the request committed
    assert db.session.execute(db.select(ModuleProgress)).scalar_one().completed_at is not None


def test_passing_everything_completes_the_course_and_my_learning_shows_it(
    learner: FlaskClient,
) -> None:
    for module in ("first-steps", "second-module"):
        path = f"{COURSE}/modules/{module}"
        learner.post(path + "/read", data={"csrf_token": csrf_token(learner, path)})
    submit(learner, start(learner), RIGHT)
    assert db.session.execute(db.select(Enrolment)).scalar_one().completed_at is None
    submit(learner, start(learner, FINAL), {"q-f-one": "a"})
    db.session.rollback()  # end the test's read snapshot to see what the request committed
    assert db.session.execute(db.select(Enrolment)).scalar_one().completed_at is not None
    html = learner.get("/my-learning").get_data(as_text=True)
    assert "Completed</h2>" in html and "In progress</h2>" not in html
    assert 'value="100"' in html and "2 of 2" in html and "8 min" in html
    assert "First steps quiz</a>: 100%" in html and "Final assessment</a>: 100%" in html


def test_attempt_limit_holds(learner: FlaskClient) -> None:
    for _ in range(3):
        submit(learner, start(learner, FINAL), {"q-f-one": "b"})
    response = learner.post(FINAL + "/start", data={"csrf_token": csrf_token(learner, FINAL)})
    assert response.headers["Location"] == FINAL
    page = learner.get(FINAL).get_data(as_text=True)
    assert "You have used all 3 attempts allowed for this quiz." in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == 3


def test_second_submit_is_refused_and_changes_nothing(learner: FlaskClient) -> None:
    path = start(learner)
    submit(learner, path, RIGHT)
    token = csrf_token(learner, QUIZ)
    again = learner.post(
        path + "/submit", data={"confirmed": "yes", "q-q-single": "b", "csrf_token": token}
    )
    assert again.status_code == 409
    assert b"This attempt was already submitted" in again.data
    assert db.session.execute(db.select(Attempt)).scalar_one().score == Decimal("100.00")
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 3


@pytest.mark.parametrize(
    "answers",
    [
        {"q-q-single": "zzz"},
        {"q-q-single": ["a", "b"]},
        {"q-ghost": "a"},
    ],
)
def test_tampered_answers_are_refused_and_write_nothing(
    learner: FlaskClient, answers: dict, table_counts
) -> None:
    path = start(learner)
    before = table_counts()
    response = submit(learner, path, answers)
    assert response.status_code == 400
    assert b"These answers do not fit this quiz" in response.data
    assert table_counts() == before
    assert db.session.execute(db.select(Attempt)).scalar_one().status == "in_progress"


def test_other_peoples_and_missing_attempts_are_404(
    app: Flask, learner: FlaskClient, make_user
) -> None:
    path = start(learner)
    make_user("bob@example.org", "Bob")
    bob = app.test_client()
    AuthActions(bob).login("bob@example.org")
    token = csrf_token(bob, QUIZ)
    assert bob.get(path).status_code == 404
    assert bob.get(path + "/result").status_code == 404
    assert (
        bob.post(
            path + "/submit", data={"confirmed": "yes", **RIGHT, "csrf_token": token}
        ).status_code
        == 404
    )
    assert learner.get("/attempts/999999").status_code == 404
    assert db.session.execute(db.select(Attempt)).scalar_one().status == "in_progress"


def test_unknown_quiz_is_404_and_actions_need_csrf(learner: FlaskClient) -> None:
    assert learner.get(COURSE + "/quizzes/nope").status_code == 404
    assert learner.post(QUIZ + "/start").status_code == 400
    path = start(learner)
    assert learner.post(path + "/submit", data=RIGHT).status_code == 400


def test_reimport_never_changes_a_past_attempt(learner: FlaskClient, course_files: Path) -> None:
    path = start(learner)
    submit(learner, path, RIGHT)
    quiz = course_files / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text().replace("Which is true?", "Which is TRUE now?")
    text = text.replace(
        "        text: The right one\n        correct: true\n", "        text: The right one\n"
    )
    text = text.replace(
        "        text: The wrong one\n", "        text: The wrong one\n        correct: true\n"
    )
    quiz.write_text(text)
    import_folder(course_files)
    html = learner.get(path + "/result").get_data(as_text=True)
    assert "Which is true?" in html and "TRUE now" not in html
    assert "100%" in html
    # A new attempt is graded against the new key.
    second = start(learner)
    assert "Which is TRUE now?" in learner.get(second).get_data(as_text=True)
