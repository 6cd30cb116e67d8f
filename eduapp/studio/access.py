"""The guard every course-management page starts with: the course, if this user manages it.

One function for the quiz area's accommodations, the certificates area's evaluations and the
studio's own pages, so the answer to "who may see this" is the same everywhere.
"""

from __future__ import annotations

from flask import abort

from ..extensions import db
from ..models import Course, User
from .owners import can_manage


def managed_course_or_404(slug: str, user: User) -> Course:
    """The course, for someone who manages it.

    A learner is refused outright (403: the teaching side is not for them whatever the
    course). An instructor asking about a course they do not manage gets 404, exactly as for
    a course that does not exist, so the studio does not reveal other people's drafts.
    """
    if not user.is_instructor:
        abort(403)
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None or not can_manage(user, course):
        abort(404)
    return course
