"""Courses a clinic assigns: to all staff or chosen people, edited and deleted by managers."""

from __future__ import annotations

from datetime import date

from ..extensions import db
from ..models import Assignment, Clinic, Course, User
from .scope import ClinicError, shared_staff


def _chosen_staff(clinic: Clinic, user_ids: list[int]) -> list[int]:
    allowed = set(
        db.session.execute(
            shared_staff(clinic.id).with_only_columns(User.id).where(User.id.in_(user_ids))
        ).scalars()
    )
    if allowed != set(user_ids):
        raise ClinicError("Choose people on this clinic's staff.")
    return sorted(allowed)


def assign(
    clinic: Clinic, course: Course, due_on: date, user_ids: list[int] | None, manager: User
) -> list[Assignment]:
    """Assign a course to all staff (``user_ids`` None) or to chosen staff of this clinic;
    the new rows (the API answers with them)."""
    targets: list[int | None] = [None] if user_ids is None else [*_chosen_staff(clinic, user_ids)]
    rows = [
        Assignment(
            clinic_id=clinic.id,
            course_id=course.id,
            user_id=user_id,
            due_on=due_on,
            created_by_id=manager.id,
        )
        for user_id in targets
    ]
    db.session.add_all(rows)
    return rows


def assignment_of(clinic: Clinic, assignment_id: int) -> Assignment | None:
    """The clinic's own assignment; another clinic's id reads as none at all."""
    row = db.session.get(Assignment, assignment_id)
    return row if row is not None and row.clinic_id == clinic.id else None


def edit_assignment(
    clinic: Clinic, assignment: Assignment, course: Course, due_on: date, user_id: int | None
) -> None:
    """Change the course, the due date or who it is for (one person, or all staff)."""
    if user_id is not None:
        _chosen_staff(clinic, [user_id])
    assignment.course_id, assignment.due_on, assignment.user_id = course.id, due_on, user_id


def delete_assignment(assignment: Assignment) -> None:
    """The course is no longer asked of anyone; completions and certificates stay theirs."""
    db.session.delete(assignment)


def assignment_rows(clinic: Clinic) -> list[tuple[Assignment, str, str | None]]:
    """(assignment, course title, person's name or None for all staff), soonest due first."""
    return [
        (assignment, title, name)
        for assignment, title, name in db.session.execute(
            db.select(Assignment, Course.title, User.name)
            .join(Course, Course.id == Assignment.course_id)
            .outerjoin(User, User.id == Assignment.user_id)
            .where(Assignment.clinic_id == clinic.id)
            .order_by(Assignment.due_on, Assignment.id)
        ).all()
    ]
