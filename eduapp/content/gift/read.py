"""Reading a GIFT file into quiz-file questions, record by record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..yamlfile import ContentError, Problem
from .blocks import add_choice_ids, parse_block
from .ids import question_id, unique_ids
from .markers import MARKER, Texts, finish
from .meta import DECLARATION, META, eduapp_meta, moodle_meta
from .record import BLANK, MISSING_WORD, Record, unescape

# Moodle keeps question names of up to 255 characters.
MAX_NAME = 255


@dataclass
class Parsed:
    questions: list[dict[str, Any]]
    lines: list[int]  # where each question starts
    unnamed: int  # questions without ::name::, whose ids come from their position
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Lines:
    """One record's question lines, its ``// eduapp:`` lines and its other comment lines."""

    text: list[tuple[int, str]] = field(default_factory=list)
    meta: list[tuple[int, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _records(text: str, file: str) -> tuple[list[_Lines], bool, list[Problem]]:
    """The file's records, whether it says it is ours, and any misplaced declaration.

    ``// eduapp:`` lines are kept until the next question (as they always were); other
    comments belong to their record, as in Moodle, so a blank line ends them.
    """
    records: list[_Lines] = []
    current = _Lines()
    ours, problems = False, []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        stripped = line.strip(BLANK)
        if not stripped:
            if current.text:
                records.append(current)
                current = _Lines()
            current.comments = []
        elif stripped == DECLARATION:
            if not all(_category(r.text) for r in [*records, current]):
                problems.append(
                    Problem(file, number, f"'{DECLARATION}' goes before the first question")
                )
            ours = True
        elif stripped.startswith(META):
            current.meta.append((number, stripped.removeprefix(META)))
        elif stripped.startswith("//"):
            current.comments.append(stripped)
        else:
            current.text.append((number, line))
    if current.text:
        records.append(current)
    return records, ours, problems


def _category(lines: list[tuple[int, str]]) -> bool:
    """Whether these record lines hold no question: nothing, or only a ``$CATEGORY:`` line."""
    return len(lines) <= 1 and all(line.strip().startswith("$CATEGORY:") for _, line in lines)


def parse(text: str, file: str, stem: str) -> Parsed:
    """Read a GIFT file; any problem raises ContentError naming its line, and nothing is kept."""
    parsed = Parsed([], [], 0)
    records, ours, problems = _records(text, file)
    names: list[str | None] = []
    default = "markdown" if ours else "moodle"
    for lines in records:
        record = Record(file, lines.text)
        try:
            result = _parse_record(record, stem, len(parsed.questions) + 1, default)
            extra = eduapp_meta(file, lines.meta)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if result is None:
            continue
        question, name = result
        idnumber, tags = moodle_meta(lines.comments)
        if idnumber:
            question["id"] = question_id(idnumber)
        if tags:
            question["tags"] = tags
        question.update(extra)
        parsed.questions.append(question)
        parsed.lines.append(lines.text[0][0])
        names.append(name)
        parsed.unnamed += not (name is not None or idnumber)
    if problems:
        raise ContentError(problems)
    if not parsed.questions:
        raise ContentError([Problem(file, 1, "the file has no questions")])
    _make_ids_unique(parsed, file)
    for question, name in zip(parsed.questions, names, strict=True):
        if name and name != question["id"]:
            question["name"] = name  # kept as written, up to Moodle's 255 characters
    return parsed


def _make_ids_unique(parsed: Parsed, file: str) -> None:
    """Moodle imports two questions of the same name; so do we, the later one as ``id-2``."""
    ids = [q["id"] for q in parsed.questions]
    for question, line, (key, first) in zip(
        parsed.questions, parsed.lines, unique_ids(ids), strict=True
    ):
        if first is None:
            continue
        parsed.warnings.append(
            Problem(
                file,
                line,
                f"the questions on lines {parsed.lines[first]} and {line} both give the id "
                f"{question['id']!r} (from their names or [id:]); the one on line {line} is "
                f"imported as {key!r}, which changes if the file is reordered: name them "
                "differently to keep their statistics",
            )
        )
        question["id"] = key


def slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens ('' when there are none), for a file stem."""
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def _parse_record(
    record: Record, stem: str, number: int, default: str
) -> tuple[dict[str, Any], str | None] | None:
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
        name = unescape(text[pos + 2 : end]).strip() or None
        if name and len(name) > MAX_NAME:
            raise record.fail(pos, f"the question name is longer than {MAX_NAME} characters")
        pos = end + 2
    question: dict[str, Any] = {"id": question_id(name) if name else f"{stem}-{number}"}
    match = MARKER.match(mask, pos)
    texts = Texts(match.group(1) if match else default)
    start, end = mask.find("{", pos), mask.find("}", pos)
    if start < 0 and end < 0:
        question["type"] = "description"
        question["prompt"] = texts.rich(text[pos:])
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
        question["prompt"] = texts.rich(prompt)
        parse_block(record, start + 1, end, question, texts)
    if not question["prompt"].text:
        raise record.fail(pos, "the question has no text")
    return add_choice_ids(finish(question)), name
