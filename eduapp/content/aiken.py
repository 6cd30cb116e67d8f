"""Aiken, the simplest bank format Moodle exports: one-answer multiple choice, no feedback.

A question is one line of plain text, then its choices ``A. text`` or ``A) text`` in order,
then ``ANSWER: B``. Lines shorter than two characters are skipped, as Moodle does; anything
else out of place is an error naming its line, where Moodle would drop the question.
"""

from __future__ import annotations

import re
from typing import Any

from .gift import Parsed
from .gift.blocks import choice_key
from .plain import plain_to_markdown
from .yamlfile import ContentError, Problem

CHOICE = re.compile(r"^([A-Z])[).][ \t]?(.*)$")


def parse(text: str, file: str, stem: str) -> Parsed:
    parsed = Parsed([], [], 0)
    problems: list[Problem] = []
    current: dict[str, Any] | None = None
    start = 0

    def fail(line: int, message: str) -> None:
        problems.append(Problem(file, line, message))

    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        choice = CHOICE.match(line)
        if current is None:
            if choice or line.startswith("ANSWER:"):
                fail(number, "a choice or ANSWER: line comes before any question text")
                continue
            current, start = {"text": line, "choices": []}, number
        elif choice:
            expected = chr(ord("A") + len(current["choices"]))
            if choice.group(1) != expected:
                fail(number, f"expected choice {expected}, not {choice.group(1)}")
            elif not choice.group(2).strip():
                fail(number, f"choice {expected} has no text")
            current["choices"].append(choice.group(2).strip())
        elif line.startswith("ANSWER:"):
            letter = line.removeprefix("ANSWER:").strip()[:1]
            count = len(current["choices"])
            if count < 2:
                fail(number, "a question needs at least two choices before its ANSWER: line")
            elif not letter or not "A" <= letter < chr(ord("A") + count):
                last = chr(ord("A") + count - 1)
                fail(number, f"ANSWER: {letter or '(nothing)'} names no choice (A to {last})")
            else:
                parsed.questions.append(_question(current, letter, stem, len(parsed.lines) + 1))
                parsed.lines.append(start)
            current = None
        else:
            fail(
                number,
                f"expected a choice ('A. text') or 'ANSWER: X' for the question on line {start}",
            )
            current = None
    if current is not None:
        fail(start, "the question has no ANSWER: line")
    if problems:
        raise ContentError(problems)
    if not parsed.questions:
        raise ContentError([Problem(file, 1, "the file has no questions")])
    parsed.unnamed = len(parsed.questions)
    return parsed


def _question(current: dict[str, Any], letter: str, stem: str, number: int) -> dict[str, Any]:
    right = ord(letter) - ord("A")
    taken: set[str] = set()
    return {
        "id": f"{stem}-{number}",
        "type": "single",
        "prompt": plain_to_markdown(current["text"]),
        "choices": [
            {
                "id": choice_key(text, taken),
                "text": plain_to_markdown(text),
                **({"correct": True} if i == right else {}),
            }
            for i, text in enumerate(current["choices"])
        ],
    }
