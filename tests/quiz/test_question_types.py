"""Every question type, authored in a course file, taken and reviewed through the web app."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Answer, Attempt
from tests.conftest import FIXTURES, AuthActions, csrf_token

QUIZ = "/courses/types-course/quizzes/types"
RIGHT = {
    "q-weighted": ["a", "b"],
    "q-short": "  GONIOMETER ",
    "q-number": "15.4",
    "q-order": ["intake:1", "assess:2", "treat:3", "record:4"],
}


@pytest.fixture
def learner(app: Flask, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    auth.signup()
    return client


def start(client: FlaskClient) -> str:
    return client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)}).headers[
        "Location"
    ]


def option_keys(html: str) -> dict[str, str]:
    """The option key the page offers for each matching answer text."""
    return dict(
        re.findall(r'<option value="eff:(o\d)">([^<]+)</option>', html)[i][::-1] for i in range(4)
    )


def test_attempt_page_renders_every_type_without_the_key(learner: FlaskClient) -> None:
    path = start(learner)
    html = learner.get(path).get_data(as_text=True)
    assert "<strong>Case.</strong> Sam, 34" in html
    assert 'type="checkbox" name="q-weighted"' in html
    assert 'name="q-short" id="q-short" maxlength="500"' in html
    assert 'inputmode="decimal"' in html
    assert "goniometer" not in html.lower() and "tolerance" not in html
    # Matching answers are listed alphabetically, whatever the pairs.
    texts = re.findall(r'<option value="eff:o\d">([^<]+)</option>', html)
    assert texts == ["Gliding", "Kneading", "Percussion", "Stretching"]
    # Ordering items never appear in their correct order.
    items = re.findall(r'<label for="q-order-(\w+)">', html)
    assert sorted(items) == ["assess", "intake", "record", "treat"]
    assert items != ["intake", "assess", "treat", "record"]
    assert "5 questions" in html  # the description is not counted


def test_all_right_scores_full_marks_and_review_shows_each_type(learner: FlaskClient) -> None:
    path = start(learner)
    html = learner.get(path).get_data(as_text=True)
    keys = option_keys(html)
    answers = {
        **RIGHT,
        "q-match": [
            f"eff:{keys['Gliding']}",
            f"pet:{keys['Kneading']}",
            f"tap:{keys['Percussion']}",
        ],
    }
    learner.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(learner, path)},
    )
    db.session.rollback()
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert (attempt.marks, attempt.max_marks, attempt.score, attempt.passed) == (
        Decimal(6),
        Decimal(6),
        Decimal("100.00"),
        True,
    )
    review = learner.get(path + "/result").get_data(as_text=True)
    assert review.count("✓ Correct") == 5
    assert "<dt>Accepted</dt><dd>goniometer; protractor</dd>" in review
    assert "<dt>Accepted</dt><dd>15 ± 1; 10 to 20</dd>" in review
    assert '<th scope="row">Effleurage</th><td>Gliding' in review
    assert '<th scope="row">Record the session</th><td>4' in review


def test_partial_credit_across_types(learner: FlaskClient) -> None:
    path = start(learner)
    keys = option_keys(learner.get(path).get_data(as_text=True))
    answers = {
        "q-weighted": ["a", "c"],  # 0.5 - 0.5 = 0 of 2
        "q-short": "protractor",  # half
        "q-number": "18",  # in the range: half
        "q-match": [f"eff:{keys['Gliding']}", f"pet:{keys['Stretching']}"],  # 1 of 3
        "q-order": ["intake:1", "assess:3", "treat:2", "record:4"],  # 2 of 4
    }
    learner.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(learner, path)},
    )
    db.session.rollback()
    marks = dict(
        db.session.execute(db.select(Answer.position, Answer.mark).order_by(Answer.position)).all()
    )
    assert marks == {
        0: 0,
        1: 0,
        2: Decimal("0.5"),
        3: Decimal("0.5"),
        4: Decimal("0.333"),
        5: Decimal("0.5"),
    }
    attempt = db.session.execute(db.select(Attempt)).scalar_one()
    assert attempt.score == Decimal("30.56")  # (0.5 + 0.5 + 1/3 + 0.5) / 6
    review = learner.get(path + "/result").get_data(as_text=True)
    assert "◐ Partly correct" in review and "Never promise." in review


@pytest.mark.parametrize(
    "answers",
    [
        {"q-match": ["eff:o9"]},
        {"q-order": ["intake:7"]},
        {"q-short": ["one", "two"]},
        {"q-case": "anything"},
    ],
)
def test_tampered_answers_of_new_types_are_refused(
    learner: FlaskClient, answers: dict, table_counts
) -> None:
    path = start(learner)
    before = table_counts()
    response = learner.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(learner, path)},
    )
    assert response.status_code == 400
    assert table_counts() == before
