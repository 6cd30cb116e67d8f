"""A course's gradebook in aggregate: how many learners enrolled, started, completed and were
certified, how many finished each module, and per quiz the attempts, passes and the spread of
grades. What any owner or co-author sees; per-learner rows are in ``gradebook_rows``.

A quiz, a module, is the same in every version of the course (its key, its slug), as the
learner's own pages count them (``learn.quizstatus``); a learner's grade on a quiz is decided
by ``quiz.overall.quiz_grade`` with the settings of the version that learner takes. Aggregates
never single anyone out: the spread, mean and median of a group of fewer than ``MIN_GROUP``
learners are withheld (the counts are shown). A fixed number of statements whatever the
number of learners.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, distinct, exists, func, select

from ..extensions import db
from ..models import (
    FINAL_KEY,
    Attempt,
    AttemptStatus,
    Certificate,
    Course,
    Enrolment,
    Module,
    ModuleProgress,
    Quiz,
)
from ..quiz.overall import GradedAttempt, quiz_grade
from .gradechart import DistributionChart, distribution_chart

# Fewer learners than this in a group, and its spread, mean and median could point at one of
# them (k-anonymity): only counts are shown. The same threshold as course evaluations.
MIN_GROUP = 5
BAND_WIDTH = 10  # grades in bands of 10 points: 0-9, 10-19, ..., 90-100


@dataclass
class QuizGrade:
    """One learner's standing on one quiz (by key), as their course page would show it."""

    attempts: int = 0  # graded attempts
    grade: Decimal | None = None
    passed: bool = False


@dataclass(frozen=True)
class QuizColumn:
    key: str
    title: str

    @property
    def is_final(self) -> bool:
        return self.key == FINAL_KEY


@dataclass
class Spread:
    bands: list[int]  # learners per band, lowest band first
    mean: Decimal
    median: Decimal

    @property
    def labels(self) -> list[str]:
        return band_labels()

    @property
    def chart(self) -> DistributionChart:
        return distribution_chart(self.bands, self.labels)


@dataclass
class QuizFigures:
    column: QuizColumn
    attempts: int = 0
    learners: int = 0  # learners with a graded attempt
    passed: int = 0
    spread: Spread | None = None  # None below MIN_GROUP learners


@dataclass
class CourseFigures:
    enrolled: int
    started: int
    completed: int
    certified: int
    modules: list[tuple[str, int]] = field(default_factory=list)  # (title, learners finished)
    quizzes: list[QuizFigures] = field(default_factory=list)


def band_labels() -> list[str]:
    last = 100 // BAND_WIDTH - 1
    return [
        f"{i * BAND_WIDTH}-{100 if i == last else (i + 1) * BAND_WIDTH - 1}"
        for i in range(last + 1)
    ]


def _hundredth(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spread_of(grades: Iterable[Decimal]) -> Spread | None:
    """Bands, mean and median of learners' grades; None for fewer than ``MIN_GROUP``."""
    values = sorted(grades)
    if len(values) < MIN_GROUP:
        return None
    bands = [0] * (100 // BAND_WIDTH)
    for value in values:
        bands[min(int(value // BAND_WIDTH), len(bands) - 1)] += 1
    mean = sum(values, Decimal(0)) / len(values)
    return Spread(bands, _hundredth(mean), _hundredth(statistics.median(values)))


def quiz_columns(course: Course) -> list[QuizColumn]:
    """The quizzes of the course's newest version: module quizzes in module order, the final
    last. Attempts at the same key in earlier versions count towards them."""
    rows = db.session.execute(
        db.select(Quiz.key, Quiz.title)
        .outerjoin(Module, Module.id == Quiz.module_id)
        .where(Quiz.version_id == course.current_version_id, Quiz.retired.is_(False))
        .order_by((Quiz.key == FINAL_KEY), Module.position, Quiz.id)
    ).all()
    return [QuizColumn(key, title) for key, title in rows]


def module_titles(course: Course) -> list[tuple[str, str]]:
    """(slug, title) of the newest version's modules, in order."""
    return [
        (slug, title)
        for slug, title in db.session.execute(
            db.select(Module.slug, Module.title)
            .where(Module.version_id == course.current_version_id, Module.retired.is_(False))
            .order_by(Module.position)
        )
    ]


def quiz_grades(
    course: Course, where: ColumnElement[bool] | None = None
) -> dict[int, dict[str, QuizGrade]]:
    """{learner id: {quiz key: grade}} for the course's enrolled learners (``where`` narrows
    them, e.g. to one page), in two statements: the quizzes' grading settings in every version,
    and the graded attempts. Each learner is graded with the settings of the version they take
    (the newest version's when that version has no such quiz), as their own page grades them."""
    settings = {
        (version_id, key): (method, passing)
        for version_id, key, method, passing in db.session.execute(
            db.select(Quiz.version_id, Quiz.key, Quiz.grading_method, Quiz.passing_score).where(
                Quiz.course_id == course.id
            )
        )
    }
    query = (
        db.select(
            Attempt.user_id,
            Enrolment.version_id,
            Quiz.key,
            Attempt.number,
            Attempt.score,
            Attempt.passed,
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(
            Enrolment,
            (Enrolment.user_id == Attempt.user_id) & (Enrolment.course_id == course.id),
        )
        .where(Quiz.course_id == course.id, Attempt.status == AttemptStatus.GRADED)
        .order_by(Attempt.user_id, Attempt.number, Attempt.id)
    )
    if where is not None:
        query = query.where(where)
    graded: dict[tuple[int, int, str], list[GradedAttempt]] = defaultdict(list)
    for user_id, version_id, key, number, score, passed in db.session.execute(query):
        graded[(user_id, version_id, key)].append(GradedAttempt(number, score, bool(passed)))
    result: dict[int, dict[str, QuizGrade]] = defaultdict(dict)
    for (user_id, version_id, key), attempts in graded.items():
        method, passing = settings.get(
            (version_id, key), settings.get((course.current_version_id, key), ("highest", 0))
        )
        grade, passed = quiz_grade(method, attempts, passing)
        result[user_id][key] = QuizGrade(len(attempts), grade, passed)
    return result


def course_figures(course: Course) -> CourseFigures:
    """Everything the gradebook shows about all learners together."""
    of_course = Enrolment.course_id == course.id
    progressed = exists().where(
        ModuleProgress.user_id == Enrolment.user_id,
        ModuleProgress.module_id == Module.id,
        Module.course_id == course.id,
    )
    attempted = exists().where(
        Attempt.user_id == Enrolment.user_id,
        Attempt.quiz_id == Quiz.id,
        Quiz.course_id == course.id,
    )

    def count(*where: ColumnElement[bool]) -> ColumnElement[int]:
        return (
            select(func.count()).select_from(Enrolment).where(of_course, *where).scalar_subquery()
        )

    certified = (
        select(func.count(distinct(Certificate.user_id)))
        .where(Certificate.course_id == course.id, Certificate.revoked_at.is_(None))
        .scalar_subquery()
    )
    enrolled, started, completed, certificates = db.session.execute(
        select(
            count(),
            count(progressed | attempted),
            count(Enrolment.completed_at.is_not(None)),
            certified,
        )
    ).one()
    figures = CourseFigures(enrolled, started, completed, certificates)
    finished = dict(
        db.session.execute(
            db.select(Module.slug, func.count(distinct(ModuleProgress.user_id)))
            .join(ModuleProgress, ModuleProgress.module_id == Module.id)
            .join(
                Enrolment,
                (Enrolment.user_id == ModuleProgress.user_id) & of_course,
            )
            .where(Module.course_id == course.id, ModuleProgress.completed_at.is_not(None))
            .group_by(Module.slug)
        ).all()
    )
    figures.modules = [(title, finished.get(slug, 0)) for slug, title in module_titles(course)]
    by_key: dict[str, list[QuizGrade]] = defaultdict(list)
    for grades in quiz_grades(course).values():
        for key, grade in grades.items():
            by_key[key].append(grade)
    for column in quiz_columns(course):
        learners = by_key.get(column.key, [])
        figures.quizzes.append(
            QuizFigures(
                column,
                attempts=sum(g.attempts for g in learners),
                learners=len(learners),
                passed=sum(g.passed for g in learners),
                spread=spread_of(g.grade for g in learners if g.grade is not None),
            )
        )
    return figures
