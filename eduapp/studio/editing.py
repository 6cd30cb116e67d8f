"""What the module editor needs beyond the drafts service: figures uploaded into a draft, and
the toolbar's lists (references, claims, figures) for picking instead of typing ids.

No request, no current_user, no commit: the editor's views call these and commit once.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..content.markdown import LABELS, citation_label
from ..extensions import db
from ..figures import inspect, store
from ..models import CourseFigure, CourseVersion
from . import drafts
from .drafts import DraftError
from .preview import version_sources

# What a figure may be called inside a course: the path modules write, figures/<name>.
FIGURE_NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*\.(?:png|jpe?g|webp|svg)")
SNIPPET = '![describe what it shows]({path} "Caption")'


class FigureNameError(DraftError):
    """The name asked for cannot be used; the message names the field."""


def figure_name(requested: str | None, uploaded: str | None) -> str:
    """The name a figure gets in the course: the one typed, else the uploaded file's own,
    lower-cased with spaces and odd characters turned into hyphens (``My Photo.PNG`` ->
    ``my-photo.png``), so an author never has to know the rule to upload a picture."""
    typed = (requested or "").strip()
    if typed:
        name = typed.removeprefix("figures/")
        if not FIGURE_NAME.fullmatch(name):
            raise FigureNameError(
                f"File name in the course: {typed!r} is not a name we can use. Use lower-case "
                "letters, digits and hyphens, then .png, .jpg, .webp or .svg (effleurage.png)."
            )
        return name
    base = PurePosixPath((uploaded or "").replace("\\", "/")).name.lower()
    stem, dot, ext = base.rpartition(".")
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60].strip("-")
    name = f"{stem or 'figure'}.{ext}" if dot else base
    if not FIGURE_NAME.fullmatch(name):
        raise FigureNameError(
            "File name in the course: the file has no image extension (.png, .jpg, .webp or "
            ".svg); type a name such as effleurage.png."
        )
    return name


def add_figure(draft: CourseVersion, data: bytes, name: str) -> CourseFigure:
    """Store an uploaded image and map ``figures/<name>`` to it in the draft.

    The bytes go through ``figures.store`` (type by content, 1 MB, 4096 px, clean SVG); its
    ``FigureError`` passes through with nothing written. A name already used in the draft for
    other bytes is refused, because modules that show it would silently change picture.
    """
    if not draft.is_draft:
        raise DraftError("Figures can only be added to a draft.")
    path = f"figures/{name}"
    existing = db.session.execute(
        db.select(CourseFigure).filter_by(version_id=draft.id, path=path)
    ).scalar_one_or_none()
    info = inspect(data, filename=path)  # FigureError before anything is looked up or written
    if existing is not None:
        if existing.sha256 == info.sha256:
            return existing
        raise FigureNameError(
            f"File name in the course: {path} is already a different picture in this draft. "
            "Choose another name, or keep the one there."
        )
    figure = store(data, filename=path)
    row = CourseFigure(version_id=draft.id, path=path, sha256=figure.sha256)
    db.session.add(row)
    db.session.flush()
    drafts.touch(draft)  # a new figure is a change: an earlier approval no longer covers it
    return row


def snippet(path: str) -> str:
    """The Markdown that shows a figure; the alt text and caption are for the author to write."""
    return SNIPPET.format(path=path)


def toolbar_data(draft: CourseVersion, catalogue: Path, today: date) -> dict[str, Any]:
    """Everything the toolbar offers, for the page to carry as JSON (never fetched later):
    the draft's references with their short citation, the catalogue's claims with their
    verdict, the draft's figures with their size, and today's date for a checked block."""
    sources = version_sources(draft, catalogue)
    labels = {str(r["id"]): str(r["label"]) for r in sources.references if r.get("label")}
    token = LABELS.set(labels)
    try:
        references = [
            {
                "id": str(r["id"]),
                "label": citation_label(str(r["id"])),
                "citation": str(r.get("citation", ""))[:160],
            }
            for r in sources.references
        ]
    finally:
        LABELS.reset(token)
    claims = [
        {"id": claim_id, "claim": claim.claim, "verdict": claim.verdict}
        for claim_id, claim in sorted((sources.registry.claims if sources.registry else {}).items())
    ]
    figures = [
        {
            "path": path,
            "width": info.width,
            "height": info.height,
            "kb": max(1, round(info.byte_size / 1024)),
            "snippet": snippet(path),
        }
        for path, info in sorted(sources.figures.items())
    ]
    return {
        "references": references,
        "claims": claims,
        "figures": figures,
        "today": today.isoformat(),
    }
