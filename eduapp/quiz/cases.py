"""Where a case begins and ends on an attempt or review page.

A ``description`` (a case) applies to every question after it up to the next description or
the end of the quiz. On the page, the case and its questions are drawn as one block and the
block is closed off, so a learner never wonders whether question 18 still belongs to the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CaseMarks:
    """The CSS class of each question key in a case and each case's question count."""

    role: dict[str, str] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)

    def __call__(self, key: str) -> str:
        return self.role.get(key, "")


def case_marks(questions: Iterable[Any]) -> CaseMarks:
    """Mark the questions of each case: ``case`` (the text), ``in-case``, ``case-end``."""
    marks = CaseMarks()
    current: str | None = None
    last: str | None = None
    for question in questions:
        question = getattr(question, "question", question)  # a review item wraps its question
        kind, key = question["type"], question["key"]
        if kind == "description":
            _close(marks, last)
            current, last = key, None
            marks.role[key] = "case"
            marks.size[key] = 0
        elif current is not None:
            marks.role[key] = "in-case"
            marks.size[current] += 1
            last = key
    _close(marks, last)
    return marks


def _close(marks: CaseMarks, last: str | None) -> None:
    if last is not None:
        marks.role[last] = "in-case case-end"
