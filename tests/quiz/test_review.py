"""The review of a short or numeric answer: the matched answer's feedback, or the catch-all."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from eduapp.quiz.review import hide_key, review_item

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


def test_a_hidden_key_is_left_out_of_the_data_not_only_the_page() -> None:
    """Whatever a template does with an item, it cannot show what the item does not hold."""
    true_false = {
        "question_id": 1,
        "key": "tf",
        "type": "true_false",
        "points": 1,
        "prompt_html": "<p>Light pressure makes a suspected clot safe.</p>",
        "explanation_html": "<p>Refer.</p>",
        "references": [],
        "choices": [
            {"key": "true", "text_html": "True", "feedback_html": "<p>No.</p>", "correct": False},
            {"key": "false", "text_html": "False", "feedback_html": "", "correct": True},
        ],
    }
    item = hide_key(true_false, answer("true", "0"))
    assert (item.verdict, item.partial, item.feedback_html, item.accepted) == ("", False, [], [])
    assert "explanation_html" not in item.question
    assert item.question["choices"] == [
        {"key": "true", "text_html": "True"},
        {"key": "false", "text_html": "False"},
    ]
    ordering = {
        "question_id": 2,
        "key": "steps",
        "type": "ordering",
        "points": 1,
        "order": ["intake", "treat", "record"],
        "items": [{"key": k, "text": k.title()} for k in ("record", "intake", "treat")],
    }
    rows = hide_key(ordering, answer("intake:1", "0")).rows
    # As the learner saw them, never in the right order; no expected position, no verdict.
    assert [(r.label, r.given, r.expected) for r in rows] == [
        ("Record", "—", ""),
        ("Intake", "1", ""),
        ("Treat", "—", ""),
    ]
