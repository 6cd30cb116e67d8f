"""Importing figures: bytes stored once by hash, each course's paths mapped, backed up."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from eduapp.content.importer import import_courses
from eduapp.content.loader import ContentError, load_catalogue
from eduapp.extensions import db
from eduapp.models import Course, CourseFigure, CourseVersion, Figure, Module
from tests.content.figurekit import write_course, write_module
from tests.figures.imagekit import SVG, raster

ALT = "Both palms gliding up the back"
LINE = f'![{ALT}](figures/effleurage.png "Effleurage toward the heart")'
BODY = f"Intro.\n\n{LINE}\n"


def run_import(path: Path) -> list[str]:
    reports = import_courses(load_catalogue(path))
    db.session.commit()
    return [r.summary() for r in reports]


def mapping() -> dict[tuple[str, str], str]:
    rows = db.session.execute(
        db.select(Course.slug, CourseFigure.path, CourseFigure.sha256).join(
            Course, Course.current_version_id == CourseFigure.version_id
        )
    ).all()
    return {(slug, path): sha for slug, path, sha in rows}


def strokes_html() -> str:
    """The module's HTML in the course's newest version."""
    return db.session.execute(
        db.select(Module.body_html)
        .join(Course, Course.current_version_id == Module.version_id)
        .filter(Module.slug == "strokes")
    ).scalar_one()


def count(model: type) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_import_stores_the_figure_and_renders_it(app: Flask, tmp_path: Path) -> None:
    data = raster("PNG", (40, 30))
    sha = hashlib.sha256(data).hexdigest()
    write_course(tmp_path, BODY, {"figures/effleurage.png": data})
    assert run_import(tmp_path) == ["fig-course: 1 course created, 1 figure added, 2 modules added"]
    figure = db.session.get_one(Figure, sha)
    assert (figure.media_type, figure.width, figure.height, figure.data) == (
        "image/png",
        40,
        30,
        data,
    )
    assert mapping() == {("fig-course", "figures/effleurage.png"): sha}
    html = strokes_html()
    assert (
        f'<figure class="figure"><img src="/figures/{sha}.png" alt="{ALT}" width="40" '
        'height="30" loading="lazy" decoding="async">'
        "<figcaption>Effleurage toward the heart</figcaption></figure>"
    ) in html
    assert run_import(tmp_path) == ["fig-course: unchanged"]


def test_the_same_bytes_in_two_courses_are_one_row(app: Flask, tmp_path: Path) -> None:
    data = raster("PNG")
    write_course(tmp_path, BODY, {"figures/effleurage.png": data}, slug="one")
    write_course(tmp_path, BODY, {"figures/effleurage.png": data}, slug="two")
    run_import(tmp_path)
    assert count(Figure) == 1
    assert set(mapping()) == {("one", "figures/effleurage.png"), ("two", "figures/effleurage.png")}


def test_reimport_after_changing_the_bytes_maps_the_new_hash(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, BODY, {"figures/effleurage.png": raster(colour="teal")})
    run_import(tmp_path)
    old = mapping()[("fig-course", "figures/effleurage.png")]
    changed = raster(colour="orange")
    (folder / "figures/effleurage.png").write_bytes(changed)
    assert run_import(tmp_path) == [
        "fig-course: 1 figure updated, 1 module updated; published as version 2"
    ]
    new = hashlib.sha256(changed).hexdigest()
    assert mapping() == {("fig-course", "figures/effleurage.png"): new}
    html = strokes_html()
    assert new in html and old not in html
    # The old bytes stay, still mapped in version 1, whose learners go on seeing them.
    assert db.session.get(Figure, old) is not None
    first = db.session.execute(
        db.select(CourseFigure.sha256).join(CourseVersion).filter(CourseVersion.number == 1)
    ).scalar_one()
    assert first == old


def test_a_figure_no_module_shows_any_more_is_unmapped(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, BODY, {"figures/effleurage.png": raster()})
    run_import(tmp_path)
    write_module(folder, "No figures now.")
    assert run_import(tmp_path) == [
        "fig-course: 1 course details updated, 1 figure removed, 1 module updated; "
        "published as version 2"
    ]
    assert mapping() == {}
    assert count(Figure) == 1


def test_a_catalogue_with_a_bad_figure_imports_nothing(app: Flask, tmp_path: Path) -> None:
    write_course(tmp_path, BODY, {"figures/effleurage.png": raster()}, slug="good")
    write_course(tmp_path, BODY, {"figures/effleurage.png": SVG.encode()}, slug="bad")
    with pytest.raises(ContentError, match="is a SVG file by its content"):
        run_import(tmp_path)
    assert (count(Figure), count(Course)) == (0, 0)


def test_backup_holds_the_figures(app: Flask, runner, tmp_path: Path) -> None:
    data = raster("PNG")
    write_course(tmp_path / "courses", BODY, {"figures/effleurage.png": data})
    run_import(tmp_path / "courses")
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    if db.engine.dialect.name != "sqlite":
        listing = subprocess.run(
            ["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True
        ).stdout
        assert "TABLE DATA public figures" in listing
        assert "TABLE DATA public course_figures" in listing
        return
    copy = sqlite3.connect(target)
    try:
        rows = copy.execute(
            "SELECT f.data, c.path FROM figures f JOIN course_figures c ON c.sha256 = f.sha256"
        ).fetchall()
    finally:
        copy.close()
    assert rows == [(data, "figures/effleurage.png")]


def test_courses_check_and_import_from_the_command_line(runner, tmp_path: Path) -> None:
    folder = write_course(tmp_path, BODY, {"figures/effleurage.png": raster()})
    checked = runner.invoke(args=["courses", "check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "(supports 0 CE; declares 0), published, 1 figure\n" in checked.output
    imported = runner.invoke(args=["courses", "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    assert "1 figure added" in imported.output
    (folder / "figures/effleurage.png").write_bytes(b"not an image at all")
    failed = runner.invoke(args=["courses", "check", str(folder)])
    assert failed.exit_code != 0
    assert (
        f"{folder}/01-strokes.md:6: figures/effleurage.png is not a PNG, JPEG, WebP or SVG file "
        "by its content"
    ) in failed.output
