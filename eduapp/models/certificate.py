"""Course evaluations and CE certificates: records an auditor relies on, so append-only."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


def new_certificate_code() -> str:
    """128 random bits, URL-safe: the certificate's public id, printed on it and in its QR.

    It starts with a letter, so no spreadsheet reads it as a formula and no command line as
    an option (a bare token can start with '-').
    """
    return "c" + secrets.token_urlsafe(16)


class CourseEvaluation(db.Model):
    """A learner's evaluation of a CE course (NCBTMB asks for one before the certificate)."""

    __tablename__ = "course_evaluations"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Ratings 1..5 by question key, and an optional comment.
    ratings: Mapped[dict[str, int]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")


class Certificate(db.Model):
    """A Certificate of Achievement, with its facts and PDF exactly as issued.

    Nothing here is updated after issue except the PDF (rendered once, just after), the
    revocation (set once) and the review flag.
    A correction is a new certificate whose ``replaces_id`` points at the old one. Rows are
    kept at least six years and survive the learner's account (the facts hold the name).
    """

    __tablename__ = "certificates"
    __table_args__ = (
        # One original certificate per learner and course; corrections point at it.
        Index(
            "uq_certificates_one_original",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("replaces_id IS NULL"),
            postgresql_where=text("replaces_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, default=new_certificate_code)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # Everything printed, as it was at issue (name, course, hours, approvals, provider...).
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Rendered by a job after the request that issued it (eduapp.certificates.jobs); until
    # then both are empty and the PDF link answers "being prepared". Set once, never changed.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    # Set when a regrade turned the final from pass to fail: an admin should decide.
    review_reason: Mapped[str | None] = mapped_column(String(500))

    @property
    def pdf_ready(self) -> bool:
        return self.sha256 is not None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
