"""A course's gradebook learner by learner, for the people allowed to see it, and the record
of every time someone saw it.

Who is shown is decided here and nowhere else: an admin sees every enrolled learner; an owner
or co-author sees only learners who chose to share their results with the course's
instructors (``Enrolment.results_shared_at``, set and cleared on the learner's course page).
The check runs on every request, so withdrawing hides the learner at once. Every showing of
at least one learner's row, on the page or in a CSV, writes a ``GradebookView``.

A page of rows costs the same few statements whatever its length or the course's size:
learners (with a count), their grades, their finished modules and their certificates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, distinct, func, insert

from ..extensions import db
from ..models import (
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    GradebookView,
    GradebookViewLearner,
    Module,
    ModuleProgress,
    User,
)
from .gradebook import QuizGrade, quiz_grades

PAGE_SIZE = 50
TRAIL_LENGTH = 20


@dataclass
class LearnerRow:
    user_id: int
    name: str
    email: str
    version: str
    modules_finished: int
    completed_at: datetime | None
    shared_since: datetime | None
    certificate: str | None = None  # the current certificate's code
    quizzes: dict[str, QuizGrade] = field(default_factory=dict)


@dataclass
class LearnerPage:
    rows: list[LearnerRow]
    total: int  # learners this viewer may see, on all pages
    page: int
    pages: int
    as_admin: bool


def _visible(course: Course, as_admin: bool) -> list[ColumnElement[bool]]:
    """The one rule of who is shown: every enrolled learner to admins, only those who share to
    the course's owners and co-authors."""
    where = [Enrolment.course_id == course.id]
    if not as_admin:
        where.append(Enrolment.results_shared_at.is_not(None))
    return where


def visible_count(course: Course, as_admin: bool) -> int:
    return db.session.execute(
        db.select(func.count()).select_from(Enrolment).where(*_visible(course, as_admin))
    ).scalar_one()


def learner_page(course: Course, as_admin: bool, page: int = 1) -> LearnerPage:
    """One page of the learners this viewer may see, by name. A page past the end is empty
    (the view offers the last one)."""
    total = visible_count(course, as_admin)
    pages = max(1, -(-total // PAGE_SIZE))
    rows = learner_rows(course, as_admin, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return LearnerPage(rows, total, page, pages, as_admin)


def learner_rows(
    course: Course, as_admin: bool, offset: int = 0, limit: int | None = None
) -> list[LearnerRow]:
    """The learners this viewer may see, by name, with what the gradebook shows of each."""
    query = (
        db.select(
            User.id,
            User.name,
            User.email,
            CourseVersion.label,
            Enrolment.completed_at,
            Enrolment.results_shared_at,
        )
        .join(Enrolment, Enrolment.user_id == User.id)
        .join(CourseVersion, CourseVersion.id == Enrolment.version_id)
        .where(*_visible(course, as_admin))
        .order_by(User.name, User.id)
        .offset(offset)
        .limit(limit)
    )
    rows = [
        LearnerRow(user_id, name, email, label, 0, completed, shared)
        for user_id, name, email, label, completed, shared in db.session.execute(query)
    ]
    if not rows:
        return rows
    ids = [row.user_id for row in rows]
    grades = quiz_grades(course, Enrolment.user_id.in_(ids))
    finished = dict(
        db.session.execute(
            db.select(ModuleProgress.user_id, func.count(distinct(Module.slug)))
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(
                Module.course_id == course.id,
                ModuleProgress.user_id.in_(ids),
                ModuleProgress.completed_at.is_not(None),
            )
            .group_by(ModuleProgress.user_id)
        ).all()
    )
    # The newest certificate not revoked, as ``certificates.issue.current_certificate`` picks
    # it; only the code and id are read (a certificate row carries its PDF).
    certificates: dict[int, str] = dict(
        db.session.execute(
            db.select(Certificate.user_id, Certificate.code)
            .where(
                Certificate.course_id == course.id,
                Certificate.user_id.in_(ids),
                Certificate.revoked_at.is_(None),
            )
            .order_by(Certificate.id)
        ).all()
    )
    for row in rows:
        row.quizzes = grades.get(row.user_id, {})
        row.modules_finished = finished.get(row.user_id, 0)
        row.certificate = certificates.get(row.user_id)
    return rows


def record_view(
    course: Course, viewer: User, learner_ids: Sequence[int], as_admin: bool, kind: str
) -> None:
    """Record that ``viewer`` saw these learners' rows of this course, and which learners, so
    each can see it on their course page (nothing when none were shown: aggregates single
    nobody out). Two statements however many learners; the view commits them."""
    if not learner_ids:
        return
    view = GradebookView(
        course_id=course.id,
        viewer_id=viewer.id,
        learners_shown=len(learner_ids),
        as_admin=as_admin,
        kind=kind,
    )
    db.session.add(view)
    db.session.flush()
    db.session.execute(
        insert(GradebookViewLearner),
        [{"view_id": view.id, "user_id": user_id} for user_id in learner_ids],
    )


@dataclass
class TrailLine:
    view: GradebookView
    viewer: str


def audit_trail(course: Course, limit: int = TRAIL_LENGTH) -> tuple[Sequence[TrailLine], int]:
    """The newest views of per-learner rows of this course, with the viewer's name, and how
    many there have been in all."""
    lines = [
        TrailLine(view, name)
        for view, name in db.session.execute(
            db.select(GradebookView, User.name)
            .join(User, User.id == GradebookView.viewer_id)
            .where(GradebookView.course_id == course.id)
            .order_by(GradebookView.viewed_at.desc(), GradebookView.id.desc())
            .limit(limit)
        )
    ]
    total = db.session.execute(
        db.select(func.count())
        .select_from(GradebookView)
        .where(GradebookView.course_id == course.id)
    ).scalar_one()
    return lines, total
