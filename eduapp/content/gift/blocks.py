"""The answer block ``{...}`` of a GIFT question: its type, answers, weights and feedback."""

from __future__ import annotations

import hashlib
import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ..plain import plain_to_markdown
from .record import WEIGHT, Record, unescape


def converter(markup: str) -> Any:
    if markup in ("plain", "moodle"):
        return lambda raw: plain_to_markdown(unescape(raw).strip())
    return lambda raw: unescape(raw).strip()


def parse_block(
    record: Record, start: int, end: int, question: dict[str, Any], convert: Any
) -> None:
    mask = record.mask
    general = mask.rfind("####", start, end)
    if general >= 0:
        if explanation := convert(record.text[general + 4 : end]):
            question["explanation"] = explanation
        end = general
    body = mask[start:end].strip()
    if not body:
        raise record.fail(
            start,
            "essay questions ({}) need a person to grade them, which eduapp does not do; "
            "remove the question or make it a short answer",
        )
    if body.startswith("#"):
        _numeric(record, mask.index("#", start) + 1, end, question, convert)
    elif "~" in body:
        _choices(record, start, end, question, convert)
    elif "=" in body and "->" in body:
        _matching(record, start, end, question, convert)
    elif mask[start:end].split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        _true_false(record, start, end, question, convert)
    else:
        _short(record, start, end, question, convert)


def _answers(record: Record, start: int, end: int, markers: str) -> list[tuple[str, int, int]]:
    """Split a block into (marker, start, end) answers, each starting with one of ``markers``."""
    mask = record.mask
    cuts = [i for i in range(start, end) if mask[i] in markers]
    if not cuts or mask[start : cuts[0]].strip():
        raise record.fail(start, f"each answer must start with {' or '.join(markers)}")
    bounds = [*cuts, end]
    return [(mask[a], a + 1, b) for a, b in pairwise(bounds)]


def _weight(record: Record, start: int, end: int) -> tuple[Fraction | None, int]:
    match = WEIGHT.match(record.mask, start, end)
    if not match:
        return None, start
    percent = Fraction(match.group(1))
    if not -100 <= percent <= 100:
        raise record.fail(start, f"weight %{match.group(1)}% is outside -100..100")
    return percent / 100, match.end()


def _text_and_feedback(record: Record, start: int, end: int, convert: Any) -> tuple[str, str]:
    hash_ = record.mask.find("#", start, end)
    if hash_ < 0:
        return convert(record.text[start:end]), ""
    return convert(record.text[start:hash_]), convert(record.text[hash_ + 1 : end])


def _number(fraction: Fraction) -> float:
    return float(fraction)


def _choices(record: Record, start: int, end: int, question: dict[str, Any], convert: Any) -> None:
    answers = _answers(record, start, end, "=~")
    if len(answers) < 2:
        raise record.fail(start, "multiple choice needs at least two answers")
    single = any(marker == "=" for marker, _, _ in answers)
    question["type"] = "single" if single else "multiple"
    choices = []
    taken: set[str] = set()
    for marker, a, b in answers:
        weight, a = _weight(record, a, b)
        text, feedback = _text_and_feedback(record, a, b, convert)
        if not text:
            raise record.fail(a, "an answer has no text")
        choice: dict[str, Any] = {"id": choice_key(text, taken), "text": text}
        if single:
            if marker == "=" and weight in (None, 1):
                choice["correct"] = True
            elif weight:
                choice["fraction"] = _number(weight)
        else:
            choice["fraction"] = _number(weight or Fraction(0))
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    question["choices"] = choices


def choice_key(text: str, taken: set[str]) -> str:
    """A choice's id from its text, so reordering choices (or adding one) keeps every id, and
    a regrade never reads an old answer against a different choice. Changing a choice's text
    makes it a new choice."""
    base = "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:32].strip("-") or "c"
    key = base
    if key in taken:
        key = f"{base[:25]}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"
    counter = 2
    while key in taken:
        key = f"{base[:25]}-{counter}"
        counter += 1
    taken.add(key)
    return key


def _true_false(
    record: Record, start: int, end: int, question: dict[str, Any], convert: Any
) -> None:
    hashes = [i for i in range(start, end) if record.mask[i] == "#"]
    if len(hashes) > 2:
        raise record.fail(hashes[2], "true/false takes at most two feedbacks: {T#wrong#right}")
    bounds = [start - 1, *hashes, end]
    parts = [record.text[a + 1 : b] for a, b in pairwise(bounds)]
    answer = parts[0].strip() in ("T", "TRUE")
    wrong = convert(parts[1]) if len(parts) > 1 else ""
    right = convert(parts[2]) if len(parts) > 2 else ""
    question["type"] = "true_false"
    question["answer"] = answer
    feedback = {"feedback_true": right, "feedback_false": wrong}
    if not answer:
        feedback = {"feedback_true": wrong, "feedback_false": right}
    question.update({k: v for k, v in feedback.items() if v})


def _short(record: Record, start: int, end: int, question: dict[str, Any], convert: Any) -> None:
    if record.mask[start:end].strip() in ("true", "false", "True", "False", "t", "f"):
        raise record.fail(start, "write a true/false answer as {T}, {TRUE}, {F} or {FALSE}")
    question["type"] = "short"
    answers = []
    for _, a, b in _answers(record, start, end, "="):
        weight, a = _weight(record, a, b)
        text, feedback = _text_and_feedback(record, a, b, convert)
        weight = Fraction(1) if weight is None else weight
        if weight < 0:
            raise record.fail(a, "a short answer cannot have a negative weight")
        if text == "*" and weight == 0:
            question["feedback_wrong"] = feedback
            continue
        if "*" in text:
            raise record.fail(
                a, "'*' wildcards are not supported in short answers; list each accepted answer"
            )
        if not text:
            raise record.fail(a, "an answer has no text")
        answers.append(_graded({"text": text}, weight, feedback))
    question["answers"] = answers


def _graded(answer: dict[str, Any], weight: Fraction, feedback: str) -> dict[str, Any]:
    """A short or numeric answer with its grade and feedback, defaults left out."""
    if weight != 1:
        answer["fraction"] = _number(weight)
    if feedback:
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
    if ".." in raw:
        low, high = raw.split("..", 1)
        return {"min": _decimal(record, a, low), "max": _decimal(record, a, high)}
    value, _, tolerance = raw.partition(":")
    answer = {"value": _decimal(record, a, value)}
    if tolerance.strip() and (spread := abs(_decimal(record, a, tolerance))):
        answer["tolerance"] = spread
    return answer


def _numeric(record: Record, start: int, end: int, question: dict[str, Any], convert: Any) -> None:
    question["type"] = "numeric"
    mask = record.mask
    if "=" in mask[start:end] or "~" in mask[start:end]:
        parts = _answers(record, start, end, "=~")
    else:
        parts = [("=", start, end)]
    answers = []
    for marker, a, b in parts:
        weight, a = _weight(record, a, b)
        hash_ = mask.find("#", a, b)
        value_end = b if hash_ < 0 else hash_
        feedback = convert(record.text[hash_ + 1 : b]) if hash_ >= 0 else ""
        if marker == "~" and not mask[a:value_end].strip():
            question["feedback_wrong"] = feedback
            continue
        weight = (Fraction(1) if marker == "=" else Fraction(0)) if weight is None else weight
        if weight < 0:
            raise record.fail(a, "a numeric answer cannot have a negative weight")
        if not mask[a:value_end].strip():
            raise record.fail(a, "a numeric answer needs a number, 'value:tolerance' or 'min..max'")
        answers.append(_graded(_numeric_value(record, a, value_end), weight, feedback))
    question["answers"] = answers


def _matching(record: Record, start: int, end: int, question: dict[str, Any], convert: Any) -> None:
    question["type"] = "matching"
    pairs, distractors = [], []
    for _, a, b in _answers(record, start, end, "="):
        arrow = record.mask.find("->", a, b)
        if arrow < 0:
            raise record.fail(a, "a matching pair is written '=prompt -> answer'")
        if "#" in record.mask[a:b]:
            raise record.fail(a, "matching pairs take no feedback (use #### for general feedback)")
        prompt = convert(record.text[a:arrow])
        answer = convert(record.text[arrow + 2 : b])
        if not answer:
            raise record.fail(a, "a matching pair has no answer after '->'")
        if prompt:
            pairs.append({"id": f"p{len(pairs) + 1}", "prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    if len(pairs) < 2:
        raise record.fail(start, "matching needs at least two pairs")
    question["pairs"] = pairs
    if distractors:
        question["distractors"] = distractors
