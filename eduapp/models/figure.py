"""Figures: image bytes stored once by their SHA-256, and which course path names which.

The bytes live in the database, not on disk, so ``flask db backup`` holds them with the
courses that show them and every app server sees the same files. A course version maps the
paths its modules use (``figures/effleurage.svg``) to hashes, so an older version keeps showing
the figures it was published with.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class Figure(db.Model):
    """One image, immutable: the same bytes are one row however many courses use them."""

    __tablename__ = "figures"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))
    # Deferred: listing or mapping figures never loads up to a megabyte each.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    def __repr__(self) -> str:
        return f"<Figure {self.sha256[:12]} {self.media_type}>"


class CourseFigure(db.Model):
    """``figures/effleurage.svg`` in this course version is that figure."""

    __tablename__ = "course_figures"
    __table_args__ = (UniqueConstraint("version_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(ForeignKey("figures.sha256"), index=True)

    def __repr__(self) -> str:
        return f"<CourseFigure {self.version_id} {self.path}>"
