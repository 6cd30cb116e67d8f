"""What importing a course folder would change against a published version, counted the way
the import summary reports it; split from ``versions`` (which writes versions) because the
what-changed page will read the same comparison."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CourseFigure, CourseVersion, Module, Question, Quiz
from .data import CourseData
from .versions import (
    module_values,
    question_row_values,
    question_values,
    quiz_values,
    row_values,
    settings_of,
)


def diff(version: CourseVersion, data: CourseData) -> Counter[str]:
    """What importing ``data`` would change against ``version``, counted the way the import
    summary reports it ("2 modules updated", "1 question retired"). Empty: the same content."""
    changes: Counter[str] = Counter()
    settings = settings_of(data)
    if row_values(version, settings) != settings or version.label != data.meta.version:
        changes["course details updated"] += 1
    figures = {
        row.path: row.sha256
        for row in db.session.execute(
            db.select(CourseFigure).filter_by(version_id=version.id)
        ).scalars()
    }
    for path, figure in data.figures.items():
        old = figures.pop(path, None)
        if old is None:
            changes["figures added"] += 1
        elif old != hashlib.sha256(figure.data).hexdigest():
            changes["figures updated"] += 1
    changes["figures removed"] += len(figures)
    _diff_rows(
        changes,
        "modules",
        {m.slug: m for m in _live(Module, version)},
        {m.slug: module_values(m) for m in data.modules},
    )
    quizzes = {q.key: q for q in _live(Quiz, version)}
    _diff_rows(changes, "quizzes", quizzes, {q.key: quiz_values(q) for q in data.quizzes})
    questions = _questions_by_quiz([q.id for q in quizzes.values()])
    for quiz in data.quizzes:
        row = quizzes.get(quiz.key)
        _diff_rows(
            changes,
            "questions",
            questions.get(row.id, {}) if row is not None else {},
            {q.key: question_values(q) for q in quiz.questions},
        )
    return +changes


def everything_added(data: CourseData) -> Counter[str]:
    """The import summary of a course seen for the first time."""
    return +Counter(
        {
            "modules added": len(data.modules),
            "quizzes added": len(data.quizzes),
            "questions added": sum(len(q.questions) for q in data.quizzes),
            "figures added": len(data.figures),
        }
    )


def _live(model: type[Module] | type[Quiz], version: CourseVersion) -> list[Any]:
    """A version's rows (rows carried over from before versions may be retired: not content)."""
    return list(
        db.session.execute(
            db.select(model).filter_by(version_id=version.id, retired=False)
        ).scalars()
    )


def _questions_by_quiz(quiz_ids: list[int]) -> dict[int, dict[str, Question]]:
    by_quiz: dict[int, dict[str, Question]] = {}
    rows = db.session.execute(
        db.select(Question)
        .where(Question.quiz_id.in_(quiz_ids), Question.retired.is_(False))
        .options(selectinload(Question.choices))
    ).scalars()
    for row in rows:
        by_quiz.setdefault(row.quiz_id, {})[row.key] = row
    return by_quiz


def _diff_rows(
    changes: Counter[str], what: str, old: dict[str, Any], new: dict[str, dict[str, Any]]
) -> None:
    for key, values in new.items():
        row = old.get(key)
        if row is None:
            changes[f"{what} added"] += 1
            continue
        current = (
            question_row_values(row, values) if what == "questions" else row_values(row, values)
        )
        if current != values:
            changes[f"{what} updated"] += 1
    changes[f"{what} retired"] += sum(1 for key in old if key not in new)
