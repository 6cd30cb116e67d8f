"""Who may manage a course: its owners and co-authors, kept only in the database.

Course files name their authors for the reader; they never name accounts, so a file in git
cannot grant anyone access. A course with no rows here (every imported course, until an admin
assigns people) is managed by admins alone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime

ACTIVE = text("removed_at IS NULL")


class CourseRole(StrEnum):
    OWNER = "owner"
    CO_AUTHOR = "co-author"


class CourseOwner(db.Model):
    """One person's place on a course, from when they were added until they were removed.

    A removal or a change of role closes the row (``removed_at``) instead of deleting it, so
    the course keeps the record of who added and removed whom, and when. At most one open row
    per person and course; the partial unique index makes a second concurrent add fail.
    """

    __tablename__ = "course_owners"
    __table_args__ = (
        Index(
            "uq_course_owners_active",
            "course_id",
            "user_id",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # None: added from the shell (``flask studio owners``), where no account is signed in.
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_owner(self) -> bool:
        return self.role == CourseRole.OWNER

    def __repr__(self) -> str:
        return f"<CourseOwner course={self.course_id} user={self.user_id} {self.role}>"
