"""A one-module course folder with figures, written into a test's tmp_path."""

from __future__ import annotations

from pathlib import Path

import yaml

from eduapp.content.loader import ContentError, load_course

FIRST_BODY_LINE = 4  # after "---", "title: ...", "---"


def write_course(
    root: Path, body: str, files: dict[str, bytes] | None = None, slug: str = "fig-course"
) -> Path:
    folder = root / slug
    (folder / "figures").mkdir(parents=True)
    meta = {
        "slug": slug,
        "title": "Figures",
        "summary": "A course with figures.",
        "version": "1",
        "status": "published",
        "ce_hours": 0,
        "objectives": ["See the strokes."],
        "authors": ["A"],
        "references": [{"id": "furlan2015", "citation": "Furlan 2015."}],
    }
    (folder / "course.yml").write_text(yaml.safe_dump(meta))
    # A clean module too, so a course whose figure module fails still has one.
    (folder / "00-welcome.md").write_text("---\ntitle: Welcome\n---\nWelcome.\n")
    write_module(folder, body)
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def write_module(folder: Path, body: str, name: str = "01-strokes.md") -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: Strokes\n---\n{body}\n")
    return path


def problems(folder: Path) -> list[str]:
    try:
        load_course(folder)
    except ContentError as error:
        return [str(p) for p in error.problems]
    return []
