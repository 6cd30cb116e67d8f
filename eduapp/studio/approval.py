"""A second instructor's approval of a draft, for courses that require one before publishing:
who approved, when and why (``version_reviews``), valid only for the draft as it was read.
Split from ``publishing``, which checks it."""

from __future__ import annotations

from ..extensions import db
from ..models import Course, CourseVersion, User, VersionReview
from . import drafts
from .owners import can_manage


def approval(draft: CourseVersion) -> VersionReview | None:
    """The approval that covers the draft as it is now (given after its last change)."""
    return db.session.execute(
        db.select(VersionReview)
        .where(VersionReview.version_id == draft.id, VersionReview.created_at >= draft.updated_at)
        .order_by(VersionReview.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def state_of(draft: CourseVersion) -> str:
    """Which state of the draft a reviewer read: it changes with every change to the draft."""
    return draft.updated_at.isoformat() if draft.updated_at else ""


def approve(
    draft: CourseVersion, reviewer: User, note: str, seen: str | None = None
) -> VersionReview:
    """Another instructor who manages the course approves the draft as they read it
    (``seen``: ``state_of`` the draft on the page they approved from)."""
    course = db.session.get_one(Course, draft.course_id)
    if not draft.is_draft:
        raise drafts.DraftError("Only a draft can be approved.")
    if reviewer.id == draft.author_id:
        raise drafts.DraftError("Another instructor has to approve your draft, not you.")
    if not can_manage(reviewer, course):
        raise drafts.DraftError("Only the course's owners, co-authors and admins approve drafts.")
    note = note.strip()
    if not note:
        raise drafts.DraftError("Say what you checked, so the record shows why it was approved.")
    if seen != state_of(draft):
        raise drafts.DraftError(
            "The author saved the draft after you opened it, so you approved text you have not "
            "read. Read it again below, then approve."
        )
    review = VersionReview(version_id=draft.id, user_id=reviewer.id, note=note[:2000])
    db.session.add(review)
    db.session.flush()
    return review


def drafts_to_review(course: Course, reviewer: User) -> list[CourseVersion]:
    """Other authors' drafts of the course, for a reviewer to look at and approve."""
    return list(
        db.session.execute(
            db.select(CourseVersion)
            .where(
                CourseVersion.course_id == course.id,
                CourseVersion.published_at.is_(None),
                CourseVersion.author_id != reviewer.id,
            )
            .order_by(CourseVersion.updated_at.desc())
        ).scalars()
    )
