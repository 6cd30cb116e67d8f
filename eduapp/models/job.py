"""Jobs that failed for good: kept in the database, where an admin sees them and retries.

The queue's own storage (a SQLite file, Redis) forgets a task once its last retry fails, and
holds nothing an admin can read; a row here outlives both and says why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class FailedJob(db.Model):
    """One job run that raised on its last try. ``retried_at`` is set when an admin sends it
    round again (a new failure is a new row)."""

    __tablename__ = "failed_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    traceback: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retried_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
