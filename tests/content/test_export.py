"""Course files and the database are one course: a version exported as files imports back to
the same content, the shipped courses are kept in the canonical format an export writes (so
import, export, import into a fresh database and export again give the same bytes), and a
correction published in the studio appears in the exported files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from eduapp.content import export
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue, load_course
from eduapp.content.versions import content_hash
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Module
from eduapp.studio import drafts, publishing
from tests.conftest import FIXTURES, catalogue, empty_database

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "courses"


def on_disk(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def exported(slug: str) -> dict[str, bytes]:
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
    version = db.session.get_one(CourseVersion, course.current_version_id)
    return export.files_of(course, version)


def test_every_shipped_course_is_in_the_canonical_format_and_a_fixed_point(
    app: Flask, tmp_path: Path
) -> None:
    courses = catalogue(SHIPPED)
    import_courses(courses)
    db.session.commit()
    first = {c.meta.slug: exported(c.meta.slug) for c in courses}
    for slug, files in first.items():
        assert files == on_disk(SHIPPED / slug), f"{slug}: run flask courses export on it"
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        version = db.session.get_one(CourseVersion, course.current_version_id)
        export.write_folder(course, version, tmp_path / "out" / slug)
    (tmp_path / "out" / "evidence.yml").write_bytes((SHIPPED / "evidence.yml").read_bytes())

    # Into a fresh database (the same schema with every row gone), and out again: the same
    # bytes.
    empty_database()
    assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 0
    import_courses(load_catalogue(tmp_path / "out"))
    db.session.commit()
    again = {slug: exported(slug) for slug in first}
    assert again == first


def test_a_gift_and_aiken_course_comes_out_as_yaml_that_teaches_the_same(
    app: Flask, tmp_path: Path
) -> None:
    folder = FIXTURES / "gift" / "gift-course"
    data = load_course(folder)
    import_courses([data])
    db.session.commit()
    course = db.session.execute(db.select(Course)).scalar_one()
    written = export.write_folder(
        course,
        db.session.get_one(CourseVersion, course.current_version_id),
        tmp_path / "gift-course",
    )
    assert "01-strokes.quiz.yml" in written and "02-safety.quiz.yml" in written
    assert not any(name.endswith((".gift", ".aiken")) for name in written)
    assert content_hash(load_course(tmp_path / "gift-course")) == content_hash(data)


def test_a_studio_correction_appears_in_the_exported_files(
    app: Flask, imported: None, make_user, tmp_path: Path
) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    draft = drafts.open_draft(course, ivy)
    module = drafts.module_of(draft, "first-steps")
    assert module is not None
    drafts.save_module(
        draft,
        module,
        title="First Steps, corrected",
        source="Massage is the skilled manual manipulation of soft tissue [@furlan2015].\n",
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=FIXTURES / "courses",
    )
    publishing.publish(
        draft, ivy, label="1.0.1", note="A correction.", catalogue=FIXTURES / "courses"
    )
    db.session.commit()
    out = tmp_path / "sample-course"
    export.write_folder(course, db.session.get_one(CourseVersion, draft.id), out)
    text = (out / "01-first-steps.md").read_text()
    assert text.startswith("---\ntitle: First Steps, corrected\n")
    assert "skilled manual manipulation" in text
    assert "version: 1.0.1" in (out / "course.yml").read_text()
    reread = load_course(out)
    assert reread.modules[0].title == "First Steps, corrected"


def test_the_cli_exports_a_version_and_refuses_what_it_cannot(
    app: Flask, imported: None, tmp_path: Path
) -> None:
    def run(*args: str) -> Result:
        return app.test_cli_runner().invoke(args=["courses", "export", *args])

    done = run("sample-course", "--to", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    assert "sample-course: version 1 (1.0)" in done.output
    assert (tmp_path / "out" / "final.quiz.yml").exists()
    assert "no published course" in run("nothing-here", "--to", str(tmp_path / "x")).output
    assert (
        "has no published version 9"
        in run("sample-course", "--to", str(tmp_path / "x"), "--version", "9").output
    )
    # A module carried over from before versions has no Markdown to write.
    db.session.execute(db.update(Module).values(source=None))
    db.session.commit()
    refused = run("sample-course", "--to", str(tmp_path / "y"))
    assert refused.exit_code != 0 and "has no Markdown source" in refused.output


@pytest.mark.parametrize("stale", ["03-old-module.md", "figures/gone.svg"])
def test_files_the_version_no_longer_has_are_removed(
    app: Flask, imported: None, tmp_path: Path, stale: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "course.yml").write_text("slug: sample-course\n")
    (folder / stale).parent.mkdir(parents=True, exist_ok=True)
    (folder / stale).write_text("old")
    (folder / "README.md").write_text("notes")
    course = db.session.execute(db.select(Course)).scalar_one()
    export.write_folder(
        course, db.session.get_one(CourseVersion, course.current_version_id), folder
    )
    assert not (folder / stale).exists() and (folder / "README.md").exists()


def test_an_export_never_replaces_files_in_a_folder_that_is_not_the_courses(
    app: Flask, imported: None, tmp_path: Path
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.md").write_text("my own notes")
    course = db.session.execute(db.select(Course)).scalar_one()
    version = db.session.get_one(CourseVersion, course.current_version_id)
    with pytest.raises(export.ExportError, match="is not empty and is not the folder of"):
        export.write_folder(course, version, folder)
    assert (folder / "notes.md").read_text() == "my own notes"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.md"]
