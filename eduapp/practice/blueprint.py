"""A practice-exam blueprint (``blueprints/<slug>.yml``): content areas with their weights and
the question tags each draws from, the sources the areas come from and when they were last
checked, and what the exam is not for. Read and checked like a course file: a malformed
blueprint names its file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, model_validator

from ..content.fields import FileModel, Slug, Text
from ..content.quizschema import Tag
from ..content.yamlfile import ContentError, Problem, parse, problems_from

SIZES = (50, 100)


class Area(FileModel):
    id: Slug
    title: Text
    # Relative share of the exam; the questions are apportioned by largest remainder.
    weight: Annotated[int, Field(ge=1, le=100)]
    tags: Annotated[list[Tag], Field(min_length=1)]
    description: str = ""


class Blueprint(FileModel):
    slug: Slug
    title: Text
    purpose: Text
    # What a learner should not take the exam for (it predicts no licensing exam, say).
    not_for: Text
    checked: dt.date
    sources: Annotated[list[Text], Field(min_length=1)]
    # Minutes a timed exam allows per question.
    minutes_per_question: Annotated[float, Field(gt=0, le=10)] = 1.2
    areas: Annotated[list[Area], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_areas(self) -> Blueprint:
        ids = [a.id for a in self.areas]
        if len(set(ids)) != len(ids):
            raise ValueError("area ids must be unique")
        return self

    def shares(self, size: int) -> dict[str, int]:
        """How many of ``size`` questions each area asks (largest remainder, in area order)."""
        total = sum(a.weight for a in self.areas)
        exact = {a.id: size * a.weight / total for a in self.areas}
        counts = {key: int(value) for key, value in exact.items()}
        left = size - sum(counts.values())
        by_remainder = sorted(self.areas, key=lambda a: exact[a.id] - counts[a.id], reverse=True)
        for area in by_remainder[:left]:
            counts[area.id] += 1
        return counts


def load(path: Path) -> Blueprint:
    """One blueprint file, checked; its slug must be its file name."""
    file = str(path)
    data, node = parse(path.read_text(encoding="utf-8"), file)
    if not isinstance(data, dict):
        raise ContentError([Problem(file, 1, "expected a mapping of keys to values")])
    try:
        blueprint = Blueprint.model_validate(data)
    except ValidationError as error:
        raise ContentError(problems_from(error, file, node)) from None
    if blueprint.slug != path.stem:
        raise ContentError([Problem(file, 1, f"slug {blueprint.slug!r} must match the file name")])
    return blueprint


def load_all(folder: Path) -> list[Blueprint]:
    """Every blueprint in ``folder`` (none if there is no such folder); all problems at once."""
    blueprints, problems = [], []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            blueprints.append(load(path))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return blueprints
