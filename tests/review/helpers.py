"""Taking quizzes and reviewing cards through HTTP, as a learner would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Quiz, ReviewCard
from tests.conftest import csrf_token

COURSE = "/courses/sample-course"
QUIZ = COURSE + "/quizzes/first-steps"
FINAL = COURSE + "/quizzes/final"
RIGHT = {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}
WRONG_SINGLE = {**RIGHT, "q-q-single": "b"}
FINAL_PROMPT = "Pick a."


def travel(client: FlaskClient, clock: Any, to: Any) -> None:
    """Move the clock (a timedelta: by it; else to that instant) and sign in again, as a
    learner coming back after the 12-hour session would."""
    from datetime import timedelta

    from tests.conftest import AuthActions

    if isinstance(to, timedelta):
        clock.shift(to)
    else:
        clock.move_to(to)
    AuthActions(client).login()


def take(client: FlaskClient, quiz: str, answers: dict[str, Any]) -> str:
    """Start and submit an attempt; returns the attempt's path."""
    start = client.post(quiz + "/start", data={"csrf_token": csrf_token(client, quiz)})
    path = start.headers["Location"]
    assert path.startswith("/attempts/"), path
    token = csrf_token(client, path)
    response = client.post(
        path + "/submit", data={"confirmed": "yes", **answers, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return path


def configure(key: str, **settings: object) -> None:
    db.session.execute(db.update(Quiz).where(Quiz.key == key).values(**settings))
    db.session.commit()


def cards() -> list[ReviewCard]:
    db.session.rollback()
    return list(db.session.execute(db.select(ReviewCard).order_by(ReviewCard.id)).scalars())


def due_now(client: FlaskClient) -> int:
    page = client.get("/review").get_data(as_text=True)
    match = re.search(r'id="due-count">(\d+) due<', page)
    assert match, page
    return int(match.group(1))


def review_once(client: FlaskClient, rating: str = "good") -> str:
    """Open the session's next card, show its answer and rate it; returns the answer page."""
    page = client.get("/review/session")
    assert page.status_code == 200, page.status_code
    answer_link = re.search(r'href="(/review/cards/\d+/answer[^"]*)"', page.get_data(as_text=True))
    assert answer_link
    link = answer_link.group(1).replace("&amp;", "&")
    answer = client.get(link).get_data(as_text=True)
    card_id = re.search(r"/review/cards/(\d+)/", link).group(1)  # type: ignore[union-attr]
    rated = client.post(
        f"/review/cards/{card_id}/rate",
        data={"rating": rating, "done": "0", "csrf_token": csrf_token(client, link)},
    )
    assert rated.status_code == 302, rated.get_data(as_text=True)
    assert rated.headers["Location"].startswith("/review/session?done=1")
    return answer
