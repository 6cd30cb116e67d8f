"""Course versions: what a learner was taught, kept exactly, and what an author is writing.

A course's content (modules with their Markdown source, quizzes, questions and choices, the
figure paths, settings and CE hours) belongs to one version. A published version never
changes: learners who started it keep it, certificates name it, and caches may key on it. A
draft is a version that has not been published yet; each author has at most one per course,
and publishing it gives it the next number. ``courses`` keeps the course's identity (slug,
owners, catalogue status) and, denormalised from its newest published version, the fields the
catalogue lists, so the catalogue needs no join.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class VersionSource:
    """Where a version's content came from."""

    FILES = "files"  # ``flask courses import`` of a course folder
    STUDIO = "studio"  # published from an author's draft in the browser
    MIGRATION = "migration"  # the rows a course had before versions existed (version 1)


class CourseVersion(db.Model):
    __tablename__ = "course_versions"
    __table_args__ = (
        UniqueConstraint("course_id", "number"),
        # At most one draft per author and course.
        Index(
            "uq_course_versions_one_draft",
            "course_id",
            "author_id",
            unique=True,
            sqlite_where=text("published_at IS NULL"),
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    # 1, 2, 3... in publishing order; None while a draft.
    number: Mapped[int | None] = mapped_column(Integer)
    # The version as people write it ("2.1.0"): from the files, or chosen when publishing.
    label: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    # A draft's author, or who made a published version (None for files and the migration).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The published version a draft was started from.
    base_id: Mapped[int | None] = mapped_column(ForeignKey("course_versions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    change_note: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the version's content in canonical form (eduapp.content.versions); an import
    # whose files hash to the last imported version's value changes nothing.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # The item-writing lint's findings on this version's quizzes (rule, severity, quiz,
    # question, message, fix), recorded when its quizzes were written; None for versions
    # carried over from before versions, until an import records them.
    lint: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # course.yml's ``coverage`` (topic -> the modules that teach it and the verdict they
    # give), kept so an export writes it back; the studio does not edit it. None for versions
    # recorded before it was kept, until an import records it.
    coverage: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # The settings, as the course file (or the studio's settings page) gives them.
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    ce_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    ce_type: Mapped[str] = mapped_column(String(40), default="home-study")
    ce_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    passing_score: Mapped[int] = mapped_column(Integer, default=80)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    approvals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    module_count: Mapped[int] = mapped_column(Integer, default=0)
    total_minutes: Mapped[int] = mapped_column(Integer, default=0)
    word_count: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def __repr__(self) -> str:
        return f"<CourseVersion {self.course_id} #{self.number} {self.label}>"


class VersionReview(db.Model):
    """A second instructor's approval of a draft, for courses that require one to publish.

    Append-only: who approved, when and why. An approval counts only for the draft as it was
    when approved: a later save (``updated_at``) needs a new one.
    """

    __tablename__ = "version_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    note: Mapped[str] = mapped_column(Text)


# The settings a version carries and the course row mirrors for the catalogue.
SETTINGS = (
    "title",
    "summary",
    "ce_hours",
    "ce_type",
    "ce_categories",
    "passing_score",
    "objectives",
    "authors",
    "reviewed_on",
    "references",
    "approvals",
    "module_count",
    "total_minutes",
    "word_count",
)
