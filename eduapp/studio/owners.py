"""Course ownership: the one rule that says who manages a course, and the changes to it.

Every page about a course's teaching side (item analysis, accommodations, evaluations, the
studio, a draft's preview) asks ``can_manage`` and nothing else, so the rule cannot drift
between areas. No request, no current_user, no commit: views and the CLI commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ..auth.services import find_user, normalise_email
from ..clock import now
from ..extensions import db
from ..models import Course, CourseOwner, CourseRole, User


class OwnershipError(Exception):
    """A change that the rules refuse; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "email") -> None:
        super().__init__(message)
        self.field = field


def _open_rows() -> object:
    return CourseOwner.removed_at.is_(None)


def can_manage(user: User | None, course: Course) -> bool:
    """Admins manage every course; an instructor only the courses they own or co-author.

    Imported courses have no owner rows, so until an admin assigns people only admins manage
    them: a course file can never grant an account access.
    """
    if user is None or not user.is_authenticated or not user.is_instructor:
        return False
    if user.is_admin:
        return True
    return role_on(user, course) is not None


def role_on(user: User, course: Course) -> CourseRole | None:
    """The user's open role on the course (owner or co-author), None if they have none."""
    role = db.session.execute(
        db.select(CourseOwner.role).where(
            CourseOwner.course_id == course.id, CourseOwner.user_id == user.id, _open_rows()
        )
    ).scalar_one_or_none()
    return CourseRole(role) if role else None


def can_change_people(user: User, course: Course) -> bool:
    """Owners and admins add and remove co-authors; a co-author edits but does not choose
    who else does."""
    return user.is_admin or role_on(user, course) == CourseRole.OWNER


def managed_courses(user: User) -> Sequence[Course]:
    """The courses on the user's My courses page: all for admins, owned or co-authored for
    instructors, none for anyone else. One query."""
    if not user.is_instructor:
        return []
    query = db.select(Course).order_by(Course.title)
    if not user.is_admin:
        query = query.where(
            Course.id.in_(
                db.select(CourseOwner.course_id).where(CourseOwner.user_id == user.id, _open_rows())
            )
        )
    return db.session.execute(query).scalars().all()


@dataclass
class Person:
    """A line of a course's people list: who, in which role, and who put them there."""

    row: CourseOwner
    user: User
    added_by: str | None  # None: from the shell
    removed_by: str | None = None


def people(course: Course, *, former: bool = False) -> list[Person]:
    """The course's owners and co-authors (owners first), or with ``former`` the closed rows,
    latest first, so the page shows who removed whom and when."""
    adder, remover = db.aliased(User), db.aliased(User)
    query = (
        db.select(CourseOwner, User, adder.name, remover.name)
        .join(User, User.id == CourseOwner.user_id)
        .outerjoin(adder, adder.id == CourseOwner.added_by_id)
        .outerjoin(remover, remover.id == CourseOwner.removed_by_id)
        .where(CourseOwner.course_id == course.id)
    )
    if former:
        query = query.where(CourseOwner.removed_at.is_not(None)).order_by(
            CourseOwner.removed_at.desc(), CourseOwner.id.desc()
        )
    else:
        query = query.where(_open_rows()).order_by(CourseOwner.role.desc(), User.name)
    return [Person(*row) for row in db.session.execute(query).all()]


def _instructor(email: str) -> User:
    """The instructor account with this address. An unknown address and a learner's get the
    same answer, so the form cannot be used to find out who has an account or their name."""
    user = find_user(email or "")
    if user is None or not user.is_instructor:
        raise OwnershipError(
            f"No instructor account has the address {normalise_email(email or '')}. "
            "An admin makes an account an instructor's first."
        )
    return user


def _open_row(course: Course, user: User) -> CourseOwner | None:
    return db.session.execute(
        db.select(CourseOwner).where(
            CourseOwner.course_id == course.id, CourseOwner.user_id == user.id, _open_rows()
        )
    ).scalar_one_or_none()


def _insert(course: Course, user: User, role: CourseRole, by: User | None) -> CourseOwner:
    """Add the row in a savepoint: a concurrent add of the same person fails the partial
    unique index, and is reported as the duplicate it is."""
    row = CourseOwner(
        course_id=course.id, user_id=user.id, role=role.value, added_by_id=by.id if by else None
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise OwnershipError(f"{user.name} is already on this course.") from None
    return row


def add_co_author(course: Course, email: str, by: User | None) -> CourseOwner:
    """Give an existing instructor account co-author rights on the course."""
    user = _instructor(email)
    current = _open_row(course, user)
    if current is not None:
        raise OwnershipError(f"{user.name} is already {_a(current.role)} of this course.")
    return _insert(course, user, CourseRole.CO_AUTHOR, by)


def assign_owner(course: Course, email: str, by: User | None) -> CourseOwner:
    """Make an instructor an owner (an admin's decision, checked by the caller). A co-author
    who becomes an owner gets a new row; the old one is closed, so the change is on record."""
    user = _instructor(email)
    current = _open_row(course, user)
    if current is not None and current.is_owner:
        raise OwnershipError(f"{user.name} is already an owner of this course.")
    if current is not None:
        _close(current, by, now())
        db.session.flush()
    return _insert(course, user, CourseRole.OWNER, by)


def remove(course: Course, user: User, by: User | None) -> CourseOwner:
    """Take someone off the course. The last owner stays: an owned course is never left to
    co-authors alone (an admin assigns a new owner first).

    The owners' rows are read ``FOR UPDATE``, so two admins removing the course's last two
    owners at once cannot both succeed on PostgreSQL. On SQLite a POST request's transaction
    already holds the write lock from its start (``database.py``); the shell command takes it
    with ``begin_write()``.
    """
    row = _open_row(course, user)
    if row is None:
        raise OwnershipError(f"{user.name} is not on this course.")
    locked = db.session.execute(
        db.select(CourseOwner.id)
        .where(
            CourseOwner.course_id == course.id,
            CourseOwner.role == CourseRole.OWNER.value,
            _open_rows(),
        )
        .with_for_update()
    ).all()
    if row.is_owner and len(locked) <= 1:
        raise OwnershipError(
            f"{user.name} is the course's only owner: assign another owner before removing them."
        )
    _close(row, by, now())
    return row


def owner_count(course: Course) -> int:
    return db.session.scalar(
        db.select(db.func.count(CourseOwner.id)).where(
            CourseOwner.course_id == course.id,
            CourseOwner.role == CourseRole.OWNER.value,
            _open_rows(),
        )
    )


def _close(row: CourseOwner, by: User | None, when: datetime) -> None:
    row.removed_at = when
    row.removed_by_id = by.id if by else None


def _a(role: str) -> str:
    return "an owner" if role == CourseRole.OWNER else "a co-author"


def add_creator(course: Course, user: User) -> CourseOwner:
    """The instructor who creates a course in the studio owns it from the start: nobody else
    manages it until they (or an admin) add people."""
    return _insert(course, user, CourseRole.OWNER, user)
