"""Checks of what course files refer to: citations and callouts in module and quiz text, and
course.yml's quiz settings. Each problem names its file and line; the loader collects them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .markdown import CITATION_GROUP, CITATION_ID, EVIDENCE_INFO
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
            match = EVIDENCE_INFO.match(info)
            if not match:
                problems.append(
                    Problem(
                        file,
                        lineno,
                        f"callout must read '::: evidence LEVEL [@id, ...]', not {stripped!r}",
                    )
                )
                continue
            if match.group(1) not in EVIDENCE_LEVELS:
                problems.append(
                    Problem(
                        file,
                        lineno,
                        f"unknown evidence level {match.group(1)!r} "
                        f"(use one of: {', '.join(EVIDENCE_LEVELS)})",
                    )
                )
            ids = CITATION_ID.findall(match.group(2) or "")
            if not ids:
                problems.append(
                    Problem(
                        file,
                        lineno,
                        "an evidence callout needs at least one citation, e.g. [@furlan2015]",
                    )
                )
            problems += [
                Problem(
                    file, lineno, f"unknown reference id {i!r} (add it to course.yml references)"
                )
                for i in ids
                if i not in references
            ]
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
        for group in CITATION_GROUP.findall(line):
            problems += [
                Problem(
                    file, lineno, f"unknown reference id {i!r} (add it to course.yml references)"
                )
                for i in CITATION_ID.findall(group)
                if i not in references
            ]
    return problems
