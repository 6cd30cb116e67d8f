"""Checks of what course files refer to: citations and callouts in module and quiz text, and
course.yml's quiz settings. Each problem names its file and line; the loader collects them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from . import claims
from .keypoints import KEYPOINT_INFO
from .markdown import CHECKED_INFO, CITATION_GROUP, CITATION_ID, EVIDENCE_INFO
from .quizfiles import QUIZ_FILE
from .schema import EVIDENCE_LEVELS, CourseFile
from .yamlfile import Problem, line_of

# Two or more ids in one bracket; with a comma among the separators it would show as raw text.
# (A callout's header, ``::: evidence weak [@a, @b]``, takes commas and is not checked here.)
CITATION_LIST = re.compile(r"\[(@[a-z0-9-]+(?:\s*[,;]\s*@[a-z0-9-]+)+)\]")


def check_quiz_settings(
    folder: Path, meta: CourseFile, node: Any, course_file: Path, problems: list[Problem]
) -> None:
    """course.yml's ``quizzes:`` may only name quizzes written in GIFT or Aiken."""
    formats = {
        p.name.split(".quiz.")[0]: p.suffix for p in folder.iterdir() if QUIZ_FILE.match(p.name)
    }
    for name in meta.quizzes:
        suffix = formats.get(name)
        if suffix in (".gift", ".aiken"):
            continue
        where = "its own file" if suffix else "no quiz file of that name"
        problems.append(
            Problem(
                str(course_file),
                line_of(node, ["quizzes", name]),
                f"quizzes.{name}: settings here are for GIFT and Aiken quizzes, "
                f"and {name!r} has {where}"
                + ("" if suffix else f" ({name}.quiz.gift or {name}.quiz.aiken)"),
            )
        )


def check(text: str, file: str, first_line: int, references: set[str]) -> list[Problem]:
    """Every ``[@id]`` and callout must resolve, reported at the line where it is written.

    Inline citations in one bracket are separated by semicolons (``[@a; @b]``); written with
    commas, the bracket would show as raw text, so it is refused with the fix.
    """
    problems = []
    for offset, line in enumerate(text.splitlines()):
        lineno = first_line + offset
        stripped = line.strip()
        if stripped.startswith(":::") and stripped.strip(":").strip():
            info = stripped.lstrip(":").strip()
            problems += _check_block(info, stripped, file, lineno, references)
        is_callout = stripped.startswith(":::")
        for written in [] if is_callout else CITATION_LIST.findall(line):
            if "," not in written:
                continue
            fixed = "; ".join(f"@{i}" for i in CITATION_ID.findall(written))
            problems.append(
                Problem(
                    file,
                    lineno,
                    f"citations in one bracket are separated by semicolons: write [{fixed}], "
                    f"not [{written}]",
                )
            )
        for group in [] if is_callout else CITATION_GROUP.findall(line):
            problems += [
                Problem(
                    file, lineno, f"unknown reference id {i!r} (add it to course.yml references)"
                )
                for i in CITATION_ID.findall(group)
                if i not in references
            ]
    return problems


def _check_block(
    info: str, written: str, file: str, lineno: int, references: set[str]
) -> list[Problem]:
    """An evidence callout names a registered claim; a checked block a real, past date; a key
    point at most a short title."""
    if info.startswith("keypoint"):
        if KEYPOINT_INFO.match(info):
            return []
        return [
            Problem(
                file,
                lineno,
                "a key point must read '::: keypoint' or '::: keypoint TITLE' (a title of at "
                f"most 120 characters), not {written!r}",
            )
        ]
    if info.startswith("checked"):
        return _check_checked(info, written, file, lineno, references)
    match = EVIDENCE_INFO.match(info)
    if not match:
        return [
            Problem(
                file,
                lineno,
                "a block must read '::: evidence CLAIM-ID [@id; ...]', "
                f"'::: checked YYYY-MM-DD [@id]' or '::: keypoint TITLE', not {written!r}",
            )
        ]
    problems = []
    registry = claims.CURRENT.get()
    name = match.group(1)
    if name in EVIDENCE_LEVELS:
        if registry.exists:
            problems.append(
                Problem(
                    file,
                    lineno,
                    f"name the claim this callout grades, not its level {name!r}: "
                    f"'::: evidence CLAIM-ID [...]' with the claim and verdict in {registry.file}",
                )
            )
    elif name not in registry.claims:
        problems.append(Problem(file, lineno, registry.missing(name)))
    return problems + _sources(match.group(2), "an evidence callout", file, lineno, references)


def _check_checked(
    info: str, written: str, file: str, lineno: int, references: set[str]
) -> list[Problem]:
    match = CHECKED_INFO.match(info)
    if not match:
        return [
            Problem(
                file,
                lineno,
                f"a checked block must read '::: checked YYYY-MM-DD [@id]', not {written!r}",
            )
        ]
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        return [Problem(file, lineno, f"{match.group(1)!r} is not a real date (YYYY-MM-DD)")]
    # How old the date is, is a report (``--stale``), never a failure.
    return _sources(match.group(2), "a checked block", file, lineno, references)


def _sources(
    group: str | None, what: str, file: str, lineno: int, references: set[str]
) -> list[Problem]:
    ids = CITATION_ID.findall(group or "")
    if not ids:
        return [Problem(file, lineno, f"{what} needs at least one source, e.g. [@furlan2015]")]
    return [
        Problem(file, lineno, f"unknown reference id {i!r} (add it to course.yml references)")
        for i in ids
        if i not in references
    ]
