"""A learner's pages run the same SQL statements at 1x and 100x the data: a hundred times the
courses, the learners and the attempts (issue 16). The counts are also pinned, so a page that
gains a statement says so here rather than in a benchmark weeks later."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import insert

from eduapp.clock import now
from eduapp.content.importer import import_courses
from eduapp.extensions import db
from eduapp.models import (
    Attempt,
    Course,
    Enrolment,
    Module,
    ModuleProgress,
    Quiz,
    ReviewCard,
    User,
)
from eduapp.review.scheduler import new_schedule
from tests.conftest import FIXTURES, AuthActions, catalogue, csrf_token
from tests.learn.test_course_pages import count_queries

COURSE = "/courses/sample-course"
MODULE = COURSE + "/modules/first-steps"
# What each page runs (SQLite's BEGIN aside): the signed-in user (with the navigation's counts) and
# then, by page: the assigned courses and the catalogue; the learner's enrolments with their
# courses and completed modules, attempts, certificates, assignments, and the review figures
# (deck, due, retention) with the cards due in the next five weeks; the course with the learner's
# enrolment, attempts, progress and who looked at their shared results; the course with the
# enrolment, attempts, progress.
PAGES = {"/": 3, "/my-learning": 6, COURSE: 5, MODULE: 4}


def add_courses(first: int, last: int) -> None:
    """Copies of the fixture course, published under their own slugs."""
    copies = []
    for n in range(first, last):
        (data,) = catalogue(FIXTURES / "courses")
        data.meta = data.meta.model_copy(update={"slug": f"copy-{n}", "title": f"Copy {n}"})
        copies.append(data)
    import_courses(copies)
    db.session.commit()


def add_learners(first: int, last: int) -> None:
    """Other learners, each enrolled in the sample course with both modules read and a graded
    attempt at every quiz."""
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    version = course.current_version_id
    modules = db.session.execute(db.select(Module.id).filter_by(version_id=version)).scalars()
    quizzes = db.session.execute(db.select(Quiz.id).filter_by(version_id=version)).scalars()
    modules, quizzes = list(modules), list(quizzes)
    db.session.execute(
        insert(User),
        [
            {
                "email": f"l{n}@example.org",
                "name": f"L {n}",
                "password_hash": "-",
                "role": "learner",
            }
            for n in range(first, last)
        ],
    )
    ids = db.session.execute(
        db.select(User.id).where(User.email.in_([f"l{n}@example.org" for n in range(first, last)]))
    ).scalars()
    ids = list(ids)
    enrol(ids, course.id, version, modules, quizzes, number=1)


def enrol(
    ids: list[int],
    course_id: int,
    version: int,
    modules: list[int],
    quizzes: list[int],
    number: int,
) -> None:
    at = now() - timedelta(days=3)
    db.session.execute(
        insert(Enrolment),
        [{"user_id": u, "course_id": course_id, "version_id": version} for u in ids],
    )
    db.session.execute(
        insert(ModuleProgress),
        [{"user_id": u, "module_id": m, "read_at": at} for u in ids for m in modules],
    )
    attempts(ids, quizzes, range(number, number + 1))


def attempts(ids: list[int], quizzes: list[int], numbers: range) -> None:
    at = now() - timedelta(days=2)
    db.session.execute(
        insert(Attempt),
        [
            {
                "user_id": u,
                "quiz_id": q,
                "number": n,
                "status": "graded",
                "started_at": at,
                "submitted_at": at,
                "score": 50,
                "passed": False,
                "snapshot": {},
                "responses": {},
            }
            for u in ids
            for q in quizzes
            for n in numbers
        ],
    )
    db.session.commit()


def learner_takes_every_course(learner: User) -> None:
    """The learner is enrolled in every course not yet theirs, with progress, attempts and
    review cards (the course they started through the pages gets cards too)."""
    taken = set(db.session.execute(db.select(Enrolment.course_id).filter_by(user_id=learner.id)))
    carded = set(db.session.execute(db.select(ReviewCard.course_id).filter_by(user_id=learner.id)))
    for course in db.session.execute(db.select(Course)).scalars():
        if (course.id,) in carded:
            continue
        version = course.current_version_id
        modules = list(
            db.session.execute(db.select(Module.id).filter_by(version_id=version)).scalars()
        )
        quizzes = list(
            db.session.execute(db.select(Quiz.id).filter_by(version_id=version)).scalars()
        )
        if (course.id,) not in taken:
            enrol([learner.id], course.id, version, modules, quizzes, number=1)
        db.session.add_all(
            ReviewCard(
                user_id=learner.id,
                course_id=course.id,
                kind="keypoint",
                item=f"m{module}:k1",
                origin="added",
                version_id=version,
                module_id=module,
                content_hash="-",
                content={},
                # One due now, the other in a few days (the calendar shows it).
                **new_schedule(now() + timedelta(days=n * 3 - 1)),
            )
            for n, module in enumerate(modules)
        )
        db.session.commit()


def counts(client: FlaskClient) -> dict[str, int]:
    found = {}
    for path in PAGES:
        client.get(path)  # the first request may load what the process keeps
        with count_queries() as seen:
            assert client.get(path).status_code == 200, path
        # SQLite's driver sends BEGIN; PostgreSQL's begins implicitly.
        found[path] = sum(statement != "BEGIN" for statement in seen)
    return found


def test_pages_run_the_same_statements_at_1x_and_100x_the_data(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    auth.signup()
    learner = db.session.execute(db.select(User).filter_by(email="ann@example.org")).scalar_one()
    client.post(COURSE + "/start", data={"csrf_token": csrf_token(client, COURSE)})
    db.session.rollback()
    learner_takes_every_course(learner)
    add_learners(0, 2)
    small = counts(client)

    add_courses(1, 100)  # 100 courses
    add_learners(2, 200)  # 200 other learners
    db.session.rollback()
    learner_takes_every_course(learner)
    sample = db.session.execute(
        db.select(Quiz.id).join(Course).filter(Course.slug == "sample-course")
    )
    attempts([learner.id], list(sample.scalars()), range(2, 101))  # 100 attempts a quiz
    large = counts(client)

    page = client.get("/my-learning").get_data(as_text=True)
    assert page.count('class="course-card"') == 100  # the data did grow, and shows
    assert small == large == PAGES, (small, large)
