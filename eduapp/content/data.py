"""What a course folder loads into: plain data, shared by check, import and the course rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from ..figures.inspect import FigureInfo
from .schema import CourseFile

WORDS_PER_CE_HOUR = 12_000


@dataclass
class ModuleData:
    slug: str
    position: int
    title: str
    minutes: int
    objectives: list[str]
    body_html: str
    word_count: int
    cited: list[str]
    file: str
    # Paths of the figures the body shows, in the course's figures/ folder.
    figures: list[str] = field(default_factory=list)
    # The Markdown body as written (after the front matter): what the studio edits.
    source: str = ""


@dataclass(frozen=True)
class FigureFile:
    """A figure file as read and checked; the importer stores its bytes."""

    path: str  # as modules write it: figures/effleurage.svg
    data: bytes
    info: FigureInfo


@dataclass
class ChoiceData:
    key: str
    position: int
    text_html: str
    is_correct: bool
    feedback_html: str
    fraction: str | None = None  # exact decimal text; None: "correct" decides


@dataclass
class QuestionData:
    key: str
    position: int
    type: str
    kind: str | None
    prompt_html: str
    explanation_html: str
    references: list[str]
    points: int
    choices: list[ChoiceData]
    line: int = 1
    # The answer key of the types without choices (short, numeric, matching, ordering), as
    # JSON-ready data with exact decimals written as text.
    spec: dict[str, Any] = field(default_factory=dict)
    # The question as written (quiz-file shape), so it can be exported again.
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class QuizData:
    key: str  # the module slug, or "final"
    name: str  # the file stem
    title: str
    passing_score: int
    max_attempts: int | None
    questions: list[QuestionData]
    file: str
    settings: dict[str, Any] = field(default_factory=dict)
    warnings: list = field(default_factory=list)


@dataclass
class CourseData:
    meta: CourseFile
    folder: str
    modules: list[ModuleData] = field(default_factory=list)
    quizzes: list[QuizData] = field(default_factory=list)
    # Course-standard problems that do not block a non-CE course (see rules.py).
    warnings: list = field(default_factory=list)
    # Every figure a module shows, by path; a file no module shows is not stored.
    figures: dict[str, FigureFile] = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return sum(m.word_count for m in self.modules)

    @property
    def supported_ce_hours(self) -> Decimal:
        return ce_hours_for(self.word_count)


def ce_hours_for(words: int) -> Decimal:
    """Home-study rule: 12,000 words of reading is one CE hour, rounded down to a quarter."""
    quarters = (Decimal(words) * 4 / WORDS_PER_CE_HOUR).to_integral_value(rounding=ROUND_FLOOR)
    return quarters / 4
