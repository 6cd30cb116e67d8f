"""What the result page shows for each question: the learner's answer beside the key.

Pure: built from the attempt's snapshot and its answer rows, so a later edit of the course
never changes a past review.

Until the quiz's review policy allows (``policy.key_visible``), each item is built by
:func:`hide_key` instead: the prompt and the learner's own answer, and nothing that tells a
right answer from a wrong one. The key is left out of the data, not only out of the template,
so no class, label or column the template adds later can leak it.
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
    key_shown: bool = True

    @property
    def partial(self) -> bool:
        return self.key_shown and not self.correct and self.mark > 0

    @property
    def verdict(self) -> str:
        if self.question["type"] == "description" or not self.key_shown:
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


# What a question may show before the key: never its key, fractions, feedback or explanation.
_SHOWN_BEFORE_THE_KEY = ("question_id", "key", "type", "prompt_html", "references")
_PAIRED = ("matching", "ordering")


def hide_key(question: Mapping[str, Any], answer: Any | None) -> ReviewItem:
    """The learner's own answer and nothing more: no verdict, mark, feedback, key or explanation.

    Ordering rows follow the order the learner was shown (listing them in the right order
    would be the key); matching rows follow the stems, whose order says nothing.
    """
    chosen = tuple(answer.chosen) if answer is not None else ()
    shown = {k: question[k] for k in _SHOWN_BEFORE_THE_KEY if k in question}
    shown["choices"] = [
        {"key": c["key"], "text_html": c["text_html"]} for c in question.get("choices", [])
    ]
    item = ReviewItem(
        question=shown,
        answered=bool(chosen),
        correct=False,
        mark=Decimal(0),
        max_mark=Decimal(question["points"]),
        chosen=chosen,
        key_shown=False,
    )
    given = dict(c.split(":", 1) for c in chosen) if question["type"] in _PAIRED else {}
    if question["type"] == "matching":
        options = {o["key"]: o["text"] for o in question["options"]}
        item.rows = [
            ReviewRow(s["text"], options.get(given.get(s["key"], ""), "—"), "", False)
            for s in question["stems"]
        ]
    elif question["type"] == "ordering":
        item.rows = [
            ReviewRow(i["text"], given.get(i["key"], "—"), "", False) for i in question["items"]
        ]
    return item


def review(
    snapshot: Mapping[str, Any], answers_by_question: Mapping[int, Any], *, key_shown: bool
) -> list[ReviewItem]:
    """Every question of the attempt; ``key_shown`` is the review policy's decision, asked of
    every caller so that none shows the key by default."""
    build = review_item if key_shown else hide_key
    return [build(q, answers_by_question.get(q["question_id"])) for q in snapshot["questions"]]
