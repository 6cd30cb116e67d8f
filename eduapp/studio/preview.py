"""The module editor's preview: what the learner will read, and what import would refuse.

The body goes through ``content.modulebody.render_module_body``, the function the importer
calls, with the course's references, stored figures and the catalogue's claims registry, so
the preview shows byte for byte the HTML an import of the same text stores. Problems come
back as messages with line numbers, never as an exception: half-typed text is normal here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..content import claims
from ..content.data import FigureFile
from ..content.modulebody import render_module_body
from ..content.yamlfile import ContentError, Problem
from ..extensions import db
from ..figures.inspect import FigureInfo
from ..models import CourseFigure, CourseVersion, Figure

# A module body longer than this is refused unrendered. The longest shipped module is about
# 22,000 characters; ten times that is still a module, not an accident or an attack.
MAX_BODY_CHARS = 200_000


@dataclass(frozen=True)
class Preview:
    html: str  # sanitised by the renderer: the one trusted HTML source
    word_count: int
    minutes: int
    cited: list[str]
    problems: list[str]  # "line 12: unknown reference id 'smith2020' ..."


@dataclass(frozen=True)
class CourseSources:
    """What a module body may refer to: the course's references, figures and claims."""

    references: list[dict[str, Any]]
    figures: dict[str, FigureInfo]
    registry: claims.Registry | None = None
    problems: list[str] = field(default_factory=list)


def preview_module(
    markdown: str,
    *,
    references: Iterable[Mapping[str, Any]],
    figures: Mapping[str, FigureInfo],
    registry: claims.Registry | None = None,
) -> Preview:
    """Render a module body exactly as import would, and list what import would refuse.

    ``references`` are course.yml's entries (``id``, optional ``label``); ``figures`` the
    course's stored figures by the path modules write; ``registry`` the catalogue's claims
    (none: a bare evidence level is accepted, as in a catalogue without evidence.yml).
    """
    refs = list(references)
    result = render_module_body(
        markdown.replace("\r\n", "\n"),
        file="",
        first_line=1,
        references={str(r["id"]) for r in refs},
        figures_by_path=_stored(figures),
        registry=registry or claims.Registry(claims.FILE_NAME),
        labels={str(r["id"]): str(r["label"]) for r in refs if r.get("label")},
    )
    return Preview(
        html=result.html,
        word_count=result.word_count,
        minutes=result.minutes,
        cited=result.cited,
        # In the order of the text, as the editor shows them beside it.
        problems=[
            _message(p, registry) for p in sorted(result.problems, key=lambda p: p.line or 0)
        ],
    )


def preview_for_version(version: CourseVersion, markdown: str, catalogue: Path) -> Preview:
    """The studio's preview of a body written for one version of a course (the author's draft):
    that version's references and figures, today's claims."""
    sources = version_sources(version, catalogue)
    result = preview_module(
        markdown,
        references=sources.references,
        figures=sources.figures,
        registry=sources.registry,
    )
    return (
        replace(result, problems=sources.problems + result.problems) if sources.problems else result
    )


def _stored(figures: Mapping[str, FigureInfo]) -> dict[str, FigureFile | Problem]:
    # The bytes are already stored and checked; rendering needs only the address and size.
    return {path: FigureFile(path=path, data=b"", info=info) for path, info in figures.items()}


# The loader speaks to people editing files; the studio's authors never see a file.
STUDIO_WORDING = (
    ("(add it to course.yml references)", "(add it to the course's references in Settings)"),
    (
        "(add it there with its verdict)",
        "(pick a registered claim with the Evidence callout… button)",
    ),
    ("the module has no text after its front matter", "the module has no text yet"),
)


def _message(problem: Problem, registry: claims.Registry | None = None) -> str:
    """A problem in the author's words: line numbers of the text box, no file names or paths."""
    text = problem.message
    for said, meant in STUDIO_WORDING:
        text = text.replace(said, meant)
    if registry is not None and registry.file:
        text = text.replace(str(registry.file), "the catalogue's list of evidence claims")
    return f"line {problem.line}: {text}" if problem.line else text


def version_sources(version: CourseVersion, catalogue: Path) -> CourseSources:
    """The one place that says where a module's references and figures come from: the course
    version it is written in (its settings and ``course_figures``). ``catalogue`` is the folder
    whose ``evidence.yml`` grades callouts on import.
    """
    rows = db.session.execute(
        db.select(CourseFigure.path, Figure)
        .join(Figure, Figure.sha256 == CourseFigure.sha256)
        .where(CourseFigure.version_id == version.id)
    ).all()
    figures = {
        path: FigureInfo(
            sha256=f.sha256,
            media_type=f.media_type,
            width=f.width,
            height=f.height,
            byte_size=f.byte_size,
        )
        for path, f in rows
    }
    registry, problems = _registry(catalogue)
    return CourseSources(list(version.references or []), figures, registry, problems)


def _registry(catalogue: Path) -> tuple[claims.Registry, list[str]]:
    file = claims.registry_path(catalogue)
    try:
        stat = os.stat(file)
    except OSError:
        return claims.Registry(str(file)), []
    try:
        return _load_registry(str(catalogue), stat.st_mtime_ns, stat.st_size), []
    except ContentError as error:
        # A broken evidence.yml fails the next import with its own messages; say so here too.
        return claims.Registry(str(file)), [
            f"{claims.FILE_NAME}: {p.message}" for p in error.problems
        ]
    except UnicodeDecodeError:
        return claims.Registry(str(file)), [f"{claims.FILE_NAME} is not UTF-8 text"]


@lru_cache(maxsize=4)
def _load_registry(catalogue: str, mtime_ns: int, size: int) -> claims.Registry:
    """Parsing evidence.yml takes longer than rendering a module; reread it only when it changes."""
    return claims.load(Path(catalogue))
