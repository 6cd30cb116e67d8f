"""The review of a short or numeric answer: the matched answer's feedback, or the catch-all."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from eduapp.quiz.review import review_item

NUMERIC = {
    "key": "level",
    "type": "numeric",
    "points": 1,
    "answers": [
        {"value": "3", "tolerance": "0", "fraction": "1", "feedback_html": "<p>Yes.</p>"},
        {"min": "2", "max": "4", "fraction": "0.5", "feedback_html": ""},
    ],
    "feedback_wrong_html": "<p>It runs 1 to 5.</p>",
}


def answer(value: str, mark: str) -> SimpleNamespace:
    return SimpleNamespace(
        chosen=[value], mark=Decimal(mark), max_mark=Decimal(1), correct=mark == "1"
    )


def test_a_matched_answer_shows_its_own_feedback() -> None:
    assert review_item(NUMERIC, answer("3", "1")).feedback_html == ["<p>Yes.</p>"]
    # A match without feedback shows nothing, not the catch-all.
    assert review_item(NUMERIC, answer("2.5", "0.5")).feedback_html == []


def test_an_answer_matching_none_shows_the_catch_all() -> None:
    assert review_item(NUMERIC, answer("9", "0")).feedback_html == ["<p>It runs 1 to 5.</p>"]
    short = {
        "key": "name",
        "type": "short",
        "points": 1,
        "answers": [{"text": "petrissage", "fraction": "1", "feedback_html": ""}],
        "feedback_wrong_html": "<p>Read module 1.</p>",
    }
    assert review_item(short, answer("stroking", "0")).feedback_html == ["<p>Read module 1.</p>"]


def test_no_answer_shows_no_feedback() -> None:
    assert review_item(NUMERIC, None).feedback_html == []
