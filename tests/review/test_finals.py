"""The rule that protects the finals: a final's question never becomes a card, is never
added to a deck and never shows its key on any route until the learner has passed the final
(or used every attempt); after that it is eligible like any other."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Attempt, Choice, Question, ReviewCard
from tests.conftest import AuthActions, csrf_token
from tests.review.helpers import FINAL, QUIZ, WRONG_SINGLE, cards, configure, take

SECRET = "FINAL-POOL-EXPLANATION"
KEY_TEXT = "FINAL-POOL-RIGHT-CHOICE"


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    """A CE final that shows its key once passed (as a CE final does), whose key and
    explanation are text no other page has."""
    configure("final", review="after_pass", max_attempts=3)
    question = db.session.execute(db.select(Question).filter_by(key="f-one")).scalar_one()
    question.explanation_html = f"<p>{SECRET}</p>"
    choice = db.session.execute(
        db.select(Choice).filter_by(question_id=question.id, key="a")
    ).scalar_one()
    choice.feedback_html = f"<p>{KEY_TEXT}</p>"
    db.session.commit()
    auth.signup()
    return client


def attempt_id(path: str) -> int:
    return int(path.rsplit("/", 1)[1])


def test_a_missed_final_question_is_no_card_and_cannot_be_added(learner: FlaskClient) -> None:
    path = take(learner, FINAL, {"q-f-one": "b"})
    learner.get("/review")
    assert cards() == []
    result = learner.get(path + "/result").get_data(as_text=True)
    assert "Add to my review deck" not in result and SECRET not in result
    token = csrf_token(learner, "/review")
    refused = learner.post(
        "/review/add/question",
        data={"attempt_id": attempt_id(path), "question": "f-one", "csrf_token": token},
    )
    assert refused.status_code == 404
    assert cards() == []


def test_passing_the_final_makes_its_earlier_miss_a_card(learner: FlaskClient) -> None:
    take(learner, FINAL, {"q-f-one": "b"})
    passed = take(learner, FINAL, {"q-f-one": "a"})
    assert [c.item for c in cards()] == ["final/f-one"]
    assert "Add to my review deck" not in learner.get(passed + "/result").get_data(as_text=True)


def test_using_every_attempt_also_releases_the_final(learner: FlaskClient) -> None:
    configure("final", review="after_last_attempt", max_attempts=2)
    take(learner, FINAL, {"q-f-one": "b"})
    assert cards() == []
    take(learner, FINAL, {"q-f-one": "b"})
    assert [c.item for c in cards()] == ["final/f-one"]


def test_a_final_showing_keys_immediately_still_keeps_them_out_of_the_deck(
    learner: FlaskClient,
) -> None:
    configure("final", review="immediately")
    path = take(learner, FINAL, {"q-f-one": "b"})
    assert cards() == []
    assert "Add to my review deck" not in learner.get(path + "/result").get_data(as_text=True)


def _values(app: Flask, learner_id: int) -> dict[str, list[object]]:
    db.session.rollback()
    attempts = db.session.execute(db.select(Attempt.id).filter_by(user_id=learner_id)).scalars()
    card_ids = db.session.execute(db.select(ReviewCard.id).filter_by(user_id=learner_id)).scalars()
    return {
        "slug": ["sample-course"],
        "module_slug": ["first-steps", "second-module"],
        "key": ["first-steps", "final"],
        "attempt_id": list(attempts),
        "card_id": list(card_ids),
    }


def test_no_learner_route_shows_a_final_pool_key_before_the_final_is_passed(
    app: Flask, learner: FlaskClient
) -> None:
    """Every GET route a learner can reach, with every value of theirs for its parameters,
    after failing the final and missing a module question (so the learner has cards)."""
    take(learner, FINAL, {"q-f-one": "b"})
    take(learner, QUIZ, WRONG_SINGLE)
    learner.get("/review")
    learner_id = cards()[0].user_id
    values = _values(app, learner_id)
    visited = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if any(name not in values for name in rule.arguments):
            continue
        combos: list[dict[str, object]] = [{}]
        for name in sorted(rule.arguments):
            combos = [{**c, name: v} for c in combos for v in values[name]]
        for combo in combos:
            path = rule.build(combo)[1]  # type: ignore[index]
            for query in ("", "?done=0"):
                response = learner.get(path + query)
                body = response.get_data().decode("utf-8", "replace")
                visited += response.status_code == 200
                assert SECRET not in body and KEY_TEXT not in body, path
                if "final" in path and "/attempts/" not in path:
                    assert not re.search(r"Correct answer", body), path
    assert visited > 20
    # The card session: only the module question, never the final's.
    assert [c.item for c in cards()] == ["first-steps/q-single"]
