"""Importing is idempotent, keyed by stable ids, and all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from eduapp.extensions import db
from eduapp.models import Choice, Course, CourseVersion, Module, Question, Quiz
from tests.coursefiles import import_folder


def run_import(path: Path) -> list[str]:
    return [r.summary() for r in import_folder(path)]


@contextmanager
def writes() -> Iterator[list[str]]:
    """Collect every INSERT/UPDATE/DELETE sent to the database."""
    seen: list[str] = []

    def record(conn, cursor, statement, params, context, executemany) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_first_import_creates_everything(app: Flask, course_files: Path) -> None:
    assert run_import(course_files) == [
        "sample-course: 1 course created, 2 modules added, 4 questions added, 2 quizzes added"
    ]
    course = db.session.execute(db.select(Course)).scalar_one()
    assert (course.module_count, course.total_minutes, course.word_count) == (2, 8, 41)
    assert course.references[0] == {
        "id": "furlan2015",
        "citation": "Furlan AD, et al. Massage for low-back pain. Cochrane Database Syst Rev 2015.",
        "doi": "10.1002/14651858.CD001929.pub3",
    }
    module = db.session.execute(db.select(Module).filter_by(slug="first-steps")).scalar_one()
    assert module.cited == ["furlan2015", "moyer2004"]
    assert '<aside class="evidence evidence-moderate">' in module.body_html
    final = db.session.execute(db.select(Quiz).filter_by(key="final")).scalar_one()
    assert (final.module_id, final.name, final.passing_score, final.max_attempts) == (
        None,
        "final",
        50,
        3,
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Choice)) == 9


def test_second_import_of_unchanged_files_writes_nothing(app: Flask, course_files: Path) -> None:
    run_import(course_files)
    db.session.expire_all()
    with writes() as seen:
        assert run_import(course_files) == ["sample-course: unchanged"]
    assert seen == []


def _version_rows(model: type, number: int, **keys: str) -> list:
    """Rows of one kind in the course's version ``number``."""
    version = db.session.execute(db.select(CourseVersion).filter_by(number=number)).scalar_one()
    return list(
        db.session.execute(db.select(model).filter_by(version_id=version.id, **keys)).scalars()
    )


def _question(number: int, key: str) -> Question:
    (quiz,) = _version_rows(Quiz, number, key="first-steps")
    return db.session.execute(db.select(Question).filter_by(quiz_id=quiz.id, key=key)).scalar_one()


def _choice_texts(question: Question) -> list[str]:
    return list(
        db.session.execute(
            db.select(Choice.text_html).filter_by(question_id=question.id).order_by(Choice.position)
        ).scalars()
    )


def test_changed_question_is_a_new_version_and_the_old_one_stays(
    app: Flask, course_files: Path
) -> None:
    run_import(course_files)
    quiz = course_files / "sample-course" / "01-first-steps.quiz.yml"
    quiz.write_text(quiz.read_text().replace("The wrong one", "A better distractor"))
    assert run_import(course_files) == ["sample-course: 1 question updated; published as version 2"]
    db.session.expire_all()
    old, new = _question(1, "q-single"), _question(2, "q-single")
    assert old.id != new.id
    assert _choice_texts(old) == ["The right one", "The wrong one"]
    assert _choice_texts(new) == ["The right one", "A better distractor"]
    course = db.session.execute(db.select(Course)).scalar_one()
    versions = db.session.execute(
        db.select(CourseVersion.number, CourseVersion.source).order_by(CourseVersion.number)
    ).all()
    assert [tuple(v) for v in versions] == [(1, "files"), (2, "files")]
    (v2,) = _version_rows(Module, 2, slug="first-steps")
    assert course.current_version_id == v2.version_id


def test_removed_question_and_module_leave_the_new_version_only(
    app: Flask, course_files: Path
) -> None:
    run_import(course_files)
    quiz = course_files / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text()
    quiz.write_text(text[: text.index("  - id: q-tf")])
    (course_files / "sample-course" / "02-second-module.md").unlink()
    assert run_import(course_files) == [
        "sample-course: 1 course details updated, 1 module retired, 1 question retired; "
        "published as version 2"
    ]
    assert _version_rows(Module, 2, slug="second-module") == []
    # The learners of version 1 keep the module and the question, untouched.
    (kept,) = _version_rows(Module, 1, slug="second-module")
    assert not kept.retired
    assert not _question(1, "q-tf").retired
    # Putting the question back is one more version.
    quiz.write_text(text)
    assert run_import(course_files) == ["sample-course: 1 question added; published as version 3"]


def test_removed_choice_and_quiz(app: Flask, course_files: Path) -> None:
    run_import(course_files)
    quiz = course_files / "sample-course" / "01-first-steps.quiz.yml"
    quiz.write_text(
        quiz.read_text().replace(
            "      - id: c\n        text: Wrong C\n        feedback: C is a myth.\n", ""
        )
    )
    (course_files / "sample-course" / "final.quiz.yml").unlink()
    assert run_import(course_files) == [
        "sample-course: 1 question updated, 1 quiz retired; published as version 2"
    ]
    assert _version_rows(Quiz, 2, key="final") == []
    keys = {n: [c.key for c in _choices(_question(n, "q-multi"))] for n in (1, 2)}
    assert keys == {1: ["a", "b", "c"], 2: ["a", "b"]}


def _choices(question: Question) -> list[Choice]:
    return list(
        db.session.execute(
            db.select(Choice).filter_by(question_id=question.id).order_by(Choice.position)
        ).scalars()
    )
