"""Exactly once: eight simultaneous submits of one attempt grade it once, round after round.

Each thread has its own test client (and so its own app context and database session), all
carrying the learner's cookies, released together by a barrier.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from flask import Flask

from eduapp.extensions import db
from eduapp.models import Answer, Attempt
from tests.conftest import AuthActions, csrf_token

QUIZ = "/courses/sample-course/quizzes/first-steps"
THREADS = 8
ROUNDS = 20


def test_eight_concurrent_submits_grade_once(app: Flask, imported: None, make_user) -> None:
    make_user()
    learner = app.test_client()
    AuthActions(learner).login()
    clients = [app.test_client() for _ in range(THREADS)]

    for round_number in range(1, ROUNDS + 1):
        token = csrf_token(learner, QUIZ)
        started = learner.post(QUIZ + "/start", data={"csrf_token": token})
        path = started.headers["Location"]
        for client in clients:  # the same signed-in browser session, CSRF secret included
            client.set_cookie("session", learner.get_cookie("session").value)
        barrier = threading.Barrier(THREADS)
        answers = {
            "q-q-single": "a",
            "q-q-multi": ["a", "b"],
            "q-q-tf": "true",
            "csrf_token": token,
        }

        def send(client, path=path, barrier=barrier, answers=answers):
            barrier.wait()
            response = client.post(path + "/submit", data=answers)
            return response.status_code, response.get_data(as_text=True)

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(send, clients))

        statuses = sorted(status for status, _ in results)
        assert statuses == [302] + [409] * (THREADS - 1), f"round {round_number}: {statuses}"
        assert all("already submitted" in body for status, body in results if status == 409)

    db.session.rollback()
    attempts = db.session.execute(db.select(Attempt).order_by(Attempt.number)).scalars().all()
    assert [a.number for a in attempts] == list(range(1, ROUNDS + 1))
    assert {(a.status, a.score) for a in attempts} == {("graded", Decimal("66.67"))}
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 3 * ROUNDS


def test_eight_concurrent_starts_open_one_attempt(app: Flask, imported: None, make_user) -> None:
    make_user()
    learner = app.test_client()
    AuthActions(learner).login()
    final = "/courses/sample-course/quizzes/final"
    for round_number in range(1, 4):  # the final allows 3 attempts
        token = csrf_token(learner, final)
        clients = [app.test_client() for _ in range(THREADS)]
        for client in clients:
            client.set_cookie("session", learner.get_cookie("session").value)
        barrier = threading.Barrier(THREADS)

        def start(client, barrier=barrier, token=token):
            barrier.wait()
            response = client.post(final + "/start", data={"csrf_token": token})
            return response.status_code, response.headers.get("Location")

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(start, clients))
        assert {status for status, _ in results} == {302}
        locations = {location for _, location in results}
        assert len(locations) == 1 and next(iter(locations)).startswith("/attempts/")
        path = locations.pop()
        learner.post(path + "/submit", data={"confirmed": "yes", "csrf_token": token})
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == round_number
    # The limit holds: a fourth burst opens nothing.
    token = csrf_token(learner, final)
    assert learner.post(final + "/start", data={"csrf_token": token}).headers["Location"] == final
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == 3
