"""What was reported to CE Broker: a batch per roster an admin marked as uploaded, and one
row per completion (certificate) in it. Append-only; a certificate is reported at most once,
so marking the same roster twice records nothing the second time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class CeBrokerBatch(db.Model):
    """One roster marked as uploaded to CE Broker: which course, by whom, when, and the
    tracking numbers it carried."""

    __tablename__ = "cebroker_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    provider_tracking: Mapped[str] = mapped_column(String(20))
    completions: Mapped[int] = mapped_column(Integer)


class CeBrokerReport(db.Model):
    """One completion reported in a batch, with the course tracking number it went under."""

    __tablename__ = "cebroker_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("cebroker_batches.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
    course_tracking: Mapped[str] = mapped_column(String(20))
