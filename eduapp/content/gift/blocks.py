"""The answer block ``{...}`` of a GIFT question: its type, answers, weights and feedback."""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from itertools import pairwise
from typing import Any

from .answers import numeric, short
from .markers import Texts
from .record import Record, answer_spans, split_feedback, weight


def parse_block(
    record: Record, start: int, end: int, question: dict[str, Any], texts: Texts
) -> None:
    """Read the answer block between ``start`` and ``end`` into ``question``, as Moodle does."""
    mask = record.mask
    general = mask.rfind("####", start, end)
    if general >= 0:
        if (explanation := texts.rich(record.text[general + 4 : end])).text:
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
        numeric(record, mask.index("#", start) + 1, end, question, texts)
    elif "~" in body:
        _choices(record, start, end, question, texts)
    elif "=" in body and "->" in body:
        _matching(record, start, end, question, texts)
    elif mask[start:end].split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        _true_false(record, start, end, question, texts)
    else:
        short(record, start, end, question, texts)


def _choices(record: Record, start: int, end: int, question: dict[str, Any], texts: Texts) -> None:
    answers = answer_spans(record, start, end, "=~")
    if len(answers) < 2:
        raise record.fail(start, "multiple choice needs at least two answers")
    single = any(marker == "=" for marker, _, _ in answers)
    question["type"] = "single" if single else "multiple"
    choices = []
    for marker, a, b in answers:
        fraction, a = weight(record, a, b)
        raw, raw_feedback = split_feedback(record, a, b)
        text, feedback = texts.rich(raw, inline=True), texts.rich(raw_feedback or "")
        if not text.text:
            raise record.fail(a, "an answer has no text")
        choice: dict[str, Any] = {"text": text}  # its id comes from the text as kept
        if single:
            if marker == "=" and fraction in (None, 1):
                choice["correct"] = True
            elif fraction:
                choice["fraction"] = float(fraction)
        else:
            choice["fraction"] = float(fraction or Fraction(0))
        if feedback.text:
            choice["feedback"] = feedback
        choices.append(choice)
    question["choices"] = choices


def add_choice_ids(question: dict[str, Any]) -> dict[str, Any]:
    """Give each choice its id, from its text as the question keeps it (after ``finish``), so
    the same text gives the same id whether it was read from Moodle's file or from ours."""
    taken: set[str] = set()
    for choice in question.get("choices", []):
        choice["id"] = choice_key(choice["text"], taken)
    return question


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
    record: Record, start: int, end: int, question: dict[str, Any], texts: Texts
) -> None:
    hashes = [i for i in range(start, end) if record.mask[i] == "#"]
    if len(hashes) > 2:
        raise record.fail(hashes[2], "true/false takes at most two feedbacks: {T#wrong#right}")
    bounds = [start - 1, *hashes, end]
    parts = [record.text[a + 1 : b] for a, b in pairwise(bounds)]
    answer = parts[0].strip() in ("T", "TRUE")
    wrong = texts.rich(parts[1] if len(parts) > 1 else "")
    right = texts.rich(parts[2] if len(parts) > 2 else "")
    question["type"] = "true_false"
    question["answer"] = answer
    feedback = {"feedback_true": right, "feedback_false": wrong}
    if not answer:
        feedback = {"feedback_true": wrong, "feedback_false": right}
    question.update({k: v for k, v in feedback.items() if v.text})


def _matching(record: Record, start: int, end: int, question: dict[str, Any], texts: Texts) -> None:
    question["type"] = "matching"
    pairs, distractors = [], []
    for _, a, b in answer_spans(record, start, end, "="):
        arrow = record.mask.find("->", a, b)
        if arrow < 0:
            raise record.fail(a, "a matching pair is written '=prompt -> answer'")
        if "#" in record.mask[a:b]:
            raise record.fail(a, "matching pairs take no feedback (use #### for general feedback)")
        prompt = texts.plain(record.text[a:arrow])
        answer = texts.plain(record.text[arrow + 2 : b], inherit=False)
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
