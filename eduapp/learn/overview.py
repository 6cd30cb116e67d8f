"""My learning's overview: every course the learner is enrolled in, with its progress, in a
fixed number of statements whatever the number of courses, modules or attempts."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import String, bindparam, cast, func

from ..database import read_rows
from ..extensions import db
from ..models import FINAL_KEY, Course, Enrolment, Module, ModuleProgress, Quiz, User
from . import structure
from .assigned import CourseRef
from .quizstatus import quiz_statuses
from .services import EnrolmentRow


@dataclass
class CourseSummary:
    course: CourseRef
    enrolment: EnrolmentRow
    modules: int = 0
    completed_modules: int = 0
    minutes_completed: int = 0
    final_passed: bool = False
    has_final: bool = False
    best_scores: list[tuple[Quiz, Decimal]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        steps = self.modules + (1 if self.has_final else 0)
        done = self.completed_modules + (1 if self.final_passed else 0)
        return round(100 * done / steps) if steps else 0

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None


@functools.cache
def _enrolments() -> Any:
    """Built once; the enrolment and course come as the columns My learning shows, plain
    rows (:func:`.read_rows`), each with the ids of the modules of its version the learner
    has completed, joined by commas: one statement where a second cost as much again as
    reading them."""
    completed = (
        db.select(func.aggregate_strings(cast(ModuleProgress.module_id, String), ","))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(
            ModuleProgress.user_id == bindparam("user_id"),
            ModuleProgress.completed_at.is_not(None),
            Module.version_id == Enrolment.version_id,
        )
        .correlate(Enrolment)
        .scalar_subquery()
    )
    return (
        db.select(
            Course.id,
            Course.slug,
            Course.title,
            Enrolment.id,
            Enrolment.version_id,
            Enrolment.completed_at,
            Enrolment.results_shared_at,
            completed,
        )
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == bindparam("user_id"))
        .order_by(Enrolment.enrolled_at.desc(), Course.title)
    )


def learning_overview(user: User) -> list[CourseSummary]:
    """ "My learning": every enrolled course with progress, in two statements for any
    number (enrolments with their courses and completed modules, attempts), the versions'
    modules and quizzes coming from :mod:`.structure`."""
    summaries = {}
    completed: set[int] = set()
    for row in read_rows(_enrolments(), {"user_id": user.id}):
        course_id, slug, title, *enrolment, module_ids = row
        summaries[course_id] = CourseSummary(
            CourseRef(course_id, slug, title), EnrolmentRow(*enrolment)
        )
        if module_ids:
            completed.update(int(module_id) for module_id in module_ids.split(","))
    if not summaries:
        return []
    # Each learner's own version of each course, as every learner's pages share it.
    contents = structure.version_contents(s.enrolment.version_id for s in summaries.values())
    quizzes = []
    for summary in summaries.values():
        content = contents[summary.enrolment.version_id]
        summary.modules = len(content.modules)
        for module in content.modules:
            if module.id in completed:
                summary.completed_modules += 1
                summary.minutes_completed += module.minutes
        quizzes.extend(content.quizzes.values())
    for status in quiz_statuses(quizzes, user).values():
        summary = summaries[status.quiz.course_id]
        if status.quiz.key == FINAL_KEY:
            summary.has_final = True
            summary.final_passed = status.passed
        if status.best_score is not None:
            summary.best_scores.append((status.quiz, status.best_score))
    for summary in summaries.values():
        summary.best_scores.sort(key=lambda pair: (pair[0].key == FINAL_KEY, pair[0].name))
    return list(summaries.values())
