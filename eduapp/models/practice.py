"""Practice exams: a learner's own records, apart from attempts, so a practice run never
touches a grade, an attempt count, a wait, completion, a certificate or item statistics."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class PracticeExam(db.Model):
    """One practice exam: the questions drawn (a snapshot, as an attempt keeps one), the
    answers, and once submitted the score overall and per content area."""

    __tablename__ = "practice_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    blueprint: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    timed: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The server's deadline for a timed exam; the browser's clock decides nothing.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # percent
    # {"blueprint": {...as checked}, "areas": [...], "questions": [snapshot + "area"]}
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    responses: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # Once submitted: per question mark, max and correct; per area marks, max and band.
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
