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
    """Read an Aiken file; every broken question is reported once, at its own line.

    As in Moodle, any line that is neither a choice nor ``ANSWER:`` starts a new question,
    so a question with a problem is reported and the next one is read as if it were alone.
    """
    reader = _Reader(file)
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line = raw.strip()
        if len(line) >= 2:
            reader.line(number, line)
    reader.end()
    if reader.problems:
        raise ContentError(reader.problems)
    parsed = Parsed([], [], 0)
    for index, (start, current, letter) in enumerate(reader.done, start=1):
        parsed.questions.append(_question(current, letter, stem, index))
        parsed.lines.append(start)
    if not parsed.questions:
        raise ContentError([Problem(file, 1, "the file has no questions")])
    parsed.unnamed = len(parsed.questions)
    return parsed


class _Reader:
    """The question being read; once it has a problem, its remaining lines are passed over."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.done: list[tuple[int, dict[str, Any], str]] = []
        self.current: dict[str, Any] | None = None
        self.start = 0
        self.broken = False  # the open question (or stray choices) already has its problem

    def fail(self, number: int, message: str) -> None:
        self.problems.append(Problem(self.file, number, message))
        self.broken = True

    def line(self, number: int, line: str) -> None:
        choice = CHOICE.match(line)
        answer = line.startswith("ANSWER:")
        if not choice and not answer:
            if line.upper().startswith("ANSWER:") and self.current is not None:
                if not self.broken:
                    self.fail(number, "write the answer line as 'ANSWER: X', in capitals")
                return
            self.end(number)
            self.current, self.start, self.broken = {"text": line, "choices": []}, number, False
        elif self.current is None:
            if not self.broken:
                self.fail(number, "a choice or ANSWER: line comes before any question text")
            if answer:
                self.broken = False  # the stray block ends here
        elif answer:
            if not self.broken:
                self._answer(number, line.removeprefix("ANSWER:").strip()[:1])
            self.current, self.broken = None, False
        elif not self.broken:
            self._choice(number, choice)

    def _choice(self, number: int, choice: re.Match[str]) -> None:
        assert self.current is not None
        expected = chr(ord("A") + len(self.current["choices"]))
        if choice.group(1) != expected:
            self.fail(number, f"expected choice {expected}, not {choice.group(1)}")
        elif not choice.group(2).strip():
            self.fail(number, f"choice {expected} has no text")
        else:
            self.current["choices"].append(choice.group(2).strip())

    def _answer(self, number: int, letter: str) -> None:
        assert self.current is not None
        count = len(self.current["choices"])
        if count < 2:
            self.fail(number, "a question needs at least two choices before its ANSWER: line")
        elif not letter or not "A" <= letter < chr(ord("A") + count):
            last = chr(ord("A") + count - 1)
            self.fail(number, f"ANSWER: {letter or '(nothing)'} names no choice (A to {last})")
        else:
            self.done.append((self.start, self.current, letter))

    def end(self, next_line: int | None = None) -> None:
        """The open question ends without its ANSWER: line (at a new question, or the end)."""
        if self.current is not None and not self.broken:
            where = (
                f" before line {next_line} starts another (a question's text is one line)"
                if next_line
                else ""
            )
            self.fail(self.start, f"the question has no ANSWER: line{where}")
        self.current = None


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
