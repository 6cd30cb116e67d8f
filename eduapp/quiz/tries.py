"""How many tries a learner has at a quiz: attempts in every version of it, accommodations
and the pause between attempts. Split from ``services`` so the rules that limit tries read in
one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func

from ..extensions import db
from ..models import Attempt, Quiz, QuizAccommodation, User


def next_attempt_at(quiz: Quiz, last_submitted: datetime | None) -> datetime | None:
    """When the wait after the last attempt ends (None: no wait applies)."""
    if not quiz.wait_minutes or last_submitted is None:
        return None
    return last_submitted + timedelta(minutes=quiz.wait_minutes)


def same_quiz(quiz: Quiz) -> Any:
    """The rows of this quiz in every version of its course, as a subquery of ids: attempts
    count across versions, so moving to a newer version never buys more tries at a final."""
    return (
        db.select(Quiz.id)
        .where(Quiz.course_id == quiz.course_id, Quiz.key == quiz.key)
        .scalar_subquery()
    )


def attempts_for(user: User, quiz: Quiz) -> Sequence[Attempt]:
    """The learner's attempts at this quiz, in whichever versions they took it."""
    return (
        db.session.execute(
            db.select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.quiz_id.in_(same_quiz(quiz)))
            .order_by(Attempt.number)
        )
        .scalars()
        .all()
    )


def extras(user: User, quiz: Quiz) -> tuple[int, int]:
    """(extra attempts, extra minutes) granted to this learner on this quiz, all grants summed.

    A grant is for the quiz in every version of its course: a learner who was granted time
    keeps it whichever version they take."""
    attempts, minutes = db.session.execute(
        db.select(
            func.coalesce(func.sum(QuizAccommodation.extra_attempts), 0),
            func.coalesce(func.sum(QuizAccommodation.extra_minutes), 0),
        )
        .join(Quiz, Quiz.id == QuizAccommodation.quiz_id)
        .where(
            Quiz.course_id == quiz.course_id,
            Quiz.key == quiz.key,
            QuizAccommodation.user_id == user.id,
        )
    ).one()
    return int(attempts), int(minutes)


def allowed_attempts(user: User, quiz: Quiz) -> int | None:
    if quiz.max_attempts is None:
        return None
    return quiz.max_attempts + extras(user, quiz)[0]
