"""Grading, as pure functions of a snapshot and a learner's responses. No app, no database.

Question types in this release: ``single``, ``true_false`` (one choice; right or wrong) and
``multiple`` (all-or-nothing: full marks only for exactly the correct set). Partial credit
and the other types come with the quiz engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SINGLE_ANSWER_TYPES = frozenset({"single", "true_false"})


class InvalidResponse(ValueError):
    """A response that no honest form could produce (an unknown choice, two radio values)."""


@dataclass(frozen=True)
class QuestionResult:
    key: str
    chosen: tuple[str, ...]
    mark: Decimal
    max_mark: Decimal

    @property
    def correct(self) -> bool:
        return self.mark == self.max_mark


@dataclass(frozen=True)
class AttemptResult:
    questions: tuple[QuestionResult, ...]
    marks: Decimal
    max_marks: Decimal
    score: Decimal  # percent, two decimals
    passed: bool


def check_response(question: Mapping[str, Any], chosen: Sequence[str]) -> tuple[str, ...]:
    """The chosen keys in the question's own order; refuses keys it does not offer."""
    offered = [c["key"] for c in question["choices"]]
    unknown = set(chosen) - set(offered)
    if unknown:
        raise InvalidResponse(f"question {question['key']!r} has no choice {sorted(unknown)[0]!r}")
    if question["type"] in SINGLE_ANSWER_TYPES and len(set(chosen)) > 1:
        raise InvalidResponse(f"question {question['key']!r} takes one answer")
    return tuple(k for k in offered if k in set(chosen))


def grade_question(question: Mapping[str, Any], chosen: Sequence[str]) -> QuestionResult:
    picked = check_response(question, chosen)
    key = {c["key"] for c in question["choices"] if c["correct"]}
    points = Decimal(question["points"])
    mark = points if picked and set(picked) == key else Decimal(0)
    return QuestionResult(question["key"], picked, mark, points)


def percent(marks: Decimal, max_marks: Decimal) -> Decimal:
    if max_marks == 0:
        return Decimal(0)
    return (marks * 100 / max_marks).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_attempt(
    snapshot: Mapping[str, Any], responses: Mapping[str, Sequence[str]]
) -> AttemptResult:
    """Grade every question of the snapshot; an unanswered question scores zero.

    Pass/fail compares the exact fraction with the passing score, so 79.995% never rounds
    up into a pass.
    """
    unknown = set(responses) - {q["key"] for q in snapshot["questions"]}
    if unknown:
        raise InvalidResponse(f"no question {sorted(unknown)[0]!r} in this attempt")
    results = tuple(grade_question(q, responses.get(q["key"], ())) for q in snapshot["questions"])
    marks = sum((r.mark for r in results), Decimal(0))
    max_marks = sum((r.max_mark for r in results), Decimal(0))
    passed = max_marks > 0 and marks * 100 >= Decimal(snapshot["passing_score"]) * max_marks
    return AttemptResult(results, marks, max_marks, percent(marks, max_marks), passed)
