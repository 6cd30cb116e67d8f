"""A module's Markdown body to what a learner reads, with every problem the import would report.

One pipeline for both ways a module body arrives: ``flask courses import`` reads it from a file
and the studio's preview receives it from the editor. Both call ``render_module_body``, so a
preview can never show something the import would render differently, or accept something the
import would refuse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import citations, claims, figures, markdown
from .data import FigureFile
from .yamlfile import Problem

# Reading speed for the minutes a module shows when its front matter gives none: 200 words a
# minute is the usual figure for careful reading of technical prose.
WORDS_PER_MINUTE = 200


@dataclass
class ModuleBody:
    """The rendered body and what the loader needs from it; ``problems`` empty means it imports."""

    html: str
    word_count: int
    cited: list[str]
    figures: dict[str, FigureFile]
    problems: list[Problem] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return reading_minutes(self.word_count)


def reading_minutes(words: int) -> int:
    """The reading time a module gets when its author does not set ``minutes:``."""
    return max(1, round(words / WORDS_PER_MINUTE))


def render_module_body(
    body: str,
    *,
    file: str,
    first_line: int,
    references: Collection[str],
    figures_by_path: dict[str, FigureFile | Problem],
    folder: Path | None = None,
    registry: claims.Registry | None = None,
    labels: Mapping[str, str] | None = None,
) -> ModuleBody:
    """Check and render one module body; never raises for bad content.

    ``figures_by_path`` is the course's figures known so far (the loader's per-course cache,
    or the stored figures the preview passes); a path not in it is read from ``folder`` when
    there is one, and otherwise is a missing figure. ``registry`` and ``labels`` default to
    those in force (the loader sets them once per course). The body is rendered even when it
    has problems, so a preview shows the text beside what is wrong with it.
    """
    registry_token = claims.CURRENT.set(registry) if registry is not None else None
    labels_token = markdown.LABELS.set(labels) if labels is not None else None
    try:
        problems = citations.check(body, file, first_line, set(references))
        figure_problems, shown = figures.check_module(
            body, file, first_line, folder, figures_by_path
        )
        problems += figure_problems
        if not body.strip():
            problems.append(
                Problem(file, first_line, "the module has no text after its front matter")
            )
        rendered = markdown.render(body, figures={p: f.info for p, f in shown.items()})
    finally:
        if labels_token is not None:
            markdown.LABELS.reset(labels_token)
        if registry_token is not None:
            claims.CURRENT.reset(registry_token)
    return ModuleBody(
        html=rendered.html,
        word_count=markdown.count_words(rendered.html),
        cited=rendered.cited,
        figures=shown,
        problems=problems,
    )
