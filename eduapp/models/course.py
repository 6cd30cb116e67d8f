"""Courses and their modules, as imported from ``courses/`` or written in the studio.

A module row belongs to one course version (``models.version``); a new version gets new rows,
so a published version's modules never change under the learners who are reading them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..clock import now
from ..content.keypoints import keypoints_of
from ..extensions import db
from .types import UTCDateTime

if TYPE_CHECKING:
    from .quiz import Quiz


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The status course.yml gave at the last import (None for a course made in the studio).
    # An import applies the files' status only when it differs from this, so a course its
    # owner took out of the catalogue in the studio stays out at the next `make run`.
    files_status: Mapped[str | None] = mapped_column(String(20))
    ce_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    ce_type: Mapped[str] = mapped_column(String(40), default="home-study")
    ce_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    passing_score: Mapped[int] = mapped_column(Integer, default=80)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    # [{"id", "citation", "doi", "url"}] in file order; shown as the course's reference list.
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Board approvals: body, number, title, ce_hours, valid_from, valid_to (ISO dates).
    approvals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Denormalised at import so the catalogue needs no aggregate query.
    module_count: Mapped[int] = mapped_column(Integer, default=0)
    total_minutes: Mapped[int] = mapped_column(Integer, default=0)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # The newest published version: what a new enrolment gets and the catalogue shows. The
    # columns above from title to word_count mirror it (set only by versions.make_current).
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True)
    )
    # Publishing a draft needs another instructor's approval (studio.publishing).
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", lazy="raise"
    )
    quizzes: Mapped[list[Quiz]] = relationship(back_populates="course", lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    # The Markdown the author wrote (the studio edits it); None for rows made before versions
    # until the next import of unchanged files fills it in.
    source: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of what a learner meets in this module (title, text, its quiz): equal hashes in two
    # versions mean a learner who completed one has completed the other.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    # Reference ids cited in the body, in order of first citation: the module's reference list.
    cited: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The ``::: keypoint`` blocks of the body, extracted when it is rendered:
    # [{"id": "kp1", "title", "html", "hash"}] in order (spaced review makes cards of them).
    keypoints: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Set only on rows from before versions whose module had left the files: progress rows
    # point at them. A version without a module simply has no row for it.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="modules", lazy="raise")
    quiz: Mapped[Quiz | None] = relationship(back_populates="module", lazy="raise")

    @validates("body_html")
    def _extract_keypoints(self, _key: str, body_html: str) -> str:
        """Key points are read out of the rendered body whenever it is stored (import, a
        studio save, a publish, a draft copied or rebased), so the two never disagree."""
        self.keypoints = keypoints_of(body_html)
        return body_html

    def __repr__(self) -> str:
        return f"<Module {self.slug}>"
