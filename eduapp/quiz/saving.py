"""Timed answering, for quiz attempts and practice exams alike: the deadline's grace, answers
saved as they are given, and which answers count once time is up. One rule in one place, so
a learner's time runs out the same way on both. No request, no current_user, no commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from ..clock import now
from ..models import Attempt, PracticeExam
from .grading import InvalidResponse, grade_question

Timed = Attempt | PracticeExam


def grace() -> timedelta:
    """How long after the deadline an answer still counts (network delay, a last click)."""
    return timedelta(seconds=int(current_app.config["QUIZ_GRACE_SECONDS"]))


def time_is_up(timed: Timed, at: datetime | None = None) -> bool:
    """Past the deadline plus the grace; never for an untimed attempt or exam."""
    if timed.deadline is None:
        return False
    return (at or now()) > timed.deadline + grace()


def answers_that_count(
    timed: Timed, posted: Mapping[str, Sequence[str]]
) -> Mapping[str, Sequence[str]]:
    """What a submit grades: the answers posted, or, past the deadline and its grace, only
    those saved in time, whatever the late request sends."""
    return timed.responses if time_is_up(timed) else posted


def with_answers(
    snapshot: Mapping[str, Any],
    saved: Mapping[str, list[str]],
    responses: Mapping[str, Sequence[str]],
    where: str,
) -> dict[str, list[str]]:
    """The saved answers with ``responses`` laid over them, only the questions sent replaced.

    Each is checked as the grader would check it, so an unknown question or a value no form
    offers raises InvalidResponse (naming ``where``, "this attempt") when it is saved rather
    than being discovered at the deadline.
    """
    by_key = {q["key"]: q for q in snapshot["questions"]}
    unknown = set(responses) - set(by_key)
    if unknown:
        raise InvalidResponse(f"no question {sorted(unknown)[0]!r} in {where}")
    for key, values in responses.items():
        grade_question(by_key[key], values)  # raises InvalidResponse for a tampered value
    return {**saved, **{k: list(v) for k, v in responses.items()}}
