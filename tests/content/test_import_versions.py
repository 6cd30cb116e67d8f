"""Files and database without surprises: what an import does once courses have versions.

Unchanged files write nothing; changed files become a new version that new learners get
while enrolled learners keep theirs; once an author has published in the studio, changed files
are skipped with a warning naming them (``make run`` goes on), and ``--force`` imports them as
one more version, keeping every earlier one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.content import versions
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_course
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Enrolment, User, VersionSource
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import catalogue, import_folder

MODULE = "/courses/sample-course/modules/first-steps"


def run_import(path: Path, force: bool = False) -> list[str]:
    return [r.summary() for r in import_folder(path, force=force)]


def edit_module(course_files: Path, old: str, new: str) -> None:
    module = course_files / "sample-course" / "01-first-steps.md"
    module.write_text(module.read_text().replace(old, new))


def numbers() -> list[tuple[int, str]]:
    db.session.rollback()  # see what the command line committed
    return [
        tuple(row)
        for row in db.session.execute(
            db.select(CourseVersion.number, CourseVersion.source).order_by(CourseVersion.number)
        )
    ]


def publish_from_studio(course_files: Path, author: User, sentence: str) -> CourseVersion:
    """The course as an author publishes it in the studio: the files' content with a fix.

    (The studio's editor lands in a later slice of this issue; its publish writes the same kind
    of version row, through the same writer.)"""
    folder = course_files.parent / "studio" / "sample-course"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(course_files / "sample-course", folder)
    module = folder / "01-first-steps.md"
    module.write_text(module.read_text() + f"\n{sentence}\n")
    data = load_course(folder)
    course = db.session.execute(db.select(Course)).scalar_one()
    version = versions.write_version(
        course,
        data,
        number=max(n for n, _ in numbers()) + 1,
        source=VersionSource.STUDIO,
        digest=versions.content_hash(data),
    )
    version.published_by_id = author.id
    versions.make_current(course, version)
    db.session.commit()
    return version


def test_new_learners_get_the_new_version_and_started_ones_keep_theirs(
    app: Flask, course_files: Path, client: FlaskClient, auth: AuthActions
) -> None:
    run_import(course_files)
    auth.signup()
    client.post(
        "/courses/sample-course/start",
        data={"csrf_token": csrf_token(client, "/courses/sample-course")},
    )
    edit_module(course_files, "manual manipulation", "skilled manual manipulation")
    assert run_import(course_files) == [
        "sample-course: 1 course details updated, 1 module updated; published as version 2"
    ]

    html = client.get(MODULE).get_data(as_text=True)
    assert "manual manipulation" in html and "skilled manual" not in html
    auth.logout()
    auth.signup(email="new@example.org", name="New Learner")
    assert "skilled manual manipulation" in client.get(MODULE).get_data(as_text=True)
    client.post(
        "/courses/sample-course/start",
        data={"csrf_token": csrf_token(client, "/courses/sample-course")},
    )
    db.session.rollback()
    pinned = dict(
        db.session.execute(
            db.select(User.email, CourseVersion.number)
            .join(Enrolment, Enrolment.user_id == User.id)
            .join(CourseVersion, CourseVersion.id == Enrolment.version_id)
        ).all()
    )
    assert pinned == {"ann@example.org": 1, "new@example.org": 2}


def test_changed_files_after_a_studio_publish_are_skipped_with_a_warning(
    app: Flask, course_files: Path, runner: FlaskCliRunner, make_user
) -> None:
    run_import(course_files)
    ivy = make_user("ivy@example.org", "Ivy Instructor", role="instructor")
    publish_from_studio(course_files, ivy, "A fix made in the studio.")

    # Unchanged files: nothing to say, nothing written.
    assert run_import(course_files) == ["sample-course: unchanged"]
    edit_module(course_files, "manual manipulation", "hands-on manipulation")
    result = runner.invoke(args=["courses", "import", str(course_files)])
    assert result.exit_code == 0, result.output
    assert (
        "warning: sample-course: skipped: the files changed since the last import (version 1), "
        "but Ivy Instructor <ivy@example.org> published version 2 (1.0) in the studio since "
        "then, so the studio's version stays; `flask courses import --force` imports the files "
        "as a new version, keeping every earlier one"
    ) in result.output
    assert numbers() == [(1, "files"), (2, "studio")]
    course = db.session.execute(db.select(Course)).scalar_one()
    assert (
        course.current_version_id
        == db.session.execute(db.select(CourseVersion.id).filter_by(number=2)).scalar_one()
    )

    # --force: the files become version 3; versions 1 and 2 stay.
    forced = runner.invoke(args=["courses", "import", "--force", str(course_files)])
    assert forced.exit_code == 0, forced.output
    assert "published as version 3" in forced.output
    assert "warning: sample-course: course.yml still says version 1.0" in forced.output
    assert numbers() == [(1, "files"), (2, "studio"), (3, "files")]
    # From then on the files are the last import again: unchanged files write nothing.
    assert run_import(course_files) == ["sample-course: unchanged"]


def test_the_studio_fix_survives_make_runs_import(
    app: Flask, course_files: Path, client: FlaskClient, auth: AuthActions, make_user
) -> None:
    """``make run`` imports ``courses/`` on every start; a studio publish must outlive it,
    even when the files changed in the meantime."""
    run_import(course_files)
    ivy = make_user("ivy@example.org", "Ivy Instructor", role="instructor")
    publish_from_studio(course_files, ivy, "Check the client's medication list first.")
    edit_module(course_files, "manual manipulation", "hands-on manipulation")
    run_import(course_files)
    run_import(course_files)
    auth.signup()
    html = client.get(MODULE).get_data(as_text=True)
    assert "Check the client&#39;s medication list first." in html or (
        "Check the client's medication list first." in html
    )
    assert "hands-on manipulation" not in html


def test_the_catalogue_status_follows_the_files_until_the_studio_takes_over(
    app: Flask, course_files: Path
) -> None:
    run_import(course_files)
    course_file = course_files / "sample-course" / "course.yml"
    course_file.write_text(course_file.read_text().replace("status: published", "status: draft"))
    assert run_import(course_files) == ["sample-course: 1 course details updated"]
    assert numbers() == [(1, "files")]  # a status is the course's, not a new version
    assert db.session.execute(db.select(Course.status)).scalar_one() == "draft"


def test_the_module_hash_from_rows_equals_the_hash_from_files(app: Flask) -> None:
    """The studio hashes modules from rows and the import from files; learners moving between
    versions keep a module only if the two agree on every shipped course."""
    from sqlalchemy.orm import selectinload

    from eduapp.models import Module, Question, Quiz

    import_courses(catalogue(Path(__file__).parents[2] / "courses"))
    db.session.commit()
    modules = db.session.execute(db.select(Module)).scalars().all()
    quizzes = {q.module_id: q for q in db.session.execute(db.select(Quiz)).scalars()}
    questions: dict[int, list[Question]] = {}
    for question in db.session.execute(
        db.select(Question).options(selectinload(Question.choices))
    ).scalars():
        questions.setdefault(question.quiz_id, []).append(question)
    assert len(modules) > 40
    for module in modules:
        quiz = quizzes.get(module.id)
        rows = questions.get(quiz.id, []) if quiz is not None else []
        assert versions.row_module_hash(module, quiz, rows) == module.content_hash, module.slug


def test_a_studio_course_not_yet_published_is_skipped_by_an_import_of_the_same_slug(
    app: Flask, course_files: Path, runner: FlaskCliRunner, make_user
) -> None:
    """The studio refuses a new course named like a course folder, but the folder may come
    later (a git pull): the import then skips it with a warning instead of failing make run."""
    from eduapp.studio import drafts
    from eduapp.studio.newcourse import create_course

    ivy = make_user("ivy@example.org", "Ivy Instructor", role="instructor")
    course = create_course(
        title="Sample Course", slug="sample-course", summary="Written in the studio.", creator=ivy
    )
    db.session.commit()
    # A co-author without a draft starts one from the course's own settings.
    cora = make_user("cora@example.org", "Cora", role="instructor")
    empty = drafts.open_draft(course, cora)
    assert (empty.base_id, empty.title, drafts.modules_of(empty)) == (None, "Sample Course", [])
    db.session.commit()

    result = runner.invoke(args=["courses", "import", str(course_files)])
    assert result.exit_code == 0, result.output
    assert "warning: sample-course: skipped: a course with this slug was created in the studio" in (
        result.output
    )
    assert [n for n in numbers() if n[0] is not None] == []
    forced = runner.invoke(args=["courses", "import", "--force", str(course_files)])
    assert forced.exit_code == 0, forced.output
    assert "published as version 1" in forced.output
    assert [n for n in numbers() if n[0] is not None] == [(1, "files")]
