"""Queries and rules behind the learner's pages. No request, no current_user, no commit.

Query counts are fixed per page whatever the size of the course: each function loads a kind
of row with one statement, and relationships are ``lazy="raise"`` so an N+1 cannot creep in.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..database import read_rows
from ..extensions import db
from ..models import (
    Course,
    CourseVersion,
    Enrolment,
    Module,
    ModuleProgress,
    User,
)
from ..studio.owners import can_manage
from ..webhooks import services as webhooks
from . import structure
from .quizstatus import QuizStatus, quiz_statuses

T = TypeVar("T")


def published_courses() -> Sequence[Any]:
    """The catalogue: published courses, with their counts denormalised at import (one
    statement, built once, reading only the columns the catalogue shows, as plain rows)."""
    return read_rows(_catalogue(), {}).all()


@functools.cache
def _catalogue() -> Any:
    return (
        db.select(
            Course.id,
            Course.slug,
            Course.title,
            Course.summary,
            Course.ce_hours,
            Course.ce_categories,
            Course.module_count,
            Course.total_minutes,
        )
        .where(Course.status == "published")
        .order_by(Course.title)
    )


def visible_course(slug: str, user: User | None) -> Course | None:
    """A course in the catalogue; one out of it for the people who manage it (its owners,
    co-authors and admins) to preview, and for learners already enrolled, who keep what they
    started. Anyone else meets a course out of the catalogue as if it did not exist."""
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None or course.current_version_id is None:
        return None  # started in the studio, never published: there is nothing to show yet
    if course.is_published or can_manage(user, course) or enrolment_of(user, course):
        return course
    return None


class CourseRow(NamedTuple):
    """What the course and module pages read of a course, as a plain row."""

    id: int
    slug: str
    title: str
    status: str
    ce_hours: Decimal
    current_version_id: int | None

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class EnrolmentRow(NamedTuple):
    """What the course and module pages read of the learner's enrolment, as a plain row."""

    id: int
    version_id: int
    completed_at: datetime | None
    results_shared_at: datetime | None


@functools.cache
def _course_and_enrolment() -> Any:
    """Built once (the pages every learner reads run it): constructing a statement costs
    about as much as SQLite takes to run this one. Plain rows with the columns these pages
    use (:func:`.read_rows`): the course's lists (references, approvals...) are the
    version's to show."""
    return (
        db.select(
            Course.id,
            Course.slug,
            Course.title,
            Course.status,
            Course.ce_hours,
            Course.current_version_id,
            Enrolment.id,
            Enrolment.version_id,
            Enrolment.completed_at,
            Enrolment.results_shared_at,
        )
        .outerjoin(
            Enrolment,
            (Enrolment.course_id == Course.id) & (Enrolment.user_id == bindparam("user_id")),
        )
        .where(Course.slug == bindparam("slug"))
    )


def visible_course_for(
    slug: str, user: User | None
) -> tuple[CourseRow, EnrolmentRow | None] | None:
    """:func:`visible_course` and the learner's enrolment in it, read together in one
    statement: the course and module pages need both on every request, and only read them."""
    found = read_rows(
        _course_and_enrolment(), {"slug": slug, "user_id": user.id if user is not None else None}
    ).one_or_none()
    if found is None:
        return None
    course, enrolment = CourseRow(*found[:6]), EnrolmentRow(*found[6:])
    if course.current_version_id is None:
        return None  # started in the studio, never published: there is nothing to show yet
    shown = enrolment if enrolment.id is not None else None
    if course.is_published or shown is not None or can_manage(user, course):  # type: ignore[arg-type]
        return course, shown
    return None


def enrolment_of(user: User | None, course: Course) -> Enrolment | None:
    if user is None:
        return None
    return db.session.execute(
        db.select(Enrolment).filter_by(user_id=user.id, course_id=course.id)
    ).scalar_one_or_none()


def version_id_for(course: Course, enrolment: Enrolment | None) -> int:
    """The version a learner sees: the one they enrolled on (kept until they choose to move),
    or, before they start, the newest published one."""
    if enrolment is not None:
        return enrolment.version_id
    assert course.current_version_id is not None  # every imported course has a version
    return course.current_version_id


def active_modules(version_id: int) -> list[Any]:
    """The version's modules in order (shared, read-only copies: see :mod:`.structure`)."""
    return list(structure.version_content(version_id).modules)


@dataclass
class CourseProgress:
    """Everything the course page shows about one learner's progress, loaded in a fixed number of
    queries."""

    course: Course
    modules: list[Module]
    # By module id; the final assessment is under None.
    quizzes: dict[int | None, QuizStatus] = field(default_factory=dict)
    # By module id: rows with module_id, user_id, read_at and completed_at.
    progress: dict[int, Any] = field(default_factory=dict)
    enrolment: Enrolment | None = None
    # The version this learner takes: its settings (title, CE hours, references...) are
    # what the course page shows them.
    version: CourseVersion | None = None

    @property
    def final(self) -> QuizStatus | None:
        return self.quizzes.get(None)

    def is_completed(self, module: Module) -> bool:
        row = self.progress.get(module.id)
        return row is not None and row.completed_at is not None

    def is_read(self, module: Module) -> bool:
        row = self.progress.get(module.id)
        return row is not None and row.read_at is not None

    def marks(self) -> tuple[set[int], set[int]]:
        """The ids of the modules completed and of those read, in one pass: the course page
        marks every module with both."""
        done = {i for i, row in self.progress.items() if row.completed_at is not None}
        read = {i for i, row in self.progress.items() if row.read_at is not None}
        return done, read

    @property
    def completed_count(self) -> int:
        return sum(self.is_completed(m) for m in self.modules)

    @property
    def steps(self) -> int:
        """Modules plus the final: what "percent complete" counts."""
        return len(self.modules) + (1 if self.final else 0)

    @property
    def done_steps(self) -> int:
        return self.completed_count + (1 if self.final and self.final.passed else 0)

    @property
    def percent(self) -> int:
        return round(100 * self.done_steps / self.steps) if self.steps else 0

    @property
    def next_module(self) -> Module | None:
        return next((m for m in self.modules if not self.is_completed(m)), None)

    @property
    def started(self) -> bool:
        return self.enrolment is not None

    @property
    def completed(self) -> bool:
        return self.enrolment is not None and self.enrolment.completed_at is not None


_UNKNOWN: Any = object()


@functools.cache
def _progress() -> Any:
    """The learner's reading and completion of one version's modules, as plain rows: the
    pages only read them (:func:`refresh_completion` loads the rows it changes)."""
    return (
        db.select(
            ModuleProgress.module_id,
            ModuleProgress.user_id,
            ModuleProgress.read_at,
            ModuleProgress.completed_at,
        )
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(
            ModuleProgress.user_id == bindparam("user_id"),
            Module.version_id == bindparam("version_id"),
        )
    )


def course_progress(
    course: Course, user: User | None, enrolment: Enrolment | None = _UNKNOWN
) -> CourseProgress:
    """The course as this learner takes it (their version) and how far they are.

    The version's content comes from :mod:`.structure` (loaded once per process); what is
    this learner's (enrolment, progress, attempts) is read now, in one statement each. A
    caller that already has the enrolment (:func:`visible_course_for`) passes it."""
    if enrolment is _UNKNOWN:
        enrolment = enrolment_of(user, course)
    content = structure.version_content(version_id_for(course, enrolment))
    result = CourseProgress(
        course=course, modules=list(content.modules), enrolment=enrolment, version=content.version
    )
    statuses = quiz_statuses(list(content.quizzes.values()), user)
    result.quizzes = {key: statuses[quiz.id] for key, quiz in content.quizzes.items()}
    if user is not None and content.modules:
        params = {"user_id": user.id, "version_id": content.version.id}
        result.progress = {p.module_id: p for p in read_rows(_progress(), params)}
    return result


def module_in_course(course: Course, user: User, slug: str) -> Any | None:
    """A module of the version this learner takes, by its slug."""
    version_id = version_id_for(course, enrolment_of(user, course))
    return next((m for m in active_modules(version_id) if m.slug == slug), None)


def _get_or_create(model: type[T], defaults: dict[str, int] | None = None, **keys: int) -> T:
    """The row with these keys, created if missing. Safe when two requests race: the unique
    constraint decides, and the loser reads the winner's row."""
    query = db.select(model).filter_by(**keys)
    existing = db.session.execute(query).scalar_one_or_none()
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            row = model(**keys, **(defaults or {}))
            db.session.add(row)
    except IntegrityError:  # pragma: no cover - needs two requests racing
        return db.session.execute(query).scalar_one()
    return row


def enrol(user: User, course: Course) -> Enrolment:
    """Enrol on the newest published version; an existing enrolment keeps its version."""
    assert course.current_version_id is not None
    return _get_or_create(
        Enrolment,
        defaults={"version_id": course.current_version_id},
        user_id=user.id,
        course_id=course.id,
    )


def mark_read(user: User, course: Course, module: Module) -> ModuleProgress:
    """Record reading (once) and complete the module if its quiz is passed or it has none."""
    enrol(user, course)
    row = _get_or_create(ModuleProgress, user_id=user.id, module_id=module.id)
    if row.read_at is None:
        row.read_at = now()
    refresh_completion(user, course)
    return row


def refresh_completion(user: User, course: Course) -> None:
    """Record module and course completions that are now earned.

    Completion times are set once and never cleared: a later failed attempt or a re-import
    does not undo them (only an explicit regrade may, in a later issue).
    """
    state = course_progress(course, user)
    stamp = now()
    earned = []
    for module in state.modules:
        row = state.progress.get(module.id)
        if row is None or row.read_at is None or row.completed_at is not None:
            continue
        status = state.quizzes.get(module.id)
        if status is None or status.passed:
            earned.append(module.id)
    if earned:
        for row in db.session.execute(
            db.select(ModuleProgress).filter(
                ModuleProgress.user_id == user.id, ModuleProgress.module_id.in_(earned)
            )
        ).scalars():
            row.completed_at = stamp
            state.progress[row.module_id] = row
    enrolment = state.enrolment
    if (
        enrolment is not None
        and enrolment.completed_at is None
        and all(state.is_completed(m) for m in state.modules)
        and (state.final is None or state.final.passed)
    ):
        enrolment.completed_at = stamp
        webhooks.course_completed(user.id, course.id)
