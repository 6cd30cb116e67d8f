"""The course-versions migration on a database with learners in it, on SQLite and PostgreSQL.

A learner's whole record is made through the app (progress, module quiz and final attempts
with their item totals, an evaluation and a certificate); the schema goes back to before
versions and up again, and every row is still there, pointing at what it pointed at, with each
course as its version 1. Then the files are imported: unchanged files are recorded in version 1
(no new version), changed files become version 2 while the learner keeps version 1.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from eduapp import create_app
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Enrolment, Module
from tests.certificates.test_certificates import COURSE, evaluate, pass_everything
from tests.conftest import (
    AuthActions,
    IsolatedClient,
    app_config,
    make_database,
    run_jobs,
    set_course_settings,
)

BEFORE = "e2225763b8ee"  # the revision before course versions
KEPT = (
    "courses",
    "modules",
    "quizzes",
    "questions",
    "choices",
    "enrolments",
    "module_progress",
    "attempts",
    "answers",
    "item_totals",
    "course_evaluations",
    "certificates",
    "course_figures",
)
NEW_COLUMNS = {
    "version_id",
    "current_version_id",
    "source",
    "content_hash",
    "course_id",
    "requires_approval",
    "files_status",
    "results_shared_at",  # a later revision's: going back before it forgets who shares
    # A later revision's (spaced review): key points are extracted again at the next import,
    # and learners' review settings start from their defaults.
    "keypoints",
    "review_retention",
    "review_weekly_mail",
    "review_mailed_at",
}


def rows(table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table``, without the columns the migration adds or moves, by id."""
    columns = [
        c["name"] for c in inspect(db.engine).get_columns(table) if c["name"] not in NEW_COLUMNS
    ]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT {quoted} FROM {table} ORDER BY 1"))]


@pytest.fixture
def versioned_app(tmp_path: Path) -> Any:
    app = create_app(app_config(make_database(tmp_path, "versions"), tmp_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def make_a_learners_record(app: Flask, course_files: Path) -> str:
    """A learner who read, passed, evaluated and got a certificate; returns its code.

    The sample course is too short to carry CE hours, so it carries one only while the
    certificate is issued, and the course is then as its files say again."""
    import_courses(load_catalogue(course_files))
    course = db.session.execute(db.select(Course)).scalar_one()
    set_course_settings(course, ce_hours=Decimal("1"))
    db.session.commit()
    client = app.test_client()
    AuthActions(client).signup()
    pass_everything(client)
    code = evaluate(client).headers["Location"].rsplit("/", 1)[1]
    run_jobs()  # the certificate's PDF, drawn by its job
    set_course_settings(course, ce_hours=Decimal("0"))
    db.session.commit()
    return code


def test_each_course_becomes_version_1_and_keeps_every_learner_record(
    versioned_app: Flask, course_files: Path
) -> None:
    code = make_a_learners_record(versioned_app, course_files)
    db.session.remove()
    downgrade(revision=BEFORE)
    assert "course_versions" not in inspect(db.engine).get_table_names()
    assert "version_id" not in {c["name"] for c in inspect(db.engine).get_columns("modules")}
    before = {table: rows(table) for table in KEPT}
    assert all(before[t] for t in ("attempts", "answers", "item_totals", "certificates"))

    upgrade()
    assert {table: rows(table) for table in KEPT} == before
    course = db.session.execute(db.select(Course)).scalar_one()
    version = db.session.execute(db.select(CourseVersion)).scalar_one()
    assert (version.course_id, version.number, version.label, version.source) == (
        course.id,
        1,
        "1.0",
        "migration",
    )
    assert (version.title, version.ce_hours, version.module_count) == (
        course.title,
        Decimal("0"),
        2,
    )
    assert course.current_version_id == version.id
    with db.engine.connect() as conn:
        for table in ("modules", "quizzes", "enrolments"):
            linked = conn.execute(text(f"SELECT DISTINCT version_id FROM {table}")).scalars()
            assert list(linked) == [version.id], table

    # The learner's pages and certificate work as before.
    client = versioned_app.test_client()
    AuthActions(client).login()
    assert "You completed this course" in client.get(COURSE).get_data(as_text=True)
    assert client.get(f"/certificates/{code}.pdf").status_code == 200
    assert "Sample Course for Tests (version 1.0)" in client.get(f"/verify/{code}").get_data(
        as_text=True
    )

    # Importing the same files records their Markdown in version 1 instead of a new version.
    # (The test's session ends its read first: the sign-in above wrote since, and SQLite
    # refuses a write from a read transaction older than another connection's write.)
    db.session.rollback()
    reports = import_courses(load_catalogue(course_files))
    db.session.commit()
    assert [r.summary() for r in reports] == ["sample-course: unchanged"]
    assert db.session.scalar(db.select(db.func.count()).select_from(CourseVersion)) == 1
    sources = db.session.execute(db.select(Module.source, Module.content_hash)).all()
    assert all(source and digest for source, digest in sources)
    assert db.session.get(CourseVersion, version.id).content_hash is not None


def test_changed_files_after_the_migration_are_version_2_and_the_learner_keeps_1(
    versioned_app: Flask, course_files: Path
) -> None:
    make_a_learners_record(versioned_app, course_files)
    db.session.remove()
    downgrade(revision=BEFORE)
    upgrade()
    module = course_files / "sample-course" / "01-first-steps.md"
    module.write_text(module.read_text() + "\nOne more sentence for the learners.\n")
    reports = import_courses(load_catalogue(course_files))
    db.session.commit()
    assert reports[0].published == 2
    course = db.session.execute(db.select(Course)).scalar_one()
    enrolment = db.session.execute(db.select(Enrolment)).scalar_one()
    first = db.session.execute(db.select(CourseVersion).filter_by(number=1)).scalar_one()
    assert enrolment.version_id == first.id != course.current_version_id
    # The migrated version 1 still has no Markdown: it was never adopted, and stays as taught.
    assert db.session.execute(
        db.select(Module.source).filter_by(version_id=first.id)
    ).scalars().all() == [None, None]


def test_the_downgrade_refuses_once_a_course_has_two_versions(
    versioned_app: Flask, course_files: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import_courses(load_catalogue(course_files))
    db.session.commit()
    module = course_files / "sample-course" / "01-first-steps.md"
    module.write_text(module.read_text() + "\nA second version.\n")
    import_courses(load_catalogue(course_files))
    db.session.commit()
    db.session.remove()
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits 1
        downgrade(revision=BEFORE)
    assert "more than one version or a draft, and the old schema holds one: sample-course" in (
        caplog.text
    )
    assert "course_versions" in inspect(db.engine).get_table_names()


def test_courses_from_files_remember_the_status_their_files_gave(
    versioned_app: Flask, course_files: Path
) -> None:
    """Before the studio's listing switch every import set the status from the files, so the
    migration that adds ``files_status`` starts it at each file course's status; a course
    made in the studio has none."""
    import_courses(load_catalogue(course_files))
    db.session.commit()
    db.session.remove()
    downgrade(revision="a0b3aaa73bab")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE courses SET status = 'draft'"))
    upgrade()
    course = db.session.execute(db.select(Course)).scalar_one()
    assert (course.status, course.files_status) == ("draft", "draft")
