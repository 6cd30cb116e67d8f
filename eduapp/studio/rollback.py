"""Rolling back: an older version's content and settings become the author's draft, to be
published as a new version through the publish page (with its checks, change note and, where
the course asks for one, another instructor's approval). Published versions are never changed;
learners on any version keep it, as with every publish."""

from __future__ import annotations

from ..extensions import db
from ..models import SETTINGS, Course, CourseVersion, User
from . import drafts


def published_version(course: Course, number: int) -> CourseVersion | None:
    """The course's published version with this number (None: no such version)."""
    return db.session.execute(
        db.select(CourseVersion).where(
            CourseVersion.course_id == course.id, CourseVersion.number == number
        )
    ).scalar_one_or_none()


def restore_into_draft(course: Course, version: CourseVersion, author: User) -> CourseVersion:
    """Replace the author's draft (made if they have none) with ``version``'s content and
    settings, based on the newest version so it publishes without an update first."""
    if version.is_draft or version.course_id != course.id:
        raise drafts.DraftError("Only a published version of this course can be restored.")
    if version.id == course.current_version_id:
        raise drafts.DraftError(
            f"Version {version.label} is the newest version already: there is nothing to roll "
            "back to."
        )
    draft = drafts.open_draft(course, author)
    drafts.clear_content(draft)
    drafts.copy_content(version, draft)
    for name in SETTINGS:
        setattr(draft, name, getattr(version, name))
    draft.base_id = course.current_version_id
    draft.lint = version.lint
    draft.change_note = f"Back to version {version.label}."
    drafts.touch(draft)
    return draft
