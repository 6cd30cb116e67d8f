"""``review: after_last_attempt`` waits for the learner's own last attempt: submitted attempts
only, with the extra attempts an accommodation grants, and never when attempts are unlimited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Quiz
from eduapp.quiz import accommodations
from tests.conftest import AuthActions, csrf_token

QUIZ = "/courses/sample-course/quizzes/first-steps"
EXPLANATION = "Because the module says so"


def configure(**settings: object) -> None:
    db.session.execute(db.update(Quiz).where(Quiz.key == "first-steps").values(**settings))
    db.session.commit()


def start(client: FlaskClient) -> str:
    response = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)})
    location = response.headers["Location"]
    assert location.startswith("/attempts/"), location
    return location


def submit(client: FlaskClient, path: str) -> None:
    client.post(path + "/submit", data={"confirmed": "yes", "csrf_token": csrf_token(client, QUIZ)})


def key_shown(client: FlaskClient, path: str) -> bool:
    return EXPLANATION in client.get(path + "/result").get_data(as_text=True)


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_an_open_attempt_is_not_a_submitted_one(learner: FlaskClient) -> None:
    configure(review="after_last_attempt", max_attempts=2)
    first = start(learner)
    submit(learner, first)
    last = start(learner)  # the last attempt, open: the key would help with it
    assert not key_shown(learner, first)
    submit(learner, last)
    assert key_shown(learner, first) and key_shown(learner, last)


def test_extra_attempts_granted_as_an_accommodation_come_first(
    app: Flask, learner: FlaskClient, make_user
) -> None:
    configure(review="after_last_attempt", max_attempts=3)
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    quiz = db.session.execute(db.select(Quiz).filter_by(key="first-steps")).scalar_one()
    accommodations.grant(quiz, "ann@example.org", 2, 0, "Documented disability", ivy)
    db.session.commit()
    attempts, shown = [], []
    for _ in range(4):
        attempts.append(start(learner))
        submit(learner, attempts[-1])
        shown.append(key_shown(learner, attempts[0]))
    assert shown == [False] * 4  # the quiz's own 3 are not this learner's last
    page = learner.get(attempts[0] + "/result").get_data(as_text=True)
    assert "appear once you have submitted all 5 of your attempts" in page
    attempts.append(start(learner))
    submit(learner, attempts[-1])
    assert all(key_shown(learner, path) for path in attempts)


def test_unlimited_attempts_never_show_the_key_and_the_page_says_so(learner: FlaskClient) -> None:
    configure(review="after_last_attempt", max_attempts=None)
    paths = []
    for _ in range(3):
        paths.append(start(learner))
        submit(learner, paths[-1])
    note = "This quiz allows unlimited attempts, so it never shows its answers"
    for path in paths:
        page = learner.get(path + "/result").get_data(as_text=True)
        assert EXPLANATION not in page and note in page
    assert note in learner.get(QUIZ).get_data(as_text=True)
