"""Every question type makes a card that shows its key after "Show answer": accepted
answers, the right pairs, the right order; and the pages' statement count does not grow
with the deck."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from tests.conftest import FIXTURES, AuthActions
from tests.learn.test_course_pages import count_queries
from tests.review.helpers import QUIZ, cards, review_once, take, travel
from tests.review.test_pages import ALL_WRONG

TYPES = "/courses/types-course/quizzes/types"


def test_each_type_shows_its_key_and_costs_no_more_statements(
    app: Flask, client: FlaskClient, auth: AuthActions, imported: None, clock
) -> None:
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    auth.signup()
    take(client, QUIZ, ALL_WRONG)  # three cards
    travel(client, clock, timedelta(days=1, hours=1))

    def cost() -> list[int]:
        counts = []
        for path in ("/review", "/review/session", "/my-learning", "/"):
            with count_queries() as seen:
                assert client.get(path).status_code in (200, 302)
            counts.append(len(seen))
        return counts

    small = cost()
    for _ in range(3):
        review_once(client, "easy")  # the three sample-course cards, out of the way
    take(client, TYPES, {})  # nothing answered: every question missed
    travel(client, clock, timedelta(days=1, hours=1))
    assert len(cards()) == 8
    assert cost() == small
    answers = "".join(review_once(client, "good") for _ in range(5))
    for key in (
        "Accepted: goniometer; protractor",
        "15 ± 1",
        "10 to 20",
        "Gliding",
        "Record the session",
        "Ask about pain and clearance",
        "A goniometer.",
    ):
        assert key in answers, key
