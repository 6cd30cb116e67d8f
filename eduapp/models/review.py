"""Spaced review: a learner's cards (missed questions, key points) and the log of every review.

A card holds what it shows (prompt, key, explanation, module link) as it was in the version
the learner met it, so a later edit never changes a card behind their back; following a new
version is an explicit step (``review.follow``) that resets or retires it. The scheduling
columns are exactly what ``fsrs.Card`` needs to be rebuilt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class CardKind:
    QUESTION = "question"  # ``item`` is "<quiz key>/<question key>"
    KEYPOINT = "keypoint"  # ``item`` is "<module slug>/<key point id>"


class CardOrigin:
    MISSED = "missed"  # made when the learner got the question wrong
    ADDED = "added"  # the learner chose to add it


class ReviewCard(db.Model):
    __tablename__ = "review_cards"
    __table_args__ = (
        # One card per learner and item: a repeated miss or a second "add" finds the card.
        UniqueConstraint("user_id", "course_id", "kind", "item"),
        # The navigation's count: the learner's active cards due by now.
        Index("ix_review_cards_user_due", "user_id", "retired", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    kind: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(170))
    origin: Mapped[str] = mapped_column(String(20))
    # The version whose content the card shows, and the rows it came from there.
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))
    # SHA-256 of the content in canonical form: a different hash in the learner's version
    # means the question or key point changed, and the card starts again.
    content_hash: Mapped[str] = mapped_column(String(64))
    # A question: its attempt snapshot entry (prompt, choices, key, explanation). A key point:
    # {"title", "html"}. Sanitised HTML, as it was rendered at import.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Not in the learner's current version: not shown, kept (its log points at it).
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # fsrs.Card's fields.
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewLog(db.Model):
    """Append-only: one row per rating, with the scheduler's version and the card's state
    before and after, so parameters can be fitted to a learner's history later."""

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rating: Mapped[int] = mapped_column(Integer)  # fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    fsrs_version: Mapped[str] = mapped_column(String(20))
    desired_retention: Mapped[float] = mapped_column(Float)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
