"""The versions and drafts a course's studio page lists: who published what, when and why, and
whose drafts wait (for approval, where the course asks for one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..extensions import db
from ..models import Course, CourseVersion, User
from . import approval, drafts
from .forms import ApprovalSettingForm, ListingForm


@dataclass
class Published:
    version: CourseVersion
    by: User | None


@dataclass
class OtherDraft:
    draft: CourseVersion
    author: User
    approved: bool


@dataclass
class LintSummary:
    """A version's recorded lint findings, counted for a table cell."""

    findings: list[dict[str, Any]] | None

    @property
    def errors(self) -> int:
        return sum(f["severity"] == "error" for f in self.findings or [])

    @property
    def warnings(self) -> int:
        return sum(f["severity"] != "error" for f in self.findings or [])


def lint_of(courses: list[Course]) -> dict[int, LintSummary]:
    """Each course's newest version's lint findings, in one query for the whole list."""
    ids = [c.current_version_id for c in courses if c.current_version_id is not None]
    rows = dict(
        db.session.execute(
            db.select(CourseVersion.course_id, CourseVersion.lint).where(CourseVersion.id.in_(ids))
        ).all()
    )
    return {c.id: LintSummary(rows.get(c.id)) for c in courses}


def course_versions(course: Course, viewer: User) -> dict[str, Any]:
    """Template context for the studio page's versions and drafts sections."""
    rows = db.session.execute(
        db.select(CourseVersion, User)
        .outerjoin(User, User.id == CourseVersion.published_by_id)
        .where(CourseVersion.course_id == course.id, CourseVersion.number.is_not(None))
        .order_by(CourseVersion.number.desc())
    ).all()
    mine = drafts.draft_of(course, viewer)
    base = db.session.get(CourseVersion, mine.base_id) if mine and mine.base_id else None
    others = [
        OtherDraft(d, db.session.get_one(User, d.author_id), approval.approval(d) is not None)
        for d in approval.drafts_to_review(course, viewer)
    ]
    return {
        "versions": [Published(v, u) for v, u in rows],
        "my_draft": mine,
        "base_label": base.label if base else None,
        "other_drafts": others,
        "approval_form": ApprovalSettingForm(requires_approval=course.requires_approval),
        "lint": lint_of([course])[course.id],
        "listing_form": ListingForm(listed=course.is_published),
    }
