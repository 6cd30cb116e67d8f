"""The review policy as a pure function: each value, against a learner's standing and limit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from eduapp.quiz.policy import key_visible, review_note


def standing(submitted: int, passed: bool = False) -> SimpleNamespace:
    # ``attempts`` counts an open attempt too; the policy must not read it.
    return SimpleNamespace(attempts=submitted + 1, submitted=submitted, passed=passed)


@pytest.mark.parametrize(
    ("review", "submitted", "passed", "allowed", "visible"),
    [
        ("immediately", 1, False, 3, True),
        ("after_pass", 2, False, 3, False),
        ("after_pass", 1, True, 3, True),
        ("after_last_attempt", 2, False, 3, False),  # the third is open
        ("after_last_attempt", 3, False, 3, True),
        ("after_last_attempt", 3, True, 5, False),  # two extra attempts granted
        ("after_last_attempt", 5, False, 5, True),
        ("after_last_attempt", 50, True, None, False),  # unlimited: no last attempt
        ("never", 3, True, 3, False),
    ],
)
def test_key_visible(
    review: str, submitted: int, passed: bool, allowed: int | None, visible: bool
) -> None:
    quiz = SimpleNamespace(review=review)
    assert key_visible(quiz, standing(submitted, passed), allowed) is visible


def test_the_note_names_the_learners_own_limit_or_says_there_is_none() -> None:
    note = review_note(SimpleNamespace(review="after_last_attempt"), 5)
    assert note is not None and "all 5 of your attempts" in note
    unlimited = review_note(SimpleNamespace(review="after_last_attempt"), None)
    assert unlimited is not None and "unlimited attempts, so it never shows" in unlimited
    assert review_note(SimpleNamespace(review="immediately"), 3) is None
