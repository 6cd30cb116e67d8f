"""The course file format (DESIGN §2) as pydantic models: the one place its rules live.

``flask courses check`` validates against these models, and ``flask courses schema`` writes
them out as JSON Schema for editors. Unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from ..bounds import FileDate
from .claims import EvidenceFile
from .fields import EVIDENCE_LEVELS, QUESTION_KINDS, QUESTION_TYPES, FileModel, Slug, Text
from .quizschema import NumericAnswer, QuestionFile, QuizFile, QuizSettings, TextAnswer

# Re-exported: callers import the whole format from here.
__all__ = [
    "EVIDENCE_LEVELS",
    "QUESTION_KINDS",
    "QUESTION_TYPES",
    "CourseFile",
    "FileModel",
    "ModuleFrontMatter",
    "NumericAnswer",
    "QuestionFile",
    "QuizFile",
    "QuizSettings",
    "Slug",
    "Text",
    "TextAnswer",
    "json_schema",
]


class Reference(FileModel):
    id: Slug
    citation: Text
    # How in-text citations show it when its id is not surname+year (e.g. "NCCIH").
    label: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)] | None
    ) = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Coverage(FileModel):
    """Which modules teach one topic of a source text, and the evidence verdict they give."""

    modules: Annotated[list[Slug], Field(min_length=1)]
    verdict: Text


class Approval(FileModel):
    """A board's approval of the course, printed on certificates issued while it is valid."""

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    # The title the body approved, when it differs from the course title.
    title: Text | None = None
    # The CEs the body approved (default: the course's ce_hours).
    ce_hours: Annotated[Decimal, Field(gt=0, le=100, multiple_of=Decimal("0.25"))] | None = None
    valid_from: FileDate
    valid_to: FileDate
    # CE Broker's course tracking number (20-123456 or 123456), for Florida rosters.
    cebroker: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(20-)?\d{1,12}$")] | None
    ) = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Approval:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


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
    reviewed_on: FileDate | None = None
    references: list[Reference] = Field(default_factory=list)
    # Topic id -> where the course teaches it (e.g. each claim of the founding article).
    coverage: dict[Slug, Coverage] = Field(default_factory=dict)
    approvals: list[Approval] = Field(default_factory=list)
    # Settings of the quizzes written in GIFT or Aiken, by file stem (final, 03-stress, ...).
    quizzes: dict[str, QuizSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_reference_ids(self) -> CourseFile:
        seen: set[str] = set()
        for ref in self.references:
            if ref.id in seen:
                raise ValueError(f"reference id {ref.id!r} is listed twice")
            seen.add(ref.id)
        return self


class ModuleFrontMatter(FileModel):
    """The YAML front matter of ``NN-slug.md``. The Markdown body after it may hold these
    blocks: ``::: evidence CLAIM-ID [@id; ...]`` (an evidence callout), ``::: checked
    YYYY-MM-DD [@id]`` (a dated fact) and ``::: keypoint [TITLE]`` (a key point: shown
    highlighted, and offered to learners as a review card), each closed by ``:::``."""

    title: Text
    objectives: list[Text] = Field(default_factory=list)
    minutes: Annotated[int, Field(ge=1, le=600)] | None = None


def json_schema() -> dict[str, Any]:
    """The format as one JSON Schema document, with each file type under ``$defs``."""
    defs: dict[str, Any] = {}
    for model in (CourseFile, ModuleFrontMatter, QuizFile, TextAnswer, NumericAnswer, EvidenceFile):
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://eduapp.invalid/course-format.schema.json",
        "title": "eduapp course files, format 1",
        "description": "course.yml is CourseFile; NN-slug.md front matter is ModuleFrontMatter; "
        "NN-slug.quiz.yml and final.quiz.yml are QuizFile; the quizzes of course.yml "
        "are QuizSettings (for quizzes written in GIFT or Aiken); evidence.yml beside the "
        "course folders is EvidenceFile.",
        "$defs": defs,
    }
