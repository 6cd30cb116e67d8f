"""Aiken: one-answer multiple choice, read as Moodle reads it, with located errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduapp.content.quizfiles import load_text, quiz_data
from eduapp.content.yamlfile import ContentError
from tests.content.test_gift_generated import located_problems


def read(text: str) -> list[dict]:
    return quiz_data(load_text(text, "bank.quiz.aiken", "aiken", "bank").quiz)["questions"]


def test_questions_choices_and_answers_become_single_choice_questions() -> None:
    text = (
        "Which client needs lighter pressure?\n"
        "A. A marathon runner\n"
        "B) A client on anticoagulants & *aspirin*\n"
        "ANSWER: B\n"
        "\n"
        "x\n"  # shorter than two characters: skipped, as Moodle does
        "Fragile bones call for?\n"
        "A.Deeper pressure\n"
        "B.Lighter pressure\n"
        "ANSWER:B\n"
    )
    first, second = read(text)
    assert first == {
        "id": "bank-1",
        "type": "single",
        "prompt": "Which client needs lighter pressure?",
        "choices": [
            {"id": "a-marathon-runner", "text": "A marathon runner"},
            {
                "id": "a-client-on-anticoagulants-aspir",
                "text": r"A client on anticoagulants \& \*aspirin\*",
                "correct": True,
            },
        ],
    }
    assert second["id"] == "bank-2"
    assert second["choices"][1]["correct"] is True


def test_aiken_ids_come_from_positions_and_that_is_warned_about() -> None:
    loaded = load_text("Q?\nA. a\nB. b\nANSWER: A\n", "b.quiz.aiken", "aiken", "02-safety")
    assert "Aiken has no question names" in str(loaded.warnings[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A. a\n", "b.quiz.aiken:1: a choice or ANSWER: line comes before any question text"),
        ("Q?\nA. a\nC. c\nANSWER: A", "b.quiz.aiken:3: expected choice B, not C"),
        ("Q?\nA. a\nANSWER: A", "b.quiz.aiken:3: a question needs at least two choices"),
        ("Q?\nA. a\nB. b\nANSWER: D", "b.quiz.aiken:4: ANSWER: D names no choice (A to B)"),
        ("Q?\nA. a\nB. b\nanswer: b", "b.quiz.aiken:4: write the answer line as 'ANSWER: X'"),
        ("Q?\nA. a\nB. b\n", "b.quiz.aiken:1: the question has no ANSWER: line"),
        ("Q?\nA.\nB. b\nANSWER: A", "b.quiz.aiken:2: choice A has no text"),
        ("\n\n", "b.quiz.aiken:1: the file has no questions"),
    ],
)
def test_errors_name_the_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_text(text, "b.quiz.aiken", "aiken", "b")
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(expected) for m in messages), messages


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("Q1?\nA. a\nB. b\n", "b.quiz.aiken:1: the question has no ANSWER: line before line 4"),
        ("Q1?\nA. a\nC. c\nD. d\nANSWER: A\n", "b.quiz.aiken:3: expected choice B, not C"),
        ("Which of these\nis right?\nA. a\nB. b\nANSWER: A\n", "b.quiz.aiken:1: the question"),
        ("A. a\nB. b\nANSWER: A\n", "b.quiz.aiken:1: a choice or ANSWER: line comes before"),
        ("Q1?\nA. a\nB. b\nanswer: a\nANSWER: A\n", "b.quiz.aiken:4: write the answer line"),
    ],
)
def test_a_broken_question_is_reported_once_and_the_next_one_is_not_blamed(
    broken: str, expected: str
) -> None:
    following = "Q2?\nA. x\nB. y\nANSWER: B\n\nQ3?\nA. x\nB. y\nANSWER: A\n"
    with pytest.raises(ContentError) as caught:
        load_text(broken + following, "b.quiz.aiken", "aiken", "b")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages


@given(st.text(max_size=200))
def test_the_parser_never_crashes(text: str) -> None:
    assert all(isinstance(p.line, int) for p in located_problems(text, "aiken"))
