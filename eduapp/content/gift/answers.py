"""Short and numeric answers in a GIFT block: graded answers with weights and feedback.

As in Moodle, the first answer may leave out its ``=``: ``{Frog =Toad}``, ``{#3:0.5}``,
``{#1..5}`` and ``{#3:2~#Completely wrong}`` all read.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .markers import MARKER, Piece, Texts
from .record import Record, answer_spans, split_feedback, unescape, weight


def short(record: Record, start: int, end: int, question: dict[str, Any], texts: Texts) -> None:
    if record.mask[start:end].strip() in ("true", "false", "True", "False", "t", "f"):
        raise record.fail(start, "write a true/false answer as {T}, {TRUE}, {F} or {FALSE}")
    question["type"] = "short"
    answers = []
    for _, a, b in answer_spans(record, start, end, "=", bare="="):
        fraction, a = weight(record, a, b)
        raw, raw_feedback = split_feedback(record, a, b)
        text, feedback = texts.verbatim(raw), texts.rich(raw_feedback or "")
        fraction = Fraction(1) if fraction is None else fraction
        if fraction < 0:
            raise record.fail(a, "a short answer cannot have a negative weight")
        if text == "*" and fraction == 0:
            question["feedback_wrong"] = feedback
            continue
        if "*" in text:
            raise record.fail(
                a, "'*' wildcards are not supported in short answers; list each accepted answer"
            )
        if not text:
            raise record.fail(a, "an answer has no text")
        answers.append(_graded({"text": text}, fraction, feedback))
    question["answers"] = answers


def _graded(answer: dict[str, Any], fraction: Fraction, feedback: Piece) -> dict[str, Any]:
    """A short or numeric answer with its grade and feedback, defaults left out."""
    if fraction != 1:
        answer["fraction"] = float(fraction)
    if feedback.text:
        answer["feedback"] = feedback
    return answer


def _decimal(record: Record, offset: int, raw: str) -> float:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not math.isfinite(float(value)):
        raise record.fail(offset, f"numeric answer {raw.strip()!r} is not a number")
    return float(value)


def _numeric_value(record: Record, a: int, b: int) -> dict[str, Any]:
    raw = unescape(record.text[a:b])
    if match := MARKER.match(raw):  # Moodle reads a marker even here, and drops it
        raw = raw[match.end() :]
    if ".." in raw:
        low, high = raw.split("..", 1)
        return {"min": _decimal(record, a, low), "max": _decimal(record, a, high)}
    value, _, tolerance = raw.partition(":")
    answer = {"value": _decimal(record, a, value)}
    if tolerance.strip() and (spread := abs(_decimal(record, a, tolerance))):
        answer["tolerance"] = spread
    return answer


def numeric(record: Record, start: int, end: int, question: dict[str, Any], texts: Texts) -> None:
    question["type"] = "numeric"
    mask = record.mask
    answers = []
    for marker, a, b in answer_spans(record, start, end, "=~", bare="="):
        fraction, a = weight(record, a, b)
        hash_ = mask.find("#", a, b)
        value_end = b if hash_ < 0 else hash_
        feedback = texts.rich(record.text[hash_ + 1 : b] if hash_ >= 0 else "")
        if marker == "~" and not mask[a:value_end].strip():
            question["feedback_wrong"] = feedback
            continue
        fraction = (Fraction(1) if marker == "=" else Fraction(0)) if fraction is None else fraction
        if fraction < 0:
            raise record.fail(a, "a numeric answer cannot have a negative weight")
        if not mask[a:value_end].strip():
            raise record.fail(a, "a numeric answer needs a number, 'value:tolerance' or 'min..max'")
        answers.append(_graded(_numeric_value(record, a, value_end), fraction, feedback))
    if not answers:
        raise record.fail(start, "a numeric answer needs a number, 'value:tolerance' or 'min..max'")
    question["answers"] = answers
