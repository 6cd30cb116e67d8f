"""Quiz settings: draw, shuffle, wait between attempts, review policy, grading method."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Attempt, Quiz
from eduapp.quiz.overall import GradedAttempt, quiz_grade
from tests.conftest import FIXTURES, AuthActions, csrf_token

QUIZ = "/courses/sample-course/quizzes/first-steps"
TYPES = "/courses/types-course/quizzes/types"
RIGHT = {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}


def configure(key: str, **settings: object) -> None:
    db.session.execute(db.update(Quiz).where(Quiz.key == key).values(**settings))
    db.session.commit()


def start(client: FlaskClient, quiz: str = QUIZ):
    return client.post(quiz + "/start", data={"csrf_token": csrf_token(client, quiz)})


def snapshot_of(path: str) -> dict:
    db.session.rollback()
    return db.session.get(Attempt, int(path.rsplit("/", 1)[1])).snapshot


def submit(client: FlaskClient, path: str, answers: dict) -> None:
    client.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(client, QUIZ)},
    )


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_draw_takes_a_random_subset_and_the_page_says_so(learner: FlaskClient) -> None:
    configure("first-steps", draw=2)
    assert "2 per attempt, drawn at random" in learner.get(QUIZ).get_data(as_text=True)
    seen = set()
    for _ in range(12):
        path = start(learner).headers["Location"]
        keys = tuple(q["key"] for q in snapshot_of(path)["questions"])
        assert len(keys) == 2 and set(keys) <= {"q-single", "q-multi", "q-tf"}
        seen.add(frozenset(keys))
        submit(learner, path, {})
    assert len(seen) > 1


def test_shuffles_are_frozen_in_the_snapshot(learner: FlaskClient) -> None:
    configure("first-steps", shuffle_questions=True, shuffle_choices=True)
    orders, choice_orders = set(), set()
    for _ in range(15):
        path = start(learner).headers["Location"]
        snap = snapshot_of(path)
        orders.add(tuple(q["key"] for q in snap["questions"]))
        multi = next(q for q in snap["questions"] if q["key"] == "q-multi")
        choice_orders.add(tuple(c["key"] for c in multi["choices"]))
        page = learner.get(path).get_data(as_text=True)
        shown = sorted(
            (q["key"] for q in snap["questions"]), key=lambda k: page.index(f'name="q-{k}"')
        )
        assert shown == [q["key"] for q in snap["questions"]]  # the page follows the snapshot
        submit(learner, path, {})
    assert len(orders) > 1 and len(choice_orders) > 1


def test_description_travels_with_its_questions(app: Flask, learner: FlaskClient) -> None:
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    configure("types", draw=2, shuffle_questions=True)
    for _ in range(5):
        path = start(learner, TYPES).headers["Location"]
        snap = snapshot_of(path)
        assert snap["questions"][0]["type"] == "description"
        assert len(snap["questions"]) == 3
        learner.post(
            path + "/submit", data={"confirmed": "yes", "csrf_token": csrf_token(learner, TYPES)}
        )


def test_wait_between_attempts(client: FlaskClient, auth: AuthActions, imported: None) -> None:
    configure("first-steps", wait_minutes=90)
    learner = client
    with time_machine.travel("2026-11-23 10:00:00", tick=False) as frozen:
        auth.signup()  # inside the frozen clock, or the session cookie would date from the future
        path = start(learner).headers["Location"]
        submit(learner, path, {})
        response = start(learner)
        assert response.headers["Location"] == QUIZ
        page = learner.get(QUIZ).get_data(as_text=True)
        assert "you can start the next one from 23 November 2026, 11:30 UTC" in page
        assert "Your next attempt opens 23 November 2026, 11:30 UTC." in page
        frozen.shift(timedelta(minutes=89))
        assert start(learner).headers["Location"] == QUIZ
        frozen.shift(timedelta(minutes=2))
        assert start(learner).headers["Location"].startswith("/attempts/")


def test_review_after_pass_hides_the_key_until_passed(learner: FlaskClient) -> None:
    configure("first-steps", review="after_pass")
    path = start(learner).headers["Location"]
    submit(learner, path, {"q-q-single": "b"})
    failed = learner.get(path + "/result").get_data(as_text=True)
    assert "appear once you pass this quiz" in failed
    for secret in ("Correct answer", "Because the module says so", "No, see the module."):
        assert secret not in failed
    # Not even whether an answer was right: on a true/false item that is the key.
    assert "Incorrect" not in failed and "Your answer" in failed
    second = start(learner).headers["Location"]
    submit(learner, second, RIGHT)
    passed = learner.get(path + "/result").get_data(as_text=True)
    assert "Correct answer" in passed and "Because the module says so" in passed


@pytest.mark.parametrize(
    ("review", "visible_after_first"),
    [("immediately", True), ("never", False), ("after_last_attempt", False)],
)
def test_other_review_policies(
    learner: FlaskClient, review: str, visible_after_first: bool
) -> None:
    configure("first-steps", review=review, max_attempts=2)
    path = start(learner).headers["Location"]
    submit(learner, path, {})
    assert (
        "Because the module says so" in learner.get(path + "/result").get_data(as_text=True)
    ) is visible_after_first
    submit(learner, start(learner).headers["Location"], {})
    shown = "Because the module says so" in learner.get(path + "/result").get_data(as_text=True)
    assert shown is (review != "never")


def test_grading_methods() -> None:
    attempts = [
        GradedAttempt(1, Decimal(50), False),
        GradedAttempt(2, Decimal(90), True),
        GradedAttempt(3, Decimal(70), False),
    ]
    assert quiz_grade("highest", attempts, 80) == (Decimal(90), True)
    assert quiz_grade("first", attempts, 80) == (Decimal(50), False)
    assert quiz_grade("last", attempts, 80) == (Decimal(70), False)
    assert quiz_grade("average", attempts, 80) == (Decimal("70.00"), False)
    assert quiz_grade("average", attempts, 70) == (Decimal("70.00"), True)
    assert quiz_grade("highest", [], 80) == (None, False)


def test_last_attempt_method_decides_completion(learner: FlaskClient) -> None:
    configure("first-steps", grading_method="last")
    submit(learner, start(learner).headers["Location"], RIGHT)
    assert "You have passed this quiz." in learner.get(QUIZ).get_data(as_text=True)
    submit(learner, start(learner).headers["Location"], {})
    page = learner.get(QUIZ).get_data(as_text=True)
    assert "You have passed this quiz." not in page
    assert "Your grade is your last attempt." in page
