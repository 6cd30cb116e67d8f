"""Grading, as pure functions of a snapshot and a learner's responses. No app, no database.

A response is the list of strings the form sent for a question (``q-<key>`` values):

- ``single``, ``true_false``: one choice key; ``multiple``: any number of choice keys.
  Each choice has a ``fraction`` of the marks (negative allowed); the question scores the sum
  of the chosen fractions, floored at 0 and capped at 1.
- ``short``: one text, compared with each accepted answer after trimming, case-folding and
  collapsing spaces; the best matching answer's fraction counts.
- ``numeric``: one number; an answer matches within ``value ± tolerance`` or ``min..max``.
- ``matching``: ``"stem:option"`` pairs; the score is the share of stems paired correctly.
- ``ordering``: ``"item:position"`` pairs (positions from 1); the share of items in place.
- ``description``: asks nothing and carries no marks.

A question withdrawn by a regrade (``withdrawn`` set in the snapshot) gives full marks for any
response. A quiz's grade across several attempts is in ``overall.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

CHOICE_TYPES = frozenset({"single", "multiple", "true_false"})
SINGLE_ANSWER_TYPES = frozenset({"single", "true_false"})
MAX_TEXT = 500


class InvalidResponse(ValueError):
    """A response that no honest form could produce (an unknown choice, two radio values)."""


MARK_PLACES = Decimal("0.001")


def to_decimal(value: Fraction, places: Decimal = MARK_PLACES) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class QuestionResult:
    """Marks are exact fractions; ``mark`` and ``max_mark`` are what is stored and shown."""

    key: str
    chosen: tuple[str, ...]
    fraction: Fraction  # share of the question's marks, 0..1
    points: int

    @property
    def exact_mark(self) -> Fraction:
        return self.fraction * self.points

    @property
    def mark(self) -> Decimal:
        return to_decimal(self.exact_mark)

    @property
    def max_mark(self) -> Decimal:
        return Decimal(self.points)

    @property
    def correct(self) -> bool:
        return self.points > 0 and self.fraction == 1


@dataclass(frozen=True)
class AttemptResult:
    questions: tuple[QuestionResult, ...]
    marks: Decimal
    max_marks: Decimal
    score: Decimal  # percent, two decimals
    passed: bool


def _fraction(value: Any, default: Fraction) -> Fraction:
    return default if value is None else Fraction(str(value))


def default_fractions(qtype: str, correct: Sequence[bool]) -> list[Fraction]:
    """Weights when an author marks choices only as correct or not.

    One answer: the correct choice is worth everything. Several: each correct choice is worth
    an equal share and each wrong one takes the same share away, so ticking every box
    scores nothing.
    """
    if qtype != "multiple":
        return [Fraction(1) if c else Fraction(0) for c in correct]
    share = Fraction(1, max(1, sum(correct)))
    return [share if c else -share for c in correct]


def choice_fractions(question: Mapping[str, Any]) -> dict[str, Fraction]:
    choices = question["choices"]
    defaults = default_fractions(question["type"], [c["correct"] for c in choices])
    return {
        c["key"]: _fraction(c.get("fraction"), default)
        for c, default in zip(choices, defaults, strict=True)
    }


# Weights written to 7 digits (33.33333%) sum to within this of 1, and then count as full
# marks, as Moodle does; the course format refuses weights that miss 1 by more.
FULL_MARKS = Fraction(1) - Fraction(1, 10**6)


def _clamp(value: Fraction) -> Fraction:
    if value >= FULL_MARKS:
        return Fraction(1)
    return max(Fraction(0), value)


def _grade_choices(
    question: Mapping[str, Any], chosen: Sequence[str]
) -> tuple[tuple[str, ...], Decimal]:
    offered = [c["key"] for c in question["choices"]]
    picked = set(chosen) - {""}
    unknown = picked - set(offered)
    if unknown:
        raise InvalidResponse(f"question {question['key']!r} has no choice {sorted(unknown)[0]!r}")
    if question["type"] in SINGLE_ANSWER_TYPES and len(picked) > 1:
        raise InvalidResponse(f"question {question['key']!r} takes one answer")
    ordered = tuple(k for k in offered if k in picked)
    fractions = choice_fractions(question)
    return ordered, _clamp(sum((fractions[k] for k in ordered), Fraction(0)))


def normalise_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _single_text(question: Mapping[str, Any], response: Sequence[str]) -> str:
    values = [v for v in response if v.strip()]
    if len(values) > 1:
        raise InvalidResponse(f"question {question['key']!r} takes one answer")
    if values and len(values[0]) > MAX_TEXT:
        raise InvalidResponse(f"the answer to {question['key']!r} is too long")
    return values[0] if values else ""


def _grade_short(
    question: Mapping[str, Any], response: Sequence[str]
) -> tuple[tuple[str, ...], Decimal]:
    text = _single_text(question, response)
    given = normalise_text(text)
    best = max(
        (
            _fraction(a.get("fraction"), Fraction(1))
            for a in question["answers"]
            if given and normalise_text(a["text"]) == given
        ),
        default=Fraction(0),
    )
    return ((text,) if text else ()), _clamp(best)


MAX_EXPONENT = 30


def parse_number(text: str) -> Decimal | None:
    """A number as people type it: spaces trimmed, a decimal comma accepted."""
    cleaned = (
        text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text.strip()
    )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    # Infinity and NaN match nothing, and an exponent beyond any answer's scale would overflow
    # the arithmetic that compares it (1e999999999 - 5 raises).
    return value if value.is_finite() and abs(value.adjusted()) <= MAX_EXPONENT else None


def numeric_matches(answer: Mapping[str, Any], value: Decimal) -> bool:
    if answer.get("min") is not None:
        return Decimal(str(answer["min"])) <= value <= Decimal(str(answer["max"]))
    target = Decimal(str(answer["value"]))
    return abs(value - target) <= Decimal(str(answer.get("tolerance") or 0))


def _grade_numeric(
    question: Mapping[str, Any], response: Sequence[str]
) -> tuple[tuple[str, ...], Decimal]:
    text = _single_text(question, response)
    value = parse_number(text) if text else None
    best = Fraction(0)
    if value is not None:
        best = max(
            (
                _fraction(a.get("fraction"), Fraction(1))
                for a in question["answers"]
                if numeric_matches(a, value)
            ),
            default=Fraction(0),
        )
    return ((text,) if text else ()), _clamp(best)


def _pairs(
    question: Mapping[str, Any], response: Sequence[str], left: set[str], right: set[str]
) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in response:
        if not value:
            continue
        stem, sep, option = value.partition(":")
        if not sep or stem not in left or option not in right or stem in pairs:
            raise InvalidResponse(f"question {question['key']!r} has no pairing {value[:40]!r}")
        pairs[stem] = option
    return pairs


def _grade_matching(
    question: Mapping[str, Any], response: Sequence[str]
) -> tuple[tuple[str, ...], Decimal]:
    key: dict[str, str] = question["pairs"]
    options = {o["key"] for o in question["options"]}
    pairs = _pairs(question, response, set(key), options)
    right = sum(pairs.get(stem) == option for stem, option in key.items())
    chosen = tuple(f"{s}:{o}" for s, o in sorted(pairs.items()))
    return chosen, Fraction(right, len(key))


def _grade_ordering(
    question: Mapping[str, Any], response: Sequence[str]
) -> tuple[tuple[str, ...], Decimal]:
    order: list[str] = question["order"]
    positions = {str(i) for i in range(1, len(order) + 1)}
    pairs = _pairs(question, response, set(order), positions)
    right = sum(pairs.get(item) == str(i) for i, item in enumerate(order, start=1))
    chosen = tuple(f"{item}:{pos}" for item, pos in sorted(pairs.items(), key=lambda p: int(p[1])))
    return chosen, Fraction(right, len(order))


GRADERS = {
    "single": _grade_choices,
    "multiple": _grade_choices,
    "true_false": _grade_choices,
    "short": _grade_short,
    "numeric": _grade_numeric,
    "matching": _grade_matching,
    "ordering": _grade_ordering,
}


def grade_question(question: Mapping[str, Any], response: Sequence[str]) -> QuestionResult:
    if question["type"] == "description":
        if any(response):
            raise InvalidResponse(f"{question['key']!r} asks nothing")
        return QuestionResult(question["key"], (), Fraction(0), 0)
    chosen, fraction = GRADERS[question["type"]](question, response)
    if question.get("withdrawn"):
        # Withdrawn after its key was found wrong: every response earns the marks, so nobody
        # who answered as the course then taught loses them, and nobody else is marked down.
        fraction = Fraction(1)
    return QuestionResult(question["key"], chosen, fraction, int(question["points"]))


def percent(marks: Fraction, max_marks: Fraction) -> Decimal:
    if max_marks == 0:
        return Decimal(0)
    return to_decimal(marks * 100 / max_marks, Decimal("0.01"))


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
    marks = sum((r.exact_mark for r in results), Fraction(0))
    max_marks = Fraction(sum(r.points for r in results))
    passed = max_marks > 0 and marks * 100 >= Fraction(snapshot["passing_score"]) * max_marks
    return AttemptResult(
        results, to_decimal(marks), to_decimal(max_marks), percent(marks, max_marks), passed
    )
