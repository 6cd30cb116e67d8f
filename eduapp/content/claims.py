"""The catalogue's evidence verdicts: one verdict per claim, kept in ``evidence.yml``.

A course's evidence callout names a claim (``::: evidence massage-lbp-short-term [@furlan2015]``)
and the badge it shows comes from here, so the same study can never be graded moderate in one
module and weak in another (review 2026-12, S2). The file sits beside the course folders.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError, field_validator

from .fields import EVIDENCE_LEVELS, FileModel, Slug, Text
from .yamlfile import ContentError, Problem, line_of, parse, problems_from

FILE_NAME = "evidence.yml"
Verdict = Literal["strong", "moderate", "weak", "contradicted", "none-found"]
Certainty = Literal["high", "moderate", "low", "very-low"]


class Claim(FileModel):
    """One claim a course grades: the claim as people make it, never its refutation."""

    claim: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=200)]
    verdict: Verdict
    # GRADE certainty of the best systematic review, where one rated it.
    certainty: Certainty | None = None
    # Why this verdict (for authors; not shown to learners).
    note: Text | None = None


class EvidenceFile(FileModel):
    """``evidence.yml``."""

    claims: dict[Slug, Claim] = Field(default_factory=dict)

    @field_validator("claims")
    @classmethod
    def _not_a_level(cls, claims: dict[str, Claim]) -> dict[str, Claim]:
        for claim_id in claims:
            if claim_id in EVIDENCE_LEVELS:
                raise ValueError(
                    f"{claim_id!r} is an evidence level; a claim id names the claim "
                    "(e.g. massage-lbp-short-term)"
                )
        return claims


@dataclass(frozen=True)
class Registry:
    """The claims in force while a catalogue is checked or rendered."""

    file: str
    claims: dict[str, Claim] = field(default_factory=dict)
    # A catalogue that keeps evidence.yml grades every callout through it; one without (an
    # instructor's own folder) may still write the bare level, ``::: evidence weak``.
    exists: bool = False

    def missing(self, claim_id: str) -> str:
        """The message for a callout whose claim is not registered."""
        return f"claim {claim_id!r} is not in {self.file} (add it there with its verdict)"


EMPTY = Registry(FILE_NAME)
# The registry of the catalogue being loaded; citations.check and the renderer read it.
CURRENT: ContextVar[Registry] = ContextVar("evidence_claims", default=EMPTY)


def registry_path(path: Path) -> Path:
    """``evidence.yml`` for a catalogue folder, or for the catalogue a course folder is in."""
    folder = path.parent if (path / "course.yml").is_file() else path
    return folder / FILE_NAME


def load(path: Path) -> Registry:
    """Read ``evidence.yml``; a catalogue without one simply has no registered claims."""
    file = registry_path(path)
    if not file.is_file():
        return Registry(str(file))
    text = file.read_text(encoding="utf-8")
    data, node = parse(text, str(file))
    if data is None:
        return Registry(str(file), exists=True)
    if not isinstance(data, dict):
        raise ContentError([Problem(str(file), 1, "expected a mapping with 'claims:'")])
    try:
        parsed = EvidenceFile.model_validate(data)
    except ValidationError as error:
        raise ContentError(problems_from(error, str(file), node)) from None
    _refuse_twins(parsed, str(file), node)
    return Registry(str(file), dict(parsed.claims), exists=True)


def _refuse_twins(parsed: EvidenceFile, file: str, node: object) -> None:
    """The same claim under two ids would allow two verdicts again."""
    seen: dict[str, str] = {}
    problems = []
    for claim_id, claim in parsed.claims.items():
        key = " ".join(claim.claim.lower().rstrip(".").split())
        if key in seen:
            problems.append(
                Problem(
                    file,
                    line_of(node, ["claims", claim_id]),  # type: ignore[arg-type]
                    f"claims.{claim_id}: the same claim as {seen[key]!r}; use that id",
                )
            )
        seen.setdefault(key, claim_id)
    if problems:
        raise ContentError(problems)


def unused(registry: Registry, module_files: list[str]) -> list[str]:
    """Claims no module grades: kept by mistake, or a callout that lost its name."""
    from .markdown import EVIDENCE_INFO  # markdown imports this module

    used = set()
    for file in module_files:
        for line in Path(file).read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            match = EVIDENCE_INFO.match(stripped.lstrip(":").strip())
            if stripped.startswith(":::") and match:
                used.add(match.group(1))
    return [claim_id for claim_id in registry.claims if claim_id not in used]
