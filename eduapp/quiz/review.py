"""What the result page shows for each question: the learner's answer beside the key.

Pure: built from the attempt's snapshot and its answer rows, so a later edit of the course
never changes a past review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .grading import normalise_text, numeric_matches, parse_number


@dataclass
class ReviewRow:
    """One line of a non-choice answer: what was given, what was right, and whether it matched."""

    label: str
    given: str
    expected: str
    right: bool


@dataclass
class ReviewItem:
    question: Mapping[str, Any]
    answered: bool
    correct: bool
    mark: Decimal
    max_mark: Decimal
    chosen: tuple[str, ...] = ()
    rows: list[ReviewRow] = field(default_factory=list)
    feedback_html: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return not self.correct and self.mark > 0

    @property
    def verdict(self) -> str:
        if self.question["type"] == "description":
            return ""
        if self.correct:
            return "✓ Correct"
        if not self.answered:
            return "✗ Not answered"
        return "◐ Partly correct" if self.partial else "✗ Incorrect"


def _best(answers: Sequence[Mapping[str, Any]], matches: Any) -> Mapping[str, Any] | None:
    hits = [a for a in answers if matches(a)]
    return max(hits, key=lambda a: Fraction(str(a.get("fraction") or 1)), default=None)


def _numeric_label(answer: Mapping[str, Any]) -> str:
    if answer.get("min") is not None:
        return f"{answer['min']} to {answer['max']}"
    tolerance = answer.get("tolerance")
    return f"{answer['value']} ± {tolerance}" if tolerance and tolerance != "0" else answer["value"]


def _answer_feedback(
    question: Mapping[str, Any], match: Mapping[str, Any] | None, answered: bool
) -> list[str]:
    """The matched answer's feedback, or the catch-all for an answer that matched none."""
    if match is not None:
        return [match["feedback_html"]] if match.get("feedback_html") else []
    wrong = question.get("feedback_wrong_html")
    return [wrong] if answered and wrong else []


def review_item(question: Mapping[str, Any], answer: Any | None) -> ReviewItem:
    chosen = tuple(answer.chosen) if answer is not None else ()
    item = ReviewItem(
        question=question,
        answered=bool(chosen),
        correct=bool(answer is not None and answer.correct),
        mark=answer.mark if answer is not None else Decimal(0),
        max_mark=answer.max_mark if answer is not None else Decimal(question["points"]),
        chosen=chosen,
    )
    qtype = question["type"]
    if qtype in ("single", "multiple", "true_false"):
        item.feedback_html = [
            c["feedback_html"]
            for c in question["choices"]
            if c["key"] in chosen and c["feedback_html"]
        ]
    elif qtype == "short":
        given = chosen[0] if chosen else ""
        match = _best(
            question["answers"],
            lambda a: given and normalise_text(a["text"]) == normalise_text(given),
        )
        item.accepted = [a["text"] for a in question["answers"]]
        item.feedback_html = _answer_feedback(question, match, bool(chosen))
    elif qtype == "numeric":
        value = parse_number(chosen[0]) if chosen else None
        match = _best(
            question["answers"], lambda a: value is not None and numeric_matches(a, value)
        )
        item.accepted = [_numeric_label(a) for a in question["answers"]]
        item.feedback_html = _answer_feedback(question, match, bool(chosen))
    elif qtype == "matching":
        options = {o["key"]: o["text"] for o in question["options"]}
        given = dict(c.split(":", 1) for c in chosen)
        for stem in question["stems"]:
            expected = question["pairs"][stem["key"]]
            picked = given.get(stem["key"])
            item.rows.append(
                ReviewRow(
                    stem["text"], options.get(picked, "—"), options[expected], picked == expected
                )
            )
    elif qtype == "ordering":
        texts = {i["key"]: i["text"] for i in question["items"]}
        given = dict(c.split(":", 1) for c in chosen)
        for position, key in enumerate(question["order"], start=1):
            item.rows.append(
                ReviewRow(
                    texts[key], given.get(key, "—"), str(position), given.get(key) == str(position)
                )
            )
    return item


def review(snapshot: Mapping[str, Any], answers_by_question: Mapping[int, Any]) -> list[ReviewItem]:
    return [
        review_item(q, answers_by_question.get(q["question_id"])) for q in snapshot["questions"]
    ]
