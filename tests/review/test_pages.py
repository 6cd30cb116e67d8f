"""The navigation's due count, My learning's calendar and retention, the review settings and
the weekly email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import OutgoingMessage, User
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import count_queries
from tests.review.helpers import QUIZ, WRONG_SINGLE, cards, review_once, take, travel

ALL_WRONG = {"q-q-single": "b", "q-q-multi": ["a"], "q-q-tf": "true"}


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def nav_due(page: str) -> int | None:
    match = re.search(r'<span class="nav-count">(\d+)<span class="visually-hidden"> due', page)
    return int(match.group(1)) if match else None


def test_the_navigation_shows_the_number_due_at_no_extra_statement(
    learner: FlaskClient, client: FlaskClient, clock
) -> None:
    take(learner, QUIZ, ALL_WRONG)
    assert nav_due(learner.get("/").get_data(as_text=True)) is None  # due tomorrow
    travel(learner, clock, timedelta(days=1, hours=1))
    with count_queries() as seen:
        page = learner.get("/").get_data(as_text=True)
    assert nav_due(page) == 3
    assert sum("review_cards" in s for s in seen) == 1  # inside the user loader's one SELECT
    assert sum("FROM users" in s for s in seen) == 1
    AuthActions(learner).logout()
    with count_queries() as seen:
        page = client.get("/").get_data(as_text=True)
    assert nav_due(page) is None and not any("review_cards" in s for s in seen)


def test_review_pages_run_a_bounded_number_of_statements(learner: FlaskClient, clock) -> None:
    def cost(path: str) -> int:
        with count_queries() as seen:
            assert learner.get(path).status_code in (200, 302)
        return len(seen)

    take(learner, QUIZ, ALL_WRONG)
    travel(learner, clock, timedelta(days=1, hours=1))
    for path in ("/review", "/review/session", "/my-learning"):
        learner.get(path)  # the process keeps the versions' content from the first request
    small = (cost("/review"), cost("/review/session"), cost("/my-learning"))
    # Nine more misses in three more courses' worth of attempts: the same number of queries.
    for _ in range(3):
        take(learner, QUIZ, ALL_WRONG)
    large = (cost("/review"), cost("/review/session"), cost("/my-learning"))
    assert large == small
    assert max(large) <= 40


def test_my_learning_shows_the_calendar_and_retention(learner: FlaskClient, clock) -> None:
    take(learner, QUIZ, ALL_WRONG)
    page = learner.get("/my-learning").get_data(as_text=True)
    assert "0 cards due now</a>, of 3 in your deck" in page
    assert '<svg class="review-calendar"' in page and "No reviews in the last 30 days" in page
    tomorrow = re.search(r'<span class="visually-hidden">(\S+): </span>(\d+)</td>', page)
    assert tomorrow  # the first day is today (0), the text table lists every day
    cells = re.findall(r'<span class="visually-hidden">(\S+): </span>(\d+)</td>', page)
    assert len(cells) == 35 and [int(n) for _, n in cells[:2]] == [0, 3]
    travel(learner, clock, timedelta(days=1, hours=1))
    review_once(learner, "again")
    clock.shift(timedelta(minutes=2))
    review_once(learner, "good")
    page = learner.get("/my-learning").get_data(as_text=True)
    assert "Retention over the last 30 days: 50% (1 of 2 reviews recalled" in page


def test_review_settings_are_checked_and_saved(learner: FlaskClient) -> None:
    token = csrf_token(learner, "/account")
    for bad, said in (
        ("0.5", "Desired retention: The desired retention must be between 0.80 and 0.95."),
        ("0.99", "Desired retention: The desired retention must be between 0.80 and 0.95."),
        ("lots", "Desired retention: Not a valid decimal value."),
        ("", "Desired retention: Give the desired retention, between 0.80 and 0.95."),
    ):
        response = learner.post(
            "/review/settings", data={"retention": bad, "csrf_token": token}, follow_redirects=True
        )
        assert said in response.get_data(as_text=True), bad
        db.session.rollback()
        assert db.session.execute(db.select(User.review_retention)).scalar_one() == 0.9
    learner.post(
        "/review/settings",
        data={"retention": "0.85", "weekly_mail": "y", "csrf_token": token},
    )
    db.session.rollback()
    user = db.session.execute(db.select(User)).scalar_one()
    assert (user.review_retention, user.review_weekly_mail) == (0.85, True)
    assert 'value="0.85"' in learner.get("/account").get_data(as_text=True)
    for edge in ("0.80", "0.95"):
        learner.post("/review/settings", data={"retention": edge, "csrf_token": token})
        db.session.rollback()
        assert db.session.execute(db.select(User.review_retention)).scalar_one() == float(edge)
    assert learner.post("/review/settings", data={"retention": "0.85"}).status_code == 400


def test_a_higher_retention_brings_cards_back_sooner(learner: FlaskClient, clock) -> None:
    take(learner, QUIZ, WRONG_SINGLE)
    intervals = {}
    for retention in ("0.8", "0.95"):
        token = csrf_token(learner, "/account")
        learner.post("/review/settings", data={"retention": retention, "csrf_token": token})
        db.session.rollback()
        assert db.session.execute(db.select(User.review_retention)).scalar_one() == float(retention)
        [card] = cards()
        card.state, card.step, card.stability, card.difficulty = 2, None, 10.0, 5.0
        card.last_review, card.due = card.due - timedelta(days=10), card.due
        db.session.commit()
        travel(learner, clock, card.due + timedelta(seconds=1))
        review_once(learner, "good")
        [card] = cards()
        intervals[retention] = card.due - card.last_review
    assert intervals["0.95"] < intervals["0.8"]


def mails() -> list[OutgoingMessage]:
    db.session.rollback()
    return list(
        db.session.execute(db.select(OutgoingMessage).order_by(OutgoingMessage.id)).scalars()
    )


def test_the_weekly_email_is_opt_in_and_at_most_one_a_week(
    learner: FlaskClient, runner, clock
) -> None:
    take(learner, QUIZ, ALL_WRONG)
    travel(learner, clock, timedelta(days=2))
    sent_before = len(mails())  # the sign-up's confirmation
    assert "Queued 0" in runner.invoke(args=["review", "send-weekly"]).output  # not opted in
    learner.post(
        "/review/settings",
        data={
            "retention": "0.9",
            "weekly_mail": "y",
            "csrf_token": csrf_token(learner, "/account"),
        },
    )
    assert "Queued 1 " in runner.invoke(args=["review", "send-weekly"]).output
    assert "Queued 0" in runner.invoke(args=["review", "send-weekly"]).output
    clock.shift(timedelta(days=6))
    assert "Queued 0" in runner.invoke(args=["review", "send-weekly"]).output
    clock.shift(timedelta(days=1, minutes=1))
    assert "Queued 1 " in runner.invoke(args=["review", "send-weekly"]).output
    weekly = mails()[sent_before:]
    assert len(weekly) == 2
    assert weekly[0].subject == "3 review cards due" and "/review" in weekly[0].body
