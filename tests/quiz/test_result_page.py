"""What a real attempt's result page shows under each review policy, read from its HTML.

The five things a review can tell (whether each answer was right, per-pair marks, the chosen
option's feedback, the right answer, the explanation) are each looked for with every trace the
page could carry them in: words, marks, classes, screen-reader labels, columns and order. The
expectations are the README's table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Quiz
from tests.conftest import FIXTURES, AuthActions, csrf_token

QUIZ = "/courses/review-course/quizzes/review"
ORDER = ["Health intake and consent", "Hands-on treatment", "Session notes written up"]


def _any(*patterns: str) -> Callable[[str], bool]:
    return lambda html: any(re.search(p, html) for p in patterns)


def _listed_in_the_right_order(html: str) -> bool:
    """The ordering question's rows in the right order would be its key, even unlabelled."""
    return [html.index(f">{text}<") for text in ORDER] == sorted(
        html.index(f">{text}<") for text in ORDER
    )


SHOWS: dict[str, Callable[[str], bool]] = {
    "whether each answer was right": _any(
        r'class="verdict"',
        r"✓ Correct|✗ Incorrect|◐ Partly correct|✗ Not answered",
        r'class="question (right|wrong|partial)"',
        r"Your answer, correct",
        r'class="chosen[^"]*\b(key|wrong)\b',
        r"\d marks</p>",
    ),
    "per-pair marks": _any(r'<tr class="(right|wrong)">', r"\((right|wrong)\)"),
    "the chosen option's feedback": _any(
        r'class="feedback"',
        "A suspected clot calls for referral",  # true/false: the learner said true
        "Anticoagulants make bruising more likely",  # single: the chosen (right) choice
        "Effleurage is the long gliding stroke",  # short: the catch-all for a wrong answer
    ),
    "the right answer": lambda html: (
        _any(
            r"Correct answer",
            r'class="[^"]*\bkey\b',
            r"<dt>Accepted</dt>",
            r'<th scope="col">Correct</th>',
        )(html)
        or _listed_in_the_right_order(html)
    ),
    "the explanation": _any(
        r'class="explanation"',
        "Pressure does not make a possible clot safe",
        "Blood thinners call for lighter pressure",
        "classic Swedish strokes",
        "Consent comes before touch",
        "opens and closes most Swedish sessions",
    ),
}
ALL = dict.fromkeys(SHOWS, True)
NONE = dict.fromkeys(SHOWS, False)
# The README table: before the policy allows (a failed attempt), and once it does.
EXPECTED = {
    ("immediately", "failed"): ALL,
    ("immediately", "allowed"): ALL,
    ("after_pass", "failed"): NONE,
    ("after_pass", "allowed"): ALL,
    ("after_last_attempt", "failed"): NONE,
    ("after_last_attempt", "allowed"): ALL,
    ("never", "failed"): NONE,
    ("never", "allowed"): NONE,  # not even after a pass on the last attempt
}


def option_keys(html: str) -> dict[str, str]:
    return {text: key for key, text in re.findall(r'value="eff:(o\d)">([^<]+)<', html)}


def pairs(keys: dict[str, str], **matches: str) -> list[str]:
    return [f"{stem}:{keys[text]}" for stem, text in matches.items()]


def take(client: FlaskClient, right: bool) -> str:
    """Start and submit an attempt: all right, or the failed mix every test reviews."""
    path = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)}).headers[
        "Location"
    ]
    keys = option_keys(client.get(path).get_data(as_text=True))
    if right:
        answers = {
            "q-tf": "false",
            "q-single": "a",
            "q-match": pairs(keys, eff="Gliding", pet="Kneading", tap="Percussion"),
            "q-order": ["intake:1", "treat:2", "record:3"],
            "q-short": "Effleurage",
        }
    else:  # 1 + 1/3 + 1/3 of 5 marks: one right, two partly right, two wrong
        answers = {
            "q-tf": "true",
            "q-single": "a",
            "q-match": pairs(keys, eff="Gliding", pet="Percussion", tap="Kneading"),
            "q-order": ["intake:1", "treat:3", "record:2"],
            "q-short": "petrissage",
        }
    client.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(client, path)},
    )
    return path


@pytest.fixture
def learner(app: Flask, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    import_courses(load_catalogue(FIXTURES / "review"))
    db.session.commit()
    auth.signup()
    return client


@pytest.mark.parametrize(("review", "case"), list(EXPECTED))
def test_what_the_result_page_shows(learner: FlaskClient, review: str, case: str) -> None:
    db.session.execute(db.update(Quiz).values(review=review, max_attempts=2))
    db.session.commit()
    failed = take(learner, right=False)
    if case == "allowed":
        # The second attempt is the last; it passes, except where passing is not the point.
        take(learner, right=review != "after_last_attempt")
    html = learner.get(failed + "/result").get_data(as_text=True)
    # The score always shows.
    assert '"big-score">33.3%</p>' in html and "Not passed</strong> · 1.7 of 5 marks" in html
    shown = {item: looks_for(html) for item, looks_for in SHOWS.items()}
    assert shown == EXPECTED[review, case]


def test_a_hidden_key_still_shows_the_learners_own_answers(learner: FlaskClient) -> None:
    db.session.execute(db.update(Quiz).values(review="never"))
    db.session.commit()
    html = learner.get(take(learner, right=False) + "/result").get_data(as_text=True)
    assert html.count("Your answer") == 3  # the two choices picked, and the short answer
    assert "<dd>petrissage</dd>" in html
    assert '<th scope="row">Petrissage</th><td>Percussion</td>' in html
    assert '<th scope="row">Hands-on treatment</th><td>3</td>' in html
    assert "This quiz does not show its answers." in html
