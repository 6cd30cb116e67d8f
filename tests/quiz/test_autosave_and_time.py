"""Autosave and resume, and time limits kept by the server's clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.extensions import db
from eduapp.models import Attempt, Quiz
from tests.conftest import AuthActions, csrf_token

QUIZ = "/courses/sample-course/quizzes/first-steps"
RIGHT = {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}


def start(client: FlaskClient) -> str:
    return client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)}).headers[
        "Location"
    ]


def save(client: FlaskClient, path: str, answers: dict, json: bool = False):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        path + "/save",
        data={**answers, "csrf_token": csrf_token(client, "/account")},
        headers=headers,
    )


def attempt() -> Attempt:
    db.session.rollback()
    return db.session.execute(db.select(Attempt).order_by(Attempt.id.desc())).scalars().first()


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_saved_answers_survive_a_closed_browser(app: Flask, learner: FlaskClient) -> None:
    path = start(learner)
    response = save(learner, path, {"q-q-single": "a"})  # the no-script Save button
    assert response.headers["Location"] == path
    assert save(learner, path, {"q-q-multi": ["a", "b"]}, json=True).get_json() == {
        "saved": True,
        "questions": 2,
    }
    assert attempt().responses == {"q-single": ["a"], "q-multi": ["a", "b"]}
    # A new browser, signed in again, finds every saved answer ticked.
    other = app.test_client()
    AuthActions(other).login()
    page = other.get(path).get_data(as_text=True)
    assert 'id="q-q-single-a" value="a" checked' in page
    assert 'id="q-q-multi-b" value="b" checked' in page
    assert 'id="q-q-tf-false" value="false">' in page
    assert '<script src="/static/quiz.js" defer></script>' in page
    # Clearing an answer clears it in the save too.
    save(learner, path, {"q-q-single": ""}, json=True)
    assert attempt().responses["q-single"] == [""]


def test_save_refuses_tampering_others_and_graded_attempts(
    app: Flask, learner: FlaskClient, make_user, table_counts
) -> None:
    path = start(learner)
    before = table_counts()
    assert save(learner, path, {"q-q-single": "zzz"}).status_code == 400
    assert save(learner, path, {"q-ghost": "a"}).status_code == 400
    assert attempt().responses == {}
    make_user("bob@example.org", "Bob")
    bob = app.test_client()
    AuthActions(bob).login("bob@example.org")
    assert save(bob, path, {"q-q-single": "a"}).status_code == 404
    learner.post(
        path + "/submit",
        data={"confirmed": "yes", **RIGHT, "csrf_token": csrf_token(learner, path)},
    )
    late = save(learner, path, {"q-q-single": "b"}, json=True)
    assert late.status_code == 409 and late.get_json()["saved"] is False
    assert table_counts()["attempts"] == before["attempts"]


def timed(minutes: int = 10) -> None:
    db.session.execute(
        db.update(Quiz).where(Quiz.key == "first-steps").values(time_limit_minutes=minutes)
    )
    db.session.commit()


def test_deadline_and_grace_are_the_servers(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    timed()
    with time_machine.travel("2026-11-23 10:00:00", tick=False) as frozen:
        auth.signup()
        assert "You have 10 min from the start of an attempt" in client.get(QUIZ).get_data(
            as_text=True
        )
        path = start(client)
        assert attempt().deadline.isoformat() == "2026-11-23T10:10:00+00:00"
        page = client.get(path).get_data(as_text=True)
        assert (
            'data-deadline="2026-11-23T10:10:00+00:00"' in page
            and "<strong>10 min</strong>" in page
        )
        save(client, path, {"q-q-single": "a"})
        frozen.shift(timedelta(minutes=10, seconds=29))  # within the 30 s grace
        assert save(client, path, {"q-q-tf": "false"}, json=True).status_code == 200
        frozen.shift(timedelta(seconds=2))
        refused = save(client, path, {"q-q-multi": ["a", "b"]}, json=True)
        assert refused.status_code == 409 and "Time is up" in refused.get_json()["message"]
        assert "Time is up for this attempt" in client.get(path).get_data(as_text=True)
        # A late submit is graded with what was saved in time, whatever it posts.
        client.post(
            path + "/submit",
            data={"confirmed": "yes", **RIGHT, "csrf_token": csrf_token(client, "/account")},
        )
        graded = attempt()
        assert graded.status == "graded" and graded.score == Decimal("66.67")


def test_expired_attempts_are_closed_by_the_command_and_by_the_next_start(
    client: FlaskClient, auth: AuthActions, imported: None, runner: FlaskCliRunner
) -> None:
    timed()
    with time_machine.travel("2026-11-23 10:00:00", tick=False) as frozen:
        auth.signup()
        first = start(client)
        save(client, first, RIGHT)
        frozen.shift(timedelta(minutes=11))
        overview = client.get(QUIZ).get_data(as_text=True)
        assert "Time ran out on attempt 1" in overview
        # The next Start grades the expired attempt as saved and opens attempt 2.
        second = start(client)
        assert second != first
        db.session.rollback()
        assert db.session.get(Attempt, int(first.rsplit("/", 1)[1])).score == Decimal("100.00")
        frozen.shift(timedelta(minutes=11))
        result = runner.invoke(args=["quiz", "close-expired"])
        assert result.exit_code == 0
        assert "1 expired attempt closed" in result.output
        assert runner.invoke(args=["quiz", "close-expired"]).output == "0 expired attempts closed\n"
        assert attempt().status == "graded"
