"""Graded attempts made directly, graded by the real grader against a real snapshot, so the
rows (answers and item totals) are exactly the ones a submit writes, but hundreds can be made
in a test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import Attempt, AttemptStatus, Quiz, User
from eduapp.quiz.grading import grade_attempt
from eduapp.quiz.services import record_answers
from eduapp.quiz.snapshot import take_snapshot


def learners(count: int, prefix: str = "learner") -> list[User]:
    """Learners without a real password hash (nobody signs in as them; hashing is slow)."""
    users = [
        User(email=f"{prefix}{i}@example.org", name=f"{prefix} {i}", password_hash="-")
        for i in range(count)
    ]
    db.session.add_all(users)
    db.session.flush()
    return users


def graded_attempt(
    quiz: Quiz, learner: User, responses: Mapping[str, Sequence[str]], number: int = 1
) -> Attempt:
    snapshot = take_snapshot(quiz)
    result = grade_attempt(snapshot, responses)
    attempt = Attempt(
        user_id=learner.id,
        quiz_id=quiz.id,
        number=number,
        status=AttemptStatus.GRADED,
        started_at=now(),
        submitted_at=now(),
        marks=result.marks,
        max_marks=result.max_marks,
        score=result.score,
        passed=result.passed,
        snapshot=snapshot,
        responses={},
    )
    db.session.add(attempt)
    db.session.flush()
    record_answers(attempt, result)  # as a submit does
    return attempt
