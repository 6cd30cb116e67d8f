"""A learner's choice to share their results in a course with its owners and co-authors.

Results are private by default: owners see aggregates only, and a learner's own row only
while the learner shares (``Enrolment.results_shared_at``). The choice lives on the
enrolment, so it is per course, and withdrawing it clears the stamp: the gradebook reads it on
every request, so the learner disappears from owners' views at once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam

from ..clock import now
from ..database import read_rows
from ..extensions import db
from ..models import Course, Enrolment, GradebookView, GradebookViewLearner, User
from ..models.gradebook import CSV

LOOKS_SHOWN = 10


def set_sharing(enrolment: Enrolment, share: bool) -> bool:
    """Record the learner's choice; whether it changed anything (a repeat keeps the first
    stamp, so "sharing since" stays true)."""
    if share == (enrolment.results_shared_at is not None):
        return False
    enrolment.results_shared_at = now() if share else None
    return True


@dataclass(frozen=True)
class Look:
    """Someone saw this learner's row in the course's gradebook."""

    viewed_at: datetime
    viewer: str
    as_admin: bool
    downloaded: bool


@functools.cache
def _looks() -> Any:
    """Built once: the course page runs it for every enrolled learner."""
    return (
        db.select(GradebookView.viewed_at, User.name, GradebookView.as_admin, GradebookView.kind)
        .join(GradebookViewLearner, GradebookViewLearner.view_id == GradebookView.id)
        .join(User, User.id == GradebookView.viewer_id)
        .where(
            GradebookViewLearner.user_id == bindparam("user_id"),
            GradebookView.course_id == bindparam("course_id"),
        )
        .order_by(GradebookView.viewed_at.desc(), GradebookView.id.desc())
        .limit(LOOKS_SHOWN + 1)
    )


def looks_at(user: User, course: Course) -> tuple[list[Look], bool]:
    """The newest times someone saw this learner's own results in this course, and whether
    there were more: one statement, for the course page."""
    rows = read_rows(_looks(), {"user_id": user.id, "course_id": course.id})
    looks = [Look(at, name, as_admin, kind == CSV) for at, name, as_admin, kind in rows]
    return looks[:LOOKS_SHOWN], len(looks) > LOOKS_SHOWN
