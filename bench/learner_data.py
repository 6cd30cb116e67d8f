"""The learner benchmark's data (``bench/pages.py``): a fresh database with the catalogue, a
learner's journeys through the services the routes call, other learners by the scale, and
the learners who each submit a final once. Split from the measuring, which does not care
how the data was made."""

from __future__ import annotations

import copy
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.item_analysis import PASSWORD, batches  # noqa: E402
from eduapp import create_app  # noqa: E402
from eduapp.auth import passwords  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.learn import services as learn  # noqa: E402
from eduapp.models import (  # noqa: E402
    Attempt,
    Course,
    Enrolment,
    ModuleProgress,
    Quiz,
    Role,
    User,
)
from eduapp.quiz import services as quizzes  # noqa: E402
from eduapp.review import cards  # noqa: E402

LEARNER = "bench-learner@example.org"
FIRST, SECOND, THIRD = "massage-pain-rehab", "massage-safety", "massage-techniques"
OTHERS_PER_SCALE = 20
SUBMITTER = "bench-submit{n}@example.org"
PROFILED = 5  # submitters kept for --profile, after the timed ones


def responses(snapshot: dict[str, Any], wrong_every: int) -> dict[str, list[str]]:
    """A learner's answers to an attempt: the key to choice questions, except every
    ``wrong_every``-th question, which gets a wrong choice (or is left blank)."""
    answers: dict[str, list[str]] = {}
    for n, q in enumerate(snapshot["questions"]):
        choices = q.get("choices") or []
        correct = [c["key"] for c in choices if c["correct"]]
        wrong = [c["key"] for c in choices if not c["correct"]]
        if not correct or q["type"] not in ("single", "multiple", "true_false"):
            continue
        answers[q["key"]] = wrong[:1] if wrong_every and n % wrong_every == 1 and wrong else correct
    return answers


def take(user: User, quiz: Quiz, wrong_every: int) -> None:
    """Start and submit one attempt as the quiz routes do, then collect missed questions."""
    attempt = quizzes.start_attempt(user, quiz)
    db.session.commit()  # as the start route does; the submit begins its own write
    quizzes.submit_attempt(attempt.id, user, responses(attempt.snapshot, wrong_every))
    db.session.commit()
    cards.collect_missed(user, [quiz.id])
    db.session.commit()


def course(slug: str) -> Course:
    return db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()


def journeys(learner: User) -> None:
    """The learner's history: one course's modules all read and their quizzes taken, half of
    a second course read, a third started."""
    for slug, share in ((FIRST, 1.0), (SECOND, 0.5), (THIRD, 0.0)):
        target = course(slug)
        learn.enrol(learner, target)
        db.session.commit()
        state = learn.course_progress(target, learner)
        for module in state.modules[: round(len(state.modules) * share)]:
            learn.mark_read(learner, target, module)
            db.session.commit()
            status = state.quizzes.get(module.id)
            if status is not None:
                take(learner, status.quiz, wrong_every=4)


def copies(scale: int) -> list[Any]:
    """The catalogue, and ``scale - 1`` renamed copies of it."""
    catalogue = load_catalogue(ROOT / "courses")
    every = list(catalogue)
    for n in range(2, scale + 1):
        for data in catalogue:
            twin = copy.copy(data)
            twin.meta = data.meta.model_copy(
                update={"slug": f"{data.meta.slug}-{n}", "title": f"{data.meta.title} ({n})"}
            )
            every.append(twin)
    return every


def others(scale: int, seed_hash: str) -> int:
    """Other learners (``OTHERS_PER_SCALE`` x scale), each enrolled in every course of the
    original catalogue with every module read and a graded attempt at each module quiz."""
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    count = OTHERS_PER_SCALE * scale
    db.session.execute(
        insert(User),
        [
            {
                "email": f"other{i}@example.org",
                "name": f"Other {i}",
                "password_hash": seed_hash,
                "role": "learner",
                "timezone": "UTC",
                "session_token": f"bench-other-{i}",
                "created_at": moment,
            }
            for i in range(count)
        ],
    )
    ids = list(
        db.session.execute(db.select(User.id).where(User.email.like("other%@example.org")))
        .scalars()
        .all()
    )
    originals = [course(s) for s in (FIRST, SECOND, THIRD, "ethics-scope")]
    enrolments, progress, attempts = [], [], []
    for c in originals:
        modules = learn.active_modules(c.current_version_id)
        quiz_ids = db.session.execute(
            db.select(Quiz.id).filter_by(version_id=c.current_version_id, retired=False)
        ).scalars()
        quiz_ids = list(quiz_ids)
        for uid in ids:
            enrolments.append(
                {"user_id": uid, "course_id": c.id, "version_id": c.current_version_id}
            )
            progress.extend(
                {"user_id": uid, "module_id": m.id, "read_at": moment, "completed_at": moment}
                for m in modules
            )
            attempts.extend(
                {
                    "user_id": uid,
                    "quiz_id": q,
                    "number": 1,
                    "status": "graded",
                    "started_at": moment,
                    "submitted_at": moment + timedelta(minutes=9),
                    "score": 90,
                    "passed": True,
                    "snapshot": {},
                    "responses": {},
                }
                for q in quiz_ids
            )
    for model, rows in ((Enrolment, enrolments), (ModuleProgress, progress), (Attempt, attempts)):
        for batch in batches(iter(rows)):
            db.session.execute(insert(model), batch)
    db.session.commit()
    return count


def generate(scale: int, submits: int) -> dict[str, Any]:
    """Build the database; return what it holds."""
    from flask_migrate import upgrade

    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(copies(scale))
        learner = register("Bench Learner", LEARNER, PASSWORD, "UTC", Role.LEARNER)
        for n in range(submits + PROFILED):
            register(f"Submitter {n}", SUBMITTER.format(n=n), PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()
        journeys(learner)
        stored = passwords.hash_password(PASSWORD)
        other_count = others(scale, stored)
        first = course(FIRST)
        module = next(
            m
            for m in learn.active_modules(first.current_version_id)
            if db.session.execute(
                db.select(Quiz.id).filter_by(module_id=m.id, retired=False)
            ).first()
        )
        facts = {
            "courses": db.session.scalar(db.select(db.func.count(Course.id))),
            "learners": other_count + 1 + submits + PROFILED,
            "attempts": db.session.scalar(db.select(db.func.count(Attempt.id))),
            "module": module.slug,
            "build_seconds": time.perf_counter() - started,
        }
        db.engine.dispose()
    return facts
