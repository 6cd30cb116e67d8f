"""A large export asked for in a request and built by a job: its state, and its file once ready.

The request only writes this row; the job (eduapp.exports.jobs) claims it, writes the file
under ``EDUAPP_FILES_DIR/exports/`` (shared by every app server) and marks it ready. Only the
person who asked may see it or download it. An export is about one clinic (its manager's
exports) or one course (its gradebook): exactly one of the two ids is set.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class ExportStatus(enum.StrEnum):
    PENDING = "pending"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"
    # Not built, for good: the asker may no longer see what it would hold (not retried).
    REFUSED = "refused"


# Exactly one subject; written out in full so SQLite and PostgreSQL read it the same.
ONE_SUBJECT = (
    "(clinic_id IS NOT NULL AND course_id IS NULL) OR (clinic_id IS NULL AND course_id IS NOT NULL)"
)


class ExportRequest(db.Model):
    __tablename__ = "export_requests"
    __table_args__ = (CheckConstraint(ONE_SUBJECT, name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # "audit-pack"
    status: Mapped[str] = mapped_column(String(10), default=ExportStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # When a worker claimed it: a worker that died mid-build leaves it "building", and it is
    # handed out again once this is old (eduapp.exports.jobs.BUILD_LEASE).
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The file's random name under FILES_DIR/exports/, and its size, once ready.
    file_key: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    # The dashboard's filters when the manager pressed the button ({"q", "status", "sort"}),
    # so the job builds what they had on screen; None: everyone (the audit pack, or older).
    filters: Mapped[dict[str, str] | None] = mapped_column(JSON)

    @property
    def subject_id(self) -> int:
        """The clinic's or the course's id, whichever the export is about."""
        subject = self.clinic_id if self.clinic_id is not None else self.course_id
        assert subject is not None  # the check constraint
        return subject

    @property
    def ready(self) -> bool:
        return self.status == ExportStatus.READY.value
