"""Importing is idempotent, keyed by stable ids, and all-or-nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Choice, Course, Module, Question, Quiz
from tests.conftest import FIXTURES


@pytest.fixture
def courses(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "courses", tmp_path / "courses")
    return tmp_path / "courses"


def run_import(path: Path) -> list[str]:
    reports = import_courses(load_catalogue(path))
    db.session.commit()
    return [r.summary() for r in reports]


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


def test_first_import_creates_everything(app: Flask, courses: Path) -> None:
    assert run_import(courses) == [
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


def test_second_import_of_unchanged_files_writes_nothing(app: Flask, courses: Path) -> None:
    run_import(courses)
    db.session.expire_all()
    with writes() as seen:
        assert run_import(courses) == ["sample-course: unchanged"]
    assert seen == []


def test_changed_question_is_updated_in_place(app: Flask, courses: Path) -> None:
    run_import(courses)
    question = db.session.execute(db.select(Question).filter_by(key="q-single")).scalar_one()
    original_id = question.id
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    quiz.write_text(quiz.read_text().replace("The wrong one", "A better distractor"))
    assert run_import(courses) == ["sample-course: 1 question updated"]
    db.session.expire_all()
    question = db.session.execute(db.select(Question).filter_by(key="q-single")).scalar_one()
    assert question.id == original_id
    texts = (
        db.session.execute(
            db.select(Choice.text_html).filter_by(question_id=original_id).order_by(Choice.position)
        )
        .scalars()
        .all()
    )
    assert texts == ["The right one", "A better distractor"]


def test_removed_question_and_module_are_retired_not_deleted(app: Flask, courses: Path) -> None:
    run_import(courses)
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text()
    quiz.write_text(text[: text.index("  - id: q-tf")])
    (courses / "sample-course" / "02-second-module.md").unlink()
    assert run_import(courses) == [
        "sample-course: 1 course details updated, 1 module retired, 1 question retired"
    ]
    retired = db.session.execute(db.select(Question).filter_by(key="q-tf")).scalar_one()
    assert retired.retired
    module = db.session.execute(db.select(Module).filter_by(slug="second-module")).scalar_one()
    assert module.retired
    # Putting it back brings the same rows back to life.
    quiz.write_text(text)
    assert "1 question updated" in run_import(courses)[0]
    assert not db.session.get(Question, retired.id).retired


def test_removed_choice_and_quiz(app: Flask, courses: Path) -> None:
    run_import(courses)
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    quiz.write_text(
        quiz.read_text().replace(
            "      - id: c\n        text: Wrong C\n        feedback: C is a myth.\n", ""
        )
    )
    (courses / "sample-course" / "final.quiz.yml").unlink()
    assert run_import(courses) == ["sample-course: 1 question updated, 1 quiz retired"]
    keys = (
        db.session.execute(db.select(Choice.key).join(Question).filter(Question.key == "q-multi"))
        .scalars()
        .all()
    )
    assert sorted(keys) == ["a", "b"]
