"""Grading is pure: tested without an app, including with Hypothesis."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduapp.quiz.grading import InvalidResponse, grade_attempt, grade_question, percent


def question(
    key: str, qtype: str, correct: set[str], choices: str = "abcd", points: int = 1
) -> dict:
    return {
        "key": key,
        "type": qtype,
        "points": points,
        "choices": [{"key": c, "correct": c in correct} for c in choices],
    }


SNAPSHOT = {
    "passing_score": 80,
    "questions": [
        question("s", "single", {"b"}),
        question("m", "multiple", {"a", "c"}),
        question("t", "true_false", {"false"}, choices=("true", "false")),
        question("heavy", "single", {"a"}, points=2),
    ],
}


def test_single_choice() -> None:
    q = question("s", "single", {"b"})
    assert grade_question(q, ["b"]).correct
    assert grade_question(q, ["a"]).mark == 0
    assert grade_question(q, []).mark == 0


def test_multiple_choice_is_all_or_nothing_and_order_free() -> None:
    q = question("m", "multiple", {"a", "c"})
    result = grade_question(q, ["c", "a"])
    assert result.correct and result.chosen == ("a", "c")
    assert grade_question(q, ["a"]).mark == 0
    assert grade_question(q, ["a", "b", "c"]).mark == 0


def test_tampered_responses_are_refused() -> None:
    with pytest.raises(InvalidResponse, match="no choice 'z'"):
        grade_question(question("s", "single", {"b"}), ["z"])
    with pytest.raises(InvalidResponse, match="takes one answer"):
        grade_question(question("s", "single", {"b"}), ["a", "b"])
    with pytest.raises(InvalidResponse, match="no question 'ghost'"):
        grade_attempt(SNAPSHOT, {"ghost": ["a"]})


def test_attempt_score_uses_points_and_passing_is_exact() -> None:
    result = grade_attempt(SNAPSHOT, {"s": ["b"], "m": ["a", "c"], "t": ["false"], "heavy": ["b"]})
    assert (result.marks, result.max_marks, result.score) == (
        Decimal(3),
        Decimal(5),
        Decimal("60.00"),
    )
    assert not result.passed
    full = grade_attempt(SNAPSHOT, {"s": ["b"], "m": ["a", "c"], "t": ["false"], "heavy": ["a"]})
    assert full.score == Decimal("100.00") and full.passed
    assert [q.correct for q in result.questions] == [True, True, True, False]


def test_just_below_the_pass_mark_fails_even_when_it_rounds_to_it() -> None:
    snapshot = {
        "passing_score": 80,
        "questions": [question(f"q{i}", "single", {"a"}) for i in range(10_000)],
    }
    answers = {f"q{i}": ["a"] for i in range(7_999)}  # 79.99%
    result = grade_attempt(snapshot, answers)
    assert result.score == Decimal("79.99") and not result.passed


def test_percent_rounds_half_up_and_handles_empty() -> None:
    assert percent(Decimal(2), Decimal(3)) == Decimal("66.67")
    assert percent(Decimal(0), Decimal(0)) == Decimal(0)


@given(st.lists(st.sampled_from("abcd"), max_size=4), st.sets(st.sampled_from("abcd"), min_size=1))
def test_a_mark_is_either_zero_or_full(chosen: list[str], correct: set[str]) -> None:
    result = grade_question(question("m", "multiple", correct), chosen)
    assert result.mark in (Decimal(0), Decimal(1))
    assert result.correct == (set(chosen) == correct)
