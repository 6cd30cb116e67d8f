"""A learner's standing on quizzes (grade, attempts, pass), counted the way attempt limits
count them: a quiz is the same quiz in every version of its course. Split from ``services``,
which builds a course's progress from it."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam

from ..extensions import db
from ..models import Attempt, AttemptStatus, Quiz, User
from ..quiz.overall import GradedAttempt, quiz_grade


@dataclass
class QuizStatus:
    """A learner's standing on a quiz. ``passed`` is what grading decided, against the pass
    mark frozen in each attempt, never a fresh comparison with today's pass mark."""

    quiz: Quiz
    best_score: Decimal | None = None  # the quiz's grade, by its grading method
    attempts: int = 0  # started, in progress or not
    submitted: int = 0  # graded
    passed: bool = False
    last_submitted: datetime | None = None


@functools.cache
def _attempts() -> Any:
    """The learner's attempts at quizzes with these keys in these courses. Built once: every
    course and module page runs it."""
    return (
        db.select(
            Quiz.course_id,
            Quiz.key,
            Attempt.number,
            Attempt.status,
            Attempt.score,
            Attempt.passed,
            Attempt.submitted_at,
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == bindparam("user_id"),
            Quiz.course_id.in_(bindparam("course_ids", expanding=True)),
            Quiz.key.in_(bindparam("keys", expanding=True)),
        )
        .order_by(Attempt.number, Attempt.id)
    )


def quiz_statuses(quizzes: Sequence[Quiz], user: User | None) -> dict[int, QuizStatus]:
    """Grade, attempt count and pass per quiz, from one query over the learner's attempts.

    A quiz is the same quiz in every version of its course (its key), as ``quiz.tries`` counts
    attempts: a learner who moved to a newer version keeps the grade they earned in the older
    one and sees the same attempt count the limit is checked against."""
    statuses = {q.id: QuizStatus(q) for q in quizzes}
    if user is None or not statuses:
        return statuses
    by_key = {(q.course_id, q.key): statuses[q.id] for q in quizzes}
    rows = db.session.execute(
        _attempts(),
        {
            "user_id": user.id,
            "course_ids": list({q.course_id for q in quizzes}),
            "keys": list({q.key for q in quizzes}),
        },
    ).all()
    graded: dict[int, list[GradedAttempt]] = {}
    for row in rows:
        status = by_key.get((row.course_id, row.key))
        if status is None:  # another course's quiz with a key this list also has
            continue
        status.attempts += 1
        if row.status == AttemptStatus.GRADED:
            status.submitted += 1
            graded.setdefault(status.quiz.id, []).append(
                GradedAttempt(row.number, row.score, bool(row.passed))
            )
            status.last_submitted = row.submitted_at
    for quiz_id, attempts in graded.items():
        status = statuses[quiz_id]
        status.best_score, status.passed = quiz_grade(
            status.quiz.grading_method, attempts, status.quiz.passing_score
        )
    return statuses
