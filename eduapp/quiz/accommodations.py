"""Accommodations: an instructor or admin grants one learner extra attempts or extra time."""

from __future__ import annotations

from collections.abc import Sequence

from ..auth.services import find_user
from ..extensions import db
from ..models import Quiz, QuizAccommodation, User
from .services import QuizError
from .tries import allowed_attempts, extras

__all__ = ["allowed_attempts", "extras", "grant", "grants_for"]


class AccommodationError(QuizError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def grant(
    quiz: Quiz, email: str, extra_attempts: int, extra_minutes: int, reason: str, by: User
) -> QuizAccommodation:
    learner = find_user(email)
    if learner is None:
        raise AccommodationError(f"No learner has the email {email.strip()}.", "email")
    if not extra_attempts and not extra_minutes:
        raise AccommodationError(
            "Grant at least one extra attempt or some extra minutes.", "extra_attempts"
        )
    row = QuizAccommodation(
        quiz_id=quiz.id,
        user_id=learner.id,
        granted_by_id=by.id,
        extra_attempts=extra_attempts,
        extra_minutes=extra_minutes,
        reason=reason.strip(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def grants_for(quiz: Quiz) -> Sequence[tuple[QuizAccommodation, str, str]]:
    """Every grant on the quiz with the learner's and the grantor's email, newest first."""
    granter = db.aliased(User)
    return db.session.execute(
        db.select(QuizAccommodation, User.email, granter.email)
        .join(User, User.id == QuizAccommodation.user_id)
        .join(granter, granter.id == QuizAccommodation.granted_by_id)
        .where(QuizAccommodation.quiz_id == quiz.id)
        .order_by(QuizAccommodation.granted_at.desc(), QuizAccommodation.id.desc())
    ).all()
