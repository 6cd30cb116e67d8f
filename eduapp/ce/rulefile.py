"""CE rule packs as data: one YAML file per licence type in ``ce-rules/``, validated here.

A pack names the bodies whose approval makes a course count, and lists rule versions, each
effective from a date: the renewal cycle, the total hours, and requirements by topic (ethics,
laws and rules...) or by delivery (live, home study) with minimums and maximums.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from ..bounds import FileDate
from ..content.schema import FileModel, Slug, Text
from ..content.yamlfile import ContentError, Problem, parse, problems_from

Hours = Annotated[Decimal, Field(ge=0, le=1000, multiple_of=Decimal("0.25"))]
Delivery = Literal["live", "live-online", "home-study"]
DELIVERIES = ("live", "live-online", "home-study")


class Requirement(FileModel):
    """A category of hours: by ``topic`` (a course's ce_categories) or by ``delivery``."""

    id: Slug
    label: Text
    topic: Slug | None = None
    delivery: Annotated[list[Delivery], Field(min_length=1)] | None = None
    min: Hours | None = None
    max: Hours | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> Requirement:
        if (self.topic is None) == (self.delivery is None):
            raise ValueError("give either topic or delivery")
        if self.min is None and self.max is None:
            raise ValueError("give a min, a max, or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be more than max")
        return self


class Cycle(FileModel):
    """The renewal cycle: ``months`` long, ending on the licence's renewal date, or on a fixed
    month-day in odd, even or any years (Florida: 08-31 of odd years)."""

    months: Annotated[int, Field(ge=6, le=120)]
    anchor: Literal["licence", "fixed"] = "licence"
    month_day: (
        Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")] | None
    ) = None
    years: Literal["odd", "even", "any"] = "any"

    @model_validator(mode="after")
    def _fixed_needs_a_day(self) -> Cycle:
        if self.anchor == "fixed" and self.month_day is None:
            raise ValueError("a fixed cycle needs month_day (MM-DD)")
        if self.anchor == "licence" and (self.month_day is not None or self.years != "any"):
            raise ValueError("month_day and years are for fixed cycles only")
        return self


class RuleVersion(FileModel):
    effective_from: FileDate
    cycle: Cycle
    total_hours: Hours
    requirements: list[Requirement] = Field(default_factory=list)
    # What the data cannot express (first-renewal rules, say), shown to learners as written.
    not_modelled: str = ""

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleVersion:
        ids = [r.id for r in self.requirements]
        if len(ids) != len(set(ids)):
            raise ValueError("requirement ids must be unique within a version")
        return self


class RulePackFile(FileModel):
    format: Literal[1] = 1
    id: Slug
    name: Text
    # "US" for a national certification, or the state's two-letter code.
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^(US|[A-Z]{2})$")]
    # Courses approved by one of these bodies (course.yml approvals) count toward the rule;
    # so does CE taken elsewhere that the learner marks as approved by one of them.
    approving_bodies: Annotated[list[Text], Field(min_length=1)]
    sources: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]], Field(min_length=1)
    ]
    reviewed_on: FileDate
    versions: Annotated[list[RuleVersion], Field(min_length=1)]

    @model_validator(mode="after")
    def _ordered_versions(self) -> RulePackFile:
        dates = [v.effective_from for v in self.versions]
        if dates != sorted(set(dates)):
            raise ValueError("versions must be in order of effective_from, each date once")
        return self


def load_pack(path: Path) -> RulePackFile:
    file = str(path)
    data, node = parse(path.read_text(encoding="utf-8"), file)
    if not isinstance(data, dict):
        raise ContentError([Problem(file, 1, "expected a mapping of keys to values")])
    try:
        pack = RulePackFile.model_validate(data)
    except ValidationError as error:
        raise ContentError(problems_from(error, file, node)) from None
    if pack.id != path.stem:
        raise ContentError([Problem(file, 1, f"id {pack.id!r} must match the file name")])
    return pack


def load_packs(folder: Path) -> list[RulePackFile]:
    """Every ``*.yml`` in ``folder``; all problems at once, or the packs."""
    packs, problems = [], []
    for path in sorted(folder.glob("*.yml")):
        try:
            packs.append(load_pack(path))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return packs
