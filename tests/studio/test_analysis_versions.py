"""The item analysis of a quiz in its newest version keeps the answers given in earlier
versions to the questions that did not change; a changed question starts afresh."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from eduapp.extensions import db
from eduapp.models import Course
from eduapp.quiz.analysis import analyse_quiz
from eduapp.quiz.services import quiz_in_course
from tests.coursefiles import import_folder
from tests.studio.test_item_totals import submit


def analysis() -> dict[str, int]:
    db.session.rollback()
    course = db.session.execute(db.select(Course)).scalar_one()
    quiz = quiz_in_course(course, "first-steps")
    assert quiz is not None
    result = analyse_quiz(quiz, "all")
    return {"attempts": result.attempts} | {q.key: q.stats.responses for q in result.questions}


def reimport(courses: Path, file: str, old: str, new: str) -> None:
    path = courses / "sample-course" / file
    path.write_text(path.read_text().replace(old, new) if old else path.read_text() + new)
    import_folder(courses)


def test_unchanged_questions_keep_their_answers_across_versions(app: Flask, courses: Path) -> None:
    submit(app, "amy@example.org", {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"})
    assert analysis() == {"attempts": 1, "q-single": 1, "q-multi": 1, "q-tf": 1}

    # Version 2 rewords another module only: the quiz's figures carry over whole.
    reimport(courses, "02-second-module.md", "", "\nReworded.\n")
    assert analysis() == {"attempts": 1, "q-single": 1, "q-multi": 1, "q-tf": 1}

    # Version 3 changes one choice of q-single: that question starts afresh, the others keep
    # their answers, and a new learner's answers add to them.
    reimport(courses, "01-first-steps.quiz.yml", "The wrong one", "A plausible wrong one")
    assert analysis() == {"attempts": 1, "q-single": 0, "q-multi": 1, "q-tf": 1}
    submit(app, "ben@example.org", {"q-q-single": "b", "q-q-multi": ["a"], "q-q-tf": "true"})
    assert analysis() == {"attempts": 2, "q-single": 1, "q-multi": 2, "q-tf": 2}
