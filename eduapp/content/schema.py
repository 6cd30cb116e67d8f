"""The course file format (DESIGN §2) as pydantic models: the one place its rules live.

``flask courses check`` validates against these models, and ``flask courses schema`` writes
them out as JSON Schema for editors. Unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
EVIDENCE_LEVELS = ("strong", "moderate", "weak", "contradicted", "none-found")
QUESTION_TYPES = ("single", "multiple", "true_false")
QUESTION_KINDS = ("vignette", "myth", "concept", "recall")


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Reference(FileModel):
    id: Slug
    citation: Text
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Coverage(FileModel):
    """Which modules teach one topic of a source text, and the evidence verdict they give."""

    modules: Annotated[list[Slug], Field(min_length=1)]
    verdict: Text


class CourseFile(FileModel):
    """``course.yml``."""

    format: Literal[1] = 1
    slug: Slug
    title: Text
    summary: Text
    version: Text
    status: Literal["draft", "published"] = "draft"
    ce_hours: Annotated[Decimal, Field(ge=0, le=100, multiple_of=Decimal("0.25"))] = Decimal(0)
    ce_type: Literal["home-study", "live", "live-online"] = "home-study"
    ce_categories: list[Slug] = Field(default_factory=lambda: ["general"])
    passing_score: Annotated[int, Field(ge=1, le=100)] = 80
    objectives: Annotated[list[Text], Field(min_length=1)]
    authors: Annotated[list[Text], Field(min_length=1)]
    reviewed_on: date | None = None
    references: list[Reference] = Field(default_factory=list)
    # Topic id -> where the course teaches it (e.g. each claim of the founding article).
    coverage: dict[Slug, Coverage] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_reference_ids(self) -> CourseFile:
        seen: set[str] = set()
        for ref in self.references:
            if ref.id in seen:
                raise ValueError(f"reference id {ref.id!r} is listed twice")
            seen.add(ref.id)
        return self


class ModuleFrontMatter(FileModel):
    """The YAML front matter of ``NN-slug.md``."""

    title: Text
    objectives: list[Text] = Field(default_factory=list)
    minutes: Annotated[int, Field(ge=1, le=600)] | None = None


class ChoiceFile(FileModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", max_length=40)]
    text: Text
    correct: bool = False
    feedback: str = ""


class QuestionFile(FileModel):
    id: Slug
    type: Literal["single", "multiple", "true_false"]
    kind: Literal["vignette", "myth", "concept", "recall"] | None = None
    prompt: Text
    choices: list[ChoiceFile] | None = None
    answer: bool | None = Field(default=None, description="true_false only: the right answer")
    feedback_true: str = ""
    feedback_false: str = ""
    explanation: str = ""
    references: list[Slug] = Field(default_factory=list)
    points: Annotated[int, Field(ge=1, le=100)] = 1

    @model_validator(mode="after")
    def _answer_key_fits_type(self) -> QuestionFile:
        if self.type == "true_false":
            if self.choices is not None:
                raise ValueError("a true_false question takes 'answer: true|false', not choices")
            if self.answer is None:
                raise ValueError("a true_false question needs 'answer: true' or 'answer: false'")
            return self
        if self.answer is not None or self.feedback_true or self.feedback_false:
            raise ValueError("'answer' and 'feedback_true/false' are for true_false questions only")
        choices = self.choices or []
        if len(choices) < 2:
            raise ValueError(f"a {self.type} choice question needs at least two choices")
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique within a question")
        correct = sum(c.correct for c in choices)
        if self.type == "single" and correct != 1:
            raise ValueError(
                f"a single choice question needs exactly one correct choice, not {correct}"
            )
        if self.type == "multiple" and correct < 1:
            raise ValueError("a multiple choice question needs at least one correct choice")
        return self


class QuizFile(FileModel):
    """``NN-slug.quiz.yml`` (a module's quiz) or ``final.quiz.yml``."""

    title: Text
    passing_score: Annotated[int, Field(ge=1, le=100)] | None = None
    max_attempts: Annotated[int, Field(ge=1)] | None = None
    questions: Annotated[list[QuestionFile], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_question_ids(self) -> QuizFile:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} is used twice")
            seen.add(question.id)
        return self


def json_schema() -> dict[str, Any]:
    """The format as one JSON Schema document, with each file type under ``$defs``."""
    defs: dict[str, Any] = {}
    for model in (CourseFile, ModuleFrontMatter, QuizFile):
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://eduapp.invalid/course-format.schema.json",
        "title": "eduapp course files, format 1",
        "description": "course.yml is CourseFile; NN-slug.md front matter is ModuleFrontMatter; "
        "NN-slug.quiz.yml and final.quiz.yml are QuizFile.",
        "$defs": defs,
    }
