"""Missed questions become cards, due the day after, scheduled by FSRS; reviews change
nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import CardKind, ReviewLog
from eduapp.review.scheduler import FSRS_VERSION
from tests.conftest import AuthActions, csrf_token
from tests.review.helpers import (
    QUIZ,
    RIGHT,
    WRONG_SINGLE,
    cards,
    configure,
    due_now,
    review_once,
    take,
    travel,
)


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_a_missed_question_is_a_card_due_the_next_day(learner: FlaskClient, clock) -> None:
    take(learner, QUIZ, WRONG_SINGLE)
    [card] = cards()
    assert (card.kind, card.item, card.origin) == (
        CardKind.QUESTION,
        "first-steps/q-single",
        "missed",
    )
    assert "Which is true?" in card.content["prompt_html"]
    assert due_now(learner) == 0
    travel(learner, clock, timedelta(hours=23))
    assert due_now(learner) == 0
    travel(learner, clock, timedelta(hours=2))
    assert due_now(learner) == 1
    page = learner.get("/review/session").get_data(as_text=True)
    assert "Which is true?" in page and "Because the module says so" not in page
    answer = review_once(learner, "good")
    assert "Correct answer" in answer and "Because the module says so" in answer
    assert 'href="/courses/sample-course/modules/first-steps"' in answer
    db.session.rollback()
    [log] = db.session.execute(db.select(ReviewLog)).scalars().all()
    assert log.fsrs_version == FSRS_VERSION and log.rating == 3
    assert log.before["state"] == 1 and log.after["due"] > log.before["due"]


def test_right_answers_make_no_card_and_a_second_miss_no_second_card(
    learner: FlaskClient,
) -> None:
    take(learner, QUIZ, RIGHT)
    assert cards() == []
    take(learner, QUIZ, WRONG_SINGLE)
    take(learner, QUIZ, WRONG_SINGLE)
    assert [c.item for c in cards()] == ["first-steps/q-single"]


def test_intervals_grow_as_the_learner_answers_well(learner: FlaskClient, clock) -> None:
    take(learner, QUIZ, WRONG_SINGLE)
    intervals = []
    for _ in range(7):
        [card] = cards()
        travel(learner, clock, card.due + timedelta(seconds=1))
        assert due_now(learner) == 1
        review_once(learner, "good")
        [card] = cards()
        intervals.append(card.due - card.last_review)
    assert intervals == sorted(intervals)
    assert intervals[-1] > timedelta(days=20) > intervals[2]


def test_reviews_change_no_grade_attempt_or_item_total(
    learner: FlaskClient, clock, table_counts
) -> None:
    from eduapp.models import Attempt, Enrolment, ItemTotal, ModuleProgress

    take(learner, QUIZ, WRONG_SINGLE)
    travel(learner, clock, timedelta(days=2))
    learner.get("/review")

    def state() -> list:
        db.session.rollback()
        return [
            db.session.execute(db.select(model.__table__)).all()
            for model in (Attempt, ItemTotal, Enrolment, ModuleProgress)
        ]

    before, counts = state(), table_counts()
    review_once(learner, "again")
    clock.shift(timedelta(minutes=2))  # Again: due again after the first learning step
    review_once(learner, "easy")
    after = table_counts()
    assert state() == before
    assert {k: after[k] - counts[k] for k in after if after[k] != counts[k]} == {"review_logs": 2}


def test_a_second_rating_of_one_due_card_is_refused(learner: FlaskClient, clock) -> None:
    take(learner, QUIZ, WRONG_SINGLE)
    travel(learner, clock, timedelta(days=1, hours=1))
    [card] = cards()
    link = f"/review/cards/{card.id}/answer"
    token = csrf_token(learner, link)
    for _ in range(2):
        learner.post(f"/review/cards/{card.id}/rate", data={"rating": "good", "csrf_token": token})
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(ReviewLog)).scalar() == 1


def test_another_learners_card_and_bad_ratings(
    learner: FlaskClient, auth: AuthActions, clock
) -> None:
    take(learner, QUIZ, WRONG_SINGLE)
    [card] = cards()
    token = csrf_token(learner, f"/review/cards/{card.id}/answer")
    assert (
        learner.post(
            f"/review/cards/{card.id}/rate", data={"rating": "superb", "csrf_token": token}
        ).status_code
        == 400
    )
    auth.logout()
    auth.signup("bo@example.org", "Bo")
    assert learner.get(f"/review/cards/{card.id}/answer").status_code == 404
    token = csrf_token(learner, "/review")
    assert (
        learner.post(
            f"/review/cards/{card.id}/rate", data={"rating": "good", "csrf_token": token}
        ).status_code
        == 404
    )


def test_a_session_stops_after_twenty(learner: FlaskClient) -> None:
    response = learner.get("/review/session?done=20")
    assert response.status_code == 302 and "finished=20" in response.headers["Location"]


def test_a_quiz_that_hides_its_key_makes_no_card_until_it_shows_it(
    learner: FlaskClient,
) -> None:
    configure("first-steps", review="after_pass")
    take(learner, QUIZ, WRONG_SINGLE)  # 2 of 3: not a pass (80% needed)
    assert cards() == []
    learner.get("/review")
    assert cards() == []
    take(learner, QUIZ, RIGHT)  # passed: the first attempt's miss may now be a card
    assert [c.item for c in cards()] == ["first-steps/q-single"]
