"""Learners on the fixture course, made directly: enrolled, with graded attempts, finished
modules and certificates, so a gradebook test can set up thirty of them in one go."""

from __future__ import annotations

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import Certificate, Course, Enrolment, Module, ModuleProgress, Quiz, User
from tests.studio.attempts import graded_attempt, learners

SLUG = "sample-course"
PAGE = f"/studio/courses/{SLUG}/gradebook"
RIGHT = {"q-single": ["a"], "q-multi": ["a", "b"], "q-tf": ["false"]}  # 100%
WRONG = {"q-single": ["b"], "q-multi": ["c"], "q-tf": ["true"]}  # 0%
HALF = {"q-single": ["a"], "q-multi": ["a"], "q-tf": ["true"]}  # 1 + 0.5 + 0 of 3: 50%


def course() -> Course:
    return db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()


def quiz(key: str = "first-steps") -> Quiz:
    return db.session.execute(
        db.select(Quiz).filter_by(version_id=course().current_version_id, key=key)
    ).scalar_one()


def enrolled(count: int, prefix: str = "learner", shared: bool = False) -> list[User]:
    """Learners enrolled on the course's current version (not committed)."""
    people = learners(count, prefix=prefix)
    version_id = course().current_version_id
    for person in people:
        db.session.add(
            Enrolment(
                user_id=person.id,
                course_id=course().id,
                version_id=version_id,
                results_shared_at=now() if shared else None,
            )
        )
    db.session.flush()
    return people


def finish_module(person: User, slug: str = "first-steps") -> None:
    module = db.session.execute(
        db.select(Module).filter_by(version_id=course().current_version_id, slug=slug)
    ).scalar_one()
    db.session.add(
        ModuleProgress(user_id=person.id, module_id=module.id, read_at=now(), completed_at=now())
    )
    db.session.flush()


def complete_with_certificate(person: User) -> Certificate:
    enrolment = db.session.execute(
        db.select(Enrolment).filter_by(user_id=person.id, course_id=course().id)
    ).scalar_one()
    enrolment.completed_at = now()
    certificate = Certificate(
        user_id=person.id, course_id=course().id, facts={}, pdf=b"%PDF", sha256="0" * 64
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def attempt(person: User, responses: dict[str, list[str]], number: int = 1) -> None:
    graded_attempt(quiz(), person, responses, number=number)


def share(person: User, on: bool = True) -> None:
    enrolment = db.session.execute(
        db.select(Enrolment).filter_by(user_id=person.id, course_id=course().id)
    ).scalar_one()
    enrolment.results_shared_at = now() if on else None
    db.session.commit()
