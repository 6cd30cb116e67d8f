"""Quizzes, their questions and choices: the live question bank that attempts snapshot."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db
from .types import UTCDateTime

if TYPE_CHECKING:
    from .course import Course, Module

FINAL_KEY = "final"


class Quiz(db.Model):
    """A module's quiz (``key`` is the module slug) or the course's final (``key == "final"``)."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    # The course version this quiz belongs to; its questions and choices belong to it too.
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"), unique=True)
    key: Mapped[str] = mapped_column(String(80))
    # The quiz file's stem (``final``, ``03-stress``), the name instructors use in commands.
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    passing_score: Mapped[int] = mapped_column(Integer, default=80)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    grading_method: Mapped[str] = mapped_column(String(20), default="highest")
    review: Mapped[str] = mapped_column(String(30), default="immediately")
    draw: Mapped[int | None] = mapped_column(Integer)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    shuffle_choices: Mapped[bool] = mapped_column(Boolean, default=False)
    wait_minutes: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="quizzes", lazy="raise")
    module: Mapped[Module | None] = relationship(back_populates="quiz", lazy="raise")
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", lazy="raise"
    )

    @property
    def is_final(self) -> bool:
        return self.key == FINAL_KEY


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(20))
    prompt_html: Mapped[str] = mapped_column(Text)
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    points: Mapped[int] = mapped_column(Integer, default=1)
    # The answer key of types without choices (short, numeric, matching, ordering).
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The question as written in its quiz file (quiz-file shape), for export; None until the
    # course is imported again after the column was added.
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Retired, never deleted: past answers point at it.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    quiz: Mapped[Quiz] = relationship(back_populates="questions", lazy="raise")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        order_by="Choice.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class Choice(db.Model):
    __tablename__ = "choices"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    text_html: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(Boolean, default=False)
    # Share of the marks as exact decimal text ("0.5", "-0.25"); None lets is_correct decide.
    fraction: Mapped[str | None] = mapped_column(String(20))
    feedback_html: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship(back_populates="choices", lazy="raise")


class QuizAccommodation(db.Model):
    """Extra attempts or time for one learner on one quiz, as Moodle's user overrides.

    Append-only: each grant is a row with who granted it and why, and a learner's
    accommodation is the sum of their grants, so the record doubles as the audit trail.
    """

    __tablename__ = "quiz_accommodations"
    __table_args__ = (Index("ix_quiz_accommodations_quiz_user", "quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(500))
