"""Which questions of an attempt have an answer: the quiz navigator and the check before submit.

Pure (no app, no database), so the page, the summary before submitting and their tests agree
on one rule. Questions are numbered as the learner sees them: descriptions (case texts) ask
nothing, so they take no number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NumberedQuestion:
    """A question as the navigator lists it."""

    number: int
    key: str
    answered: bool


def is_answered(question: Mapping[str, Any], values: Sequence[str]) -> bool:
    """True when the learner gave a complete answer: one row left blank in a matching or
    ordering question still needs the learner's attention, so it counts as unanswered."""
    given = [v for v in values if v.strip()]
    if question["type"] == "matching":
        return len(given) >= len(question["stems"])
    if question["type"] == "ordering":
        return len(given) >= len(question["items"])
    return bool(given)


def numbered(
    snapshot: Mapping[str, Any], responses: Mapping[str, Sequence[str]]
) -> list[NumberedQuestion]:
    """Every question that asks something, numbered from 1, with whether it is answered."""
    asked = [q for q in snapshot["questions"] if q["type"] != "description"]
    return [
        NumberedQuestion(number, q["key"], is_answered(q, responses.get(q["key"], ())))
        for number, q in enumerate(asked, start=1)
    ]


def numbers_by_key(snapshot: Mapping[str, Any]) -> dict[str, int]:
    """The number shown beside each question, so the page, its navigator and the summary
    before submitting name a question the same way."""
    return {q.key: q.number for q in numbered(snapshot, {})}
