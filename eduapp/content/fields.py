"""The shared pieces of the course file format: slugs, text, and the strict base model.

Both the course models (``schema``) and the quiz models (``quizschema``) build on them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
EVIDENCE_LEVELS = ("strong", "moderate", "weak", "contradicted", "none-found")
QUESTION_TYPES = (
    "single",
    "multiple",
    "true_false",
    "short",
    "numeric",
    "matching",
    "ordering",
    "description",
)
QUESTION_KINDS = ("vignette", "myth", "concept", "recall")


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)
