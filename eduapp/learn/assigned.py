"""The courses a learner's clinics ask them to take: what "Assigned to you" on My learning,
the catalogue's marks and the reminder's link all show.

Only clinics where the person is current staff count (consented and not left: leaving ends
the clinic's say, as it ends the sharing), and both kinds of assignment: to them by name and
to all staff. One statement whatever the number of clinics, assignments or courses.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, or_

from ..certificates.issue import local_date
from ..clock import now
from ..database import read_rows
from ..extensions import db
from ..models import Assignment, Clinic, ClinicMember, Course, Enrolment, User
from ..models.clinic import STAFF

NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE = "not started", "in progress", "completed", "overdue"


class CourseRef(NamedTuple):
    """What a list of courses shows of each: read as plain columns, not ORM rows."""

    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class AssignedCourse:
    course: CourseRef
    clinic_name: str
    due_on: date
    status: str

    @property
    def open(self) -> bool:
        return self.status != COMPLETED


def status_of(due_on: date, started: bool, completed: bool, today: date) -> str:
    """Completed wins; otherwise a due date before the learner's today is overdue, whether or
    not they began (a course due today is still on time)."""
    if completed:
        return COMPLETED
    if due_on < today:
        return OVERDUE
    return IN_PROGRESS if started else NOT_STARTED


@functools.cache
def _assigned() -> Any:
    """Built once: the catalogue and My learning run it for every signed-in learner. The
    course comes as the columns these pages show, plain rows (:func:`.read_rows`)."""
    return (
        db.select(
            Assignment.clinic_id,
            Assignment.due_on,
            Course.id,
            Course.slug,
            Course.title,
            Clinic.name,
            Enrolment.id,
            Enrolment.completed_at,
        )
        .join(
            ClinicMember,
            and_(
                ClinicMember.clinic_id == Assignment.clinic_id,
                ClinicMember.user_id == bindparam("user_id"),
                ClinicMember.role == STAFF,
                ClinicMember.consented_at.is_not(None),
                ClinicMember.left_at.is_(None),
            ),
        )
        .join(Course, Course.id == Assignment.course_id)
        .join(Clinic, Clinic.id == Assignment.clinic_id)
        .outerjoin(
            Enrolment,
            and_(Enrolment.course_id == Course.id, Enrolment.user_id == bindparam("user_id")),
        )
        .where(
            or_(Assignment.user_id.is_(None), Assignment.user_id == bindparam("user_id")),
            Course.status == "published",
        )
        .order_by(Assignment.due_on, Course.title, Clinic.name, Assignment.id)
    )


def assigned_courses(user: User) -> list[AssignedCourse]:
    """Every course the person's clinics assign them, open ones first by due date.

    A course one clinic assigns twice (to everyone, and to them by name) shows once, with the
    earlier date; two clinics assigning one course show as two lines, since each asks.
    """
    rows = read_rows(_assigned(), {"user_id": user.id})
    today = local_date(now(), user.timezone)
    seen: set[tuple[int, int]] = set()
    found = []
    for clinic_id, due_on, course_id, slug, title, clinic_name, enrolment_id, done_at in rows:
        if (clinic_id, course_id) in seen:
            continue
        seen.add((clinic_id, course_id))
        status = status_of(due_on, enrolment_id is not None, done_at is not None, today)
        course = CourseRef(course_id, slug, title)
        found.append(AssignedCourse(course, clinic_name, due_on, status))
    found.sort(key=lambda a: not a.open)  # stable: by due date within each group
    return found


def by_course(assigned: list[AssignedCourse]) -> dict[int, list[AssignedCourse]]:
    """The same lines keyed by course, for the catalogue's marks."""
    marks: dict[int, list[AssignedCourse]] = defaultdict(list)
    for line in assigned:
        marks[line.course.id].append(line)
    return dict(marks)
