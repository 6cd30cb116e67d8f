"""An owner's listing choice survives `make run`: course.yml's status applies only when the
files change it, and the import report says when the files and the studio disagree."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import csrf_token
from tests.coursefiles import import_folder
from tests.studio.test_publishing import SLUG, STUDIO, course, signed_in


def set_status(folder: Path, status: str) -> None:
    path = folder / SLUG / "course.yml"
    text = path.read_text()
    for old in ("status: published", "status: draft"):
        text = text.replace(old, f"status: {status}")
    path.write_text(text)


def import_from(folder: Path) -> str:
    (report,) = import_folder(folder)
    return report.summary() + " | " + " | ".join(report.notes)


def test_a_course_taken_out_in_the_studio_stays_out_until_the_files_change_it(
    app: Flask, imported: None, make_user, course_files: Path
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")  # owner
    assert course().status == "published" and course().files_status == "published"
    taken_out = ivy.post(STUDIO + "/listing", data={"csrf_token": csrf_token(ivy, STUDIO)})
    assert taken_out.status_code == 302 and course().status == "draft"

    # make run's import of unchanged files: the owner's choice stands, and the report says so.
    summary = import_from(course_files)
    assert course().status == "draft"
    assert "course.yml says published, but the course was taken out of the catalogue" in summary
    assert "sample-course: unchanged" in summary

    # New content in the files is a new version; still not the status.
    module = course_files / SLUG / "01-first-steps.md"
    module.write_text(module.read_text() + "\nOne more sentence.\n")
    assert "published as version 2" in import_from(course_files)
    assert course().status == "draft"

    # The files say draft too: they agree now, nothing to report.
    set_status(course_files, "draft")
    assert "course.yml says" not in import_from(course_files)
    assert (course().status, course().files_status) == ("draft", "draft")

    # The files change their status to published: that is a decision made in the files.
    set_status(course_files, "published")
    assert "course details updated" in import_from(course_files)
    assert course().status == "published"


def test_a_course_listed_in_the_studio_stays_listed_while_the_files_say_draft(
    app: Flask, imported: None, make_user, course_files: Path
) -> None:
    set_status(course_files, "draft")
    import_from(course_files)
    assert course().status == "draft"
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    listed = {"csrf_token": csrf_token(ivy, STUDIO), "listed": "y"}
    assert ivy.post(STUDIO + "/listing", data=listed).status_code == 302
    summary = import_from(course_files)
    assert course().status == "published"
    assert "course.yml says draft, but the course was listed in the catalogue" in summary
