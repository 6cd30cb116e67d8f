"""Grading is pure: tested without an app, including with Hypothesis."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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


def test_multiple_choice_default_weights_give_partial_credit() -> None:
    q = question("m", "multiple", {"a", "c"})
    result = grade_question(q, ["c", "a"])
    assert result.correct and result.chosen == ("a", "c")
    assert grade_question(q, ["a"]).mark == Decimal("0.5")
    assert grade_question(q, ["a", "b"]).mark == Decimal(0)  # a wrong tick cancels a right one
    assert grade_question(q, ["a", "b", "c", "d"]).mark == Decimal(0)  # ticking all scores nothing
    assert grade_question(q, ["b", "d"]).mark == Decimal(0)  # floored at zero, never negative


def test_explicit_weights_with_negative_marks_and_points() -> None:
    q = {
        "key": "w",
        "type": "multiple",
        "points": 4,
        "choices": [
            {"key": "a", "correct": True, "fraction": "0.75"},
            {"key": "b", "correct": True, "fraction": "0.25"},
            {"key": "c", "correct": False, "fraction": "-0.5"},
        ],
    }
    assert grade_question(q, ["a"]).mark == Decimal(3)
    assert grade_question(q, ["a", "c"]).mark == Decimal(1)
    assert grade_question(q, ["b", "c"]).mark == Decimal(0)
    assert grade_question(q, ["a", "b"]).correct


def test_weights_written_to_seven_digits_still_add_up_to_full_marks() -> None:
    """GIFT writes thirds as 33.33333%; three of them are 0.9999999, which is full marks."""
    third = {"correct": True, "fraction": "0.3333333"}
    q = {
        "key": "thirds",
        "type": "multiple",
        "points": 1,
        "choices": [{"key": k, **third} for k in "abc"]
        + [{"key": "d", "correct": False, "fraction": "-1"}],
    }
    assert grade_question(q, ["a", "b", "c"]).correct
    assert grade_question(q, ["a", "b", "c"]).mark == Decimal(1)
    assert grade_question(q, ["a", "b"]).mark == Decimal("0.667")
    assert not grade_question(q, ["a", "b"]).correct


def test_single_choice_with_a_half_right_answer() -> None:
    q = {
        "key": "s",
        "type": "single",
        "points": 2,
        "choices": [
            {"key": "a", "correct": True, "fraction": 1},
            {"key": "b", "correct": False, "fraction": "0.5"},
        ],
    }
    assert grade_question(q, ["b"]).mark == Decimal(1)


def test_short_answer_normalises_and_takes_the_best_match() -> None:
    q = {
        "key": "sa",
        "type": "short",
        "points": 1,
        "answers": [
            {"text": "Gate control theory", "fraction": 1},
            {"text": "gate control", "fraction": "0.5"},
        ],
    }
    assert grade_question(q, ["  GATE   control\ttheory "]).correct
    assert grade_question(q, ["Gate Control"]).mark == Decimal("0.5")
    result = grade_question(q, ["pain gate"])
    assert result.mark == 0 and result.chosen == ("pain gate",)
    assert grade_question(q, [""]).chosen == ()
    with pytest.raises(InvalidResponse, match="takes one answer"):
        grade_question(q, ["a", "b"])
    with pytest.raises(InvalidResponse, match="too long"):
        grade_question(q, ["x" * 501])


def test_numeric_tolerance_ranges_and_several_answers() -> None:
    q = {
        "key": "n",
        "type": "numeric",
        "points": 1,
        "answers": [
            {"value": "0.75", "tolerance": "0.05", "fraction": 1},
            {"min": "0.5", "max": "1.0", "fraction": "0.5"},
        ],
    }
    assert grade_question(q, ["0.78"]).correct
    assert grade_question(q, ["0,72"]).correct  # decimal comma
    assert grade_question(q, ["0.95"]).mark == Decimal("0.5")
    assert grade_question(q, ["2"]).mark == 0
    assert grade_question(q, ["about half"]).mark == 0
    assert grade_question(q, ["NaN"]).mark == 0
    assert grade_question(q, ["Infinity"]).mark == 0


def test_matching_scores_correct_pairs() -> None:
    q = {
        "key": "mt",
        "type": "matching",
        "points": 3,
        "pairs": {"eff": "glide", "pet": "knead", "tap": "percuss"},
        "options": [{"key": k} for k in ("glide", "knead", "percuss", "decoy")],
    }
    assert grade_question(q, ["eff:glide", "pet:knead", "tap:percuss"]).correct
    partial = grade_question(q, ["eff:glide", "pet:percuss", "tap:decoy", ""])
    assert partial.mark == Decimal(1) and partial.chosen == (
        "eff:glide",
        "pet:percuss",
        "tap:decoy",
    )
    with pytest.raises(InvalidResponse):
        grade_question(q, ["eff:nothing"])
    with pytest.raises(InvalidResponse):
        grade_question(q, ["eff:glide", "eff:knead"])
    with pytest.raises(InvalidResponse):
        grade_question(q, ["no-colon"])


def test_ordering_scores_items_in_place() -> None:
    q = {
        "key": "o",
        "type": "ordering",
        "points": 4,
        "order": ["assess", "consent", "treat", "record"],
    }
    assert grade_question(q, ["record:4", "assess:1", "consent:2", "treat:3"]).correct
    swapped = grade_question(q, ["assess:1", "consent:3", "treat:2", "record:4"])
    assert swapped.mark == Decimal(2)
    assert swapped.chosen == ("assess:1", "treat:2", "consent:3", "record:4")
    with pytest.raises(InvalidResponse):
        grade_question(q, ["assess:9"])


def test_description_asks_nothing_and_carries_no_marks() -> None:
    q = {"key": "case", "type": "description", "points": 0}
    result = grade_question(q, [])
    assert (result.mark, result.max_mark, result.correct) == (0, 0, False)
    with pytest.raises(InvalidResponse):
        grade_question(q, ["x"])


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
    assert percent(Fraction(2), Fraction(3)) == Decimal("66.67")
    assert percent(Fraction(0), Fraction(0)) == Decimal(0)


@given(st.lists(st.sampled_from("abcd"), max_size=4), st.sets(st.sampled_from("abcd"), min_size=1))
def test_a_multiple_choice_mark_stays_between_zero_and_full(
    chosen: list[str], correct: set[str]
) -> None:
    result = grade_question(question("m", "multiple", correct), chosen)
    assert Decimal(0) <= result.mark <= Decimal(1)
    assert result.correct == (set(chosen) == correct)


@given(st.text(max_size=40))
def test_numeric_never_crashes_on_typed_text(text: str) -> None:
    q = {"key": "n", "type": "numeric", "points": 1, "answers": [{"value": "1", "tolerance": "0"}]}
    assert grade_question(q, [text]).mark in (Decimal(0), Decimal(1))
