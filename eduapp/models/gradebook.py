"""The record of who looked at learners' individual results in a course's gradebook."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime

PAGE = "page"
CSV = "csv"


class GradebookView(db.Model):
    """One showing of per-learner rows (the page or its CSV): who, when, which course, how
    many learners were shown, and whether the viewer saw them as an admin (everyone) or as an
    owner or co-author (only learners who share). Written only when at least one learner's
    row was shown; aggregate figures are not recorded. Append-only."""

    __tablename__ = "gradebook_views"
    __table_args__ = (Index("ix_gradebook_views_course_at", "course_id", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    viewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    learners_shown: Mapped[int] = mapped_column(Integer)
    as_admin: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(10))  # PAGE or CSV


class GradebookViewLearner(db.Model):
    """A learner whose row a ``GradebookView`` showed, so that the learner can see on the
    course page who looked at their results, and when."""

    __tablename__ = "gradebook_view_learners"

    view_id: Mapped[int] = mapped_column(ForeignKey("gradebook_views.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
