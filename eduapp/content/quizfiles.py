"""A quiz file in any of its three formats (YAML, GIFT, Aiken), read into one model and written
back as YAML or GIFT. The course loader, ``flask quiz convert`` and ``flask quiz export`` share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import aiken, gift
from .schema import QuizFile, QuizSettings
from .yamlfile import ContentError, Problem, line_of, parse, problems_from

QUIZ_FILE = re.compile(r"^((?:\d{1,3})-[a-z0-9]+(?:-[a-z0-9]+)*|final)\.quiz\.(ya?ml|gift|aiken)$")
TEXT_FORMATS = {"yml": "yaml", "yaml": "yaml", "gift": "gift", "aiken": "aiken"}


@dataclass
class LoadedQuiz:
    quiz: QuizFile
    lines: list[int]  # the line each question starts on
    text: str
    format: str  # yaml, gift or aiken
    warnings: list[Problem] = field(default_factory=list)
    node: Any = None  # the YAML node tree, for locating a key

    def line_of(self, index: int, key: str) -> int:
        if self.node is not None:
            return line_of(self.node, ["questions", index, key])
        return self.lines[index]


def format_of(path: Path) -> str:
    suffix = path.name.rsplit(".", 1)[-1].lower()
    if suffix not in TEXT_FORMATS:
        raise ContentError(
            [Problem(str(path), None, "a quiz file ends in .quiz.yml, .quiz.gift or .quiz.aiken")]
        )
    return TEXT_FORMATS[suffix]


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(str(path), None, f"not UTF-8 text ({error.reason})")]) from None


def read_quiz(
    path: Path,
    stem: str,
    settings: QuizSettings | None = None,
    default_title: str = "Quiz",
    kind: str | None = None,
) -> LoadedQuiz:
    """Read and validate one quiz file. GIFT and Aiken take their settings from ``settings``."""
    return load_text(
        read_text(path), str(path), kind or format_of(path), stem, settings, default_title
    )


def load_text(
    text: str,
    file: str,
    kind: str,
    stem: str,
    settings: QuizSettings | None = None,
    default_title: str = "Quiz",
) -> LoadedQuiz:
    """``read_quiz`` for text already read; ``file`` is only for messages."""
    if kind == "yaml":
        data, node = parse(text, file)
        if not isinstance(data, dict):
            raise ContentError([Problem(file, 1, "expected a mapping of keys to values")])
        try:
            quiz = QuizFile.model_validate(data)
        except ValidationError as error:
            raise ContentError(problems_from(error, file, node)) from None
        lines = [line_of(node, ["questions", i]) for i in range(len(quiz.questions))]
        return LoadedQuiz(quiz, lines, text, kind, node=node)
    parsed = (gift if kind == "gift" else aiken).parse(text, file, stem)
    values = (settings or QuizSettings()).model_dump(exclude_unset=True)
    values["title"] = values.get("title") or default_title
    try:
        quiz = QuizFile.model_validate({**values, "questions": parsed.questions})
    except ValidationError as error:
        raise ContentError(_located(error, file, parsed.lines)) from None
    warnings = []
    if parsed.unnamed:
        how = (
            "Aiken has no question names, so ids come"
            if kind == "aiken"
            else f"{parsed.unnamed} question(s) have no ::name::, so their ids come"
        )
        fix = (
            "convert the file to GIFT or YAML and name them"
            if kind == "aiken"
            else "give each question a ::name::"
        )
        warnings.append(
            Problem(
                file,
                None,
                f"{how} from their position ({stem}-1, {stem}-2, ...): reordering the file "
                f"retires those questions and creates new ones, losing their statistics; "
                f"to keep them, {fix}",
            )
        )
    return LoadedQuiz(quiz, parsed.lines, text, kind, warnings)


def _located(error: ValidationError, file: str, lines: list[int]) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = [str(p) for p in item["loc"]]
        message = item["msg"].removeprefix("Value error, ")
        if loc[:1] == ["questions"] and len(loc) > 1 and loc[1].isdigit():
            index = int(loc[1])
            where = ".".join(loc[2:])
            problems.append(
                Problem(file, lines[index], f"{where}: {message}" if where else message)
            )
        else:
            problems.append(Problem(file, None, f"{'.'.join(loc)}: {message}" if loc else message))
    return problems


# Writing -------------------------------------------------------------------------------


WIDTH = 1_000_000  # never fold a line


class YamlDumper(yaml.SafeDumper):
    """Our YAML style: block text for anything on several lines, keys in the order given,
    list items indented under their key, and no line folded (a sentence stays on one line,
    so a change to it is one line in a diff)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


YamlDumper.add_representer(str, _str)


def quiz_data(quiz: QuizFile) -> dict[str, Any]:
    """The quiz as it would be written by hand: defaults left out, key order kept."""
    return quiz.model_dump(mode="json", exclude_defaults=True)


def to_yaml(quiz: QuizFile) -> str:
    return yaml.dump(
        quiz_data(quiz), Dumper=YamlDumper, sort_keys=False, allow_unicode=True, width=WIDTH
    )


def to_gift(quiz: QuizFile, label: str = "") -> str:
    """GIFT has no place for settings, so they are written as a course.yml snippet in comments."""
    settings = quiz.model_dump(mode="json", exclude_defaults=True, exclude={"questions"})
    snippet = yaml.dump(
        {"quizzes": {label or "NAME": settings}},
        Dumper=YamlDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    header = [
        f"{quiz.title}: written by eduapp as GIFT.",
        "The quiz settings are not part of GIFT; in course.yml they read:",
        *snippet.splitlines(),
    ]
    return gift.write(quiz.questions, header)
