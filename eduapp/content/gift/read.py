"""Reading a GIFT file into quiz-file questions, record by record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..yamlfile import ContentError, Problem
from .blocks import converter, parse_block
from .record import (
    BLANK,
    META,
    META_KEYS,
    MISSING_WORD,
    TEXT_FORMAT,
    Record,
    unescape,
)


@dataclass
class Parsed:
    questions: list[dict[str, Any]]
    lines: list[int]  # where each question starts
    unnamed: int  # questions without ::name::, whose ids come from their position


def _records(text: str) -> list[tuple[list[tuple[int, str]], list[tuple[int, str]]]]:
    """Each question's lines, and the ``// eduapp:`` comment lines written just before it."""
    records = []
    current: list[tuple[int, str]] = []
    meta: list[tuple[int, str]] = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        stripped = line.strip(BLANK)
        if not stripped:
            if current:
                records.append((current, meta))
                current, meta = [], []
        elif stripped.startswith(META):
            meta.append((number, stripped.removeprefix(META)))
        elif not stripped.startswith("//"):
            current.append((number, line))
    if current:
        records.append((current, meta))
    return records


def _metadata(file: str, meta: list[tuple[int, str]]) -> dict[str, Any]:
    """``// eduapp: kind: vignette; references: a, b; points: 2``: what GIFT cannot say."""
    values: dict[str, Any] = {}
    for number, line in meta:
        for item in filter(str.strip, line.split(";")):
            key, sep, value = (part.strip() for part in item.partition(":"))
            if not sep or key not in META_KEYS:
                raise ContentError(
                    [
                        Problem(
                            file,
                            number,
                            f"'// eduapp:' takes {', '.join(META_KEYS)}, not {item.strip()!r}",
                        )
                    ]
                )
            values[key] = (
                [v.strip() for v in value.split(",") if v.strip()] if key == "references" else value
            )
    return values


def parse(text: str, file: str, stem: str) -> Parsed:
    """Read a GIFT file; any problem raises ContentError naming its line, and nothing is kept."""
    parsed = Parsed([], [], 0)
    ids: dict[str, int] = {}
    problems: list[Problem] = []
    for lines, meta in _records(text):
        record = Record(file, lines)
        try:
            result = _parse_record(record, stem, len(parsed.questions) + 1)
            extra = _metadata(file, meta)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if result is None:
            continue
        question, named = result
        question.update(extra)
        if question["id"] in ids:
            problems.append(
                Problem(
                    file,
                    lines[0][0],
                    f"question id {question['id']!r} is also used on line {ids[question['id']]}",
                )
            )
        ids[question["id"]] = lines[0][0]
        parsed.questions.append(question)
        parsed.lines.append(lines[0][0])
        parsed.unnamed += not named
    if problems:
        raise ContentError(problems)
    if not parsed.questions:
        raise ContentError([Problem(file, 1, "the file has no questions")])
    return parsed


def slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def _parse_record(record: Record, stem: str, number: int) -> tuple[dict[str, Any], bool] | None:
    mask, text = record.mask, record.text
    pos = len(mask) - len(mask.lstrip())
    if mask.startswith("$CATEGORY:", pos):
        # Categories organise Moodle's bank; here the quiz file is the bank, so it is skipped.
        newline = mask.find("\n", pos)
        if newline < 0:
            return None
        pos = newline + 1
    pos += len(mask[pos:]) - len(mask[pos:].lstrip())
    name = None
    if mask.startswith("::", pos):
        end = mask.find("::", pos + 2)
        if end < 0:
            raise record.fail(pos, "the question name is not closed by '::'")
        name = unescape(text[pos + 2 : end]).strip()
        pos = end + 2
    if name is not None:
        key = slug(name)
        if not key:
            raise record.fail(pos, f"the question name {name!r} has no letters or digits for an id")
        if len(key) > 80:
            raise record.fail(pos, "the question name is longer than 80 characters")
    else:
        key = f"{stem}-{number}"
    markup = "markdown"
    match = TEXT_FORMAT.match(mask, pos)
    if match:
        markup = match.group(1)
        pos = match.end()
    question: dict[str, Any] = {"id": key}
    convert = converter(markup)
    if markup == "html":
        question["markup"] = "html"

    start, end = mask.find("{", pos), mask.find("}", pos)
    if start < 0 and end < 0:
        question["type"] = "description"
        question["prompt"] = convert(text[pos:])
    else:
        if start < 0 or end < start:
            raise record.fail(
                max(start, end), "brace error: an answer block needs both '{' and '}' in order"
            )
        rest = mask[end + 1 :]
        if "{" in rest or "}" in rest:
            raise record.fail(
                end + 1, "a question has one answer block; write a literal brace as \\{ or \\}"
            )
        after = text[end + 1 :]
        prompt = text[pos:start] + (MISSING_WORD + after if after.strip() else "")
        question["prompt"] = convert(prompt)
        parse_block(record, start + 1, end, question, convert)
    if not question["prompt"]:
        raise record.fail(pos, "the question has no text")
    return question, name is not None
