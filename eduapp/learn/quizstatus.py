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

from ..database import read_rows
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
def _attempts(one_course: bool) -> Any:
    """The learner's attempts, with their quiz's course and key: in one course (the course,
    module and quiz pages) or in all (My learning, review). Built once, with no expanding
    ``IN`` list: every page runs one, and expanding a list costs more than SQLite's work."""
    statement = (
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
        .where(Attempt.user_id == bindparam("user_id"))
        .order_by(Attempt.number, Attempt.id)
    )
    return statement.where(Quiz.course_id == bindparam("course_id")) if one_course else statement


def quiz_statuses(quizzes: Sequence[Quiz], user: User | None) -> dict[int, QuizStatus]:
    """Grade, attempt count and pass per quiz, from one query over the learner's attempts.

    A quiz is the same quiz in every version of its course (its key), as ``quiz.tries`` counts
    attempts: a learner who moved to a newer version keeps the grade they earned in the older
    one and sees the same attempt count the limit is checked against."""
    statuses = {q.id: QuizStatus(q) for q in quizzes}
    if user is None or not statuses:
        return statuses
    by_key = {(q.course_id, q.key): statuses[q.id] for q in quizzes}
    courses = {q.course_id for q in quizzes}
    params = {"user_id": user.id, "course_id": next(iter(courses))}
    rows = read_rows(_attempts(len(courses) == 1), params)
    graded: dict[int, list[GradedAttempt]] = {}
    # Unpacked, not read by name: a row's attribute costs a failed class look-up each time
    # (about 2 µs in SQLAlchemy 2.1), which was most of this loop's work.
    for course_id, key, number, attempt_status, score, passed, submitted_at in rows:
        status = by_key.get((course_id, key))
        if status is None:  # a quiz not asked about (another course's, or one since removed)
            continue
        status.attempts += 1
        if attempt_status == AttemptStatus.GRADED:
            status.submitted += 1
            graded.setdefault(status.quiz.id, []).append(GradedAttempt(number, score, bool(passed)))
            status.last_submitted = submitted_at
    for quiz_id, attempts in graded.items():
        status = statuses[quiz_id]
        status.best_score, status.passed = quiz_grade(
            status.quiz.grading_method, attempts, status.quiz.passing_score
        )
    return statuses
