"""What each learner has done: enrolments, module progress, attempts and their answers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    # The version this learner is taking: set at enrolment, changed only when they choose to
    # move to a newer one (learn.versions).
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Set once, never cleared: completion is not undone by a later attempt or re-import.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the learner chose, on the course page, to share their results with the course's
    # owners and co-authors (studio gradebook); None (the default) when they do not share.
    # Cleared the moment they withdraw, so the gradebook stops showing them at once.
    results_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttemptStatus:
    IN_PROGRESS = "in_progress"
    GRADED = "graded"


class Attempt(db.Model):
    """One try at a quiz, with a snapshot of exactly what the learner was shown."""

    __tablename__ = "attempts"
    __table_args__ = (
        # Numbering is unique, so concurrent starts cannot exceed the allowed attempts.
        UniqueConstraint("user_id", "quiz_id", "number"),
        # At most one open attempt per learner and quiz.
        Index(
            "uq_attempts_one_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        Index("ix_attempts_quiz_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marks: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    max_marks: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # percent
    passed: Mapped[bool | None] = mapped_column(Boolean)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Answers saved while the attempt is open ({question key: [values]}), graded if time runs out.
    responses: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # The server's deadline for a timed quiz; the browser's clock decides nothing.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", order_by="Answer.position", lazy="raise"
    )


class Answer(db.Model):
    """A graded answer; chosen keys and marks are columns so statistics can be done in SQL."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    chosen: Mapped[list[str]] = mapped_column(JSON, default=list)
    mark: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    max_mark: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    correct: Mapped[bool] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="answers", lazy="raise")


class Regrade(db.Model):
    """An audit row for each attempt a regrade changed: the original grade and key are kept."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    regraded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    reason: Mapped[str] = mapped_column(String(500))
    old_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    new_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    old_passed: Mapped[bool | None] = mapped_column(Boolean)
    new_passed: Mapped[bool | None] = mapped_column(Boolean)
    # The snapshot as it was graded before, so the original key is never lost.
    old_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
