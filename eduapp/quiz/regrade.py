"""Regrading: when an instructor corrects a key, past attempts are graded again from their own
snapshots and answers, with only the key replaced by today's. Each changed attempt keeps its
original grade and snapshot in an audit row.

A question whose key turns out to be wrong is retired, not re-keyed, and then withdrawn by a
regrade: every attempt that showed it gets its marks, whatever was answered. Dropping it
instead would take a mark from learners who answered as the course then taught, and could
turn their pass into a fail; crediting it can only raise a score.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from ..certificates.issue import after_final_regrade
from ..database import begin_write
from ..extensions import db
from ..learn.quizstatus import quiz_statuses
from ..learn.services import refresh_completion
from ..models import (
    FINAL_KEY,
    Answer,
    Attempt,
    AttemptStatus,
    Course,
    Enrolment,
    Module,
    ModuleProgress,
    Question,
    Quiz,
    Regrade,
    User,
)
from . import itemtotals
from .grading import grade_attempt


@dataclass
class RegradeChange:
    attempt_id: int
    number: int
    email: str
    old_score: Decimal | None
    new_score: Decimal
    old_passed: bool | None
    new_passed: bool

    @property
    def verdict_changed(self) -> bool:
        return bool(self.old_passed) != self.new_passed

    def describe(self) -> str:
        change = ""
        if self.verdict_changed:
            change = " (fail -> pass)" if self.new_passed else " (pass -> fail)"
        return (
            f"attempt {self.number} of {self.email}: {self.old_score}% -> {self.new_score}%{change}"
        )


def corrected_question(old: Mapping[str, Any], live: Question) -> dict[str, Any]:
    """The snapshot's question with the live key: what was shown stays, what is right changes."""
    new = copy.deepcopy(dict(old))
    live_choices = {c.key: c for c in live.choices}
    for choice in new.get("choices", []):
        current = live_choices.get(choice["key"])
        # Only the same choice, worded as the learner saw it, takes the corrected key.
        if current is not None and current.text_html == choice["text_html"]:
            choice["correct"], choice["fraction"] = current.is_correct, current.fraction
    spec = live.spec or {}
    if old["type"] in ("short", "numeric"):
        new["answers"] = spec.get("answers", old["answers"])
    elif old["type"] == "matching":
        by_text = {o["text"]: o["key"] for o in old["options"]}
        pairs = {p["key"]: by_text.get(p["answer"]) for p in spec.get("pairs", [])}
        new["pairs"] = {stem: pairs.get(stem) or key for stem, key in old["pairs"].items()}
    elif old["type"] == "ordering":
        order = [i["key"] for i in spec.get("items", [])]
        if sorted(order) == sorted(old["order"]):
            new["order"] = order
    return new


def _withdrawn(question: Mapping[str, Any], reason: str) -> dict[str, Any]:
    return {**question, "withdrawn": reason[:500] or "withdrawn"}


def find_quiz(course_slug: str, quiz_name: str) -> Quiz | None:
    """The quiz as the course's newest published version has it: its keys are today's."""
    return db.session.execute(
        db.select(Quiz)
        .join(Course, Course.current_version_id == Quiz.version_id)
        .where(Course.slug == course_slug, Quiz.name == quiz_name)
    ).scalar_one_or_none()


def _same_quiz_ids(quiz: Quiz) -> list[int]:
    """The rows of this quiz in every version of its course: a regrade reaches every attempt,
    whichever version the learner took."""
    return list(
        db.session.execute(
            db.select(Quiz.id).where(Quiz.course_id == quiz.course_id, Quiz.key == quiz.key)
        ).scalars()
    )


class WithdrawError(ValueError):
    """A question named for withdrawal that is not a retired question of this quiz."""


def withdrawable(quiz: Quiz, keys: Sequence[str]) -> set[int]:
    """The ids of the questions ``keys`` names in any version of ``quiz``, each one the newest
    version no longer asks.

    Only a question taken out of the quiz can be withdrawn: one still in it would go on being
    asked while nobody could lose its marks.
    """
    rows = db.session.execute(
        db.select(Question).where(
            Question.quiz_id.in_(_same_quiz_ids(quiz)), Question.key.in_(keys)
        )
    ).scalars()
    found: dict[str, list[Question]] = {}
    for question in rows:
        found.setdefault(question.key, []).append(question)
    for key in keys:
        questions = found.get(key)
        if not questions:
            raise WithdrawError(f"quiz {quiz.name!r} has no question {key!r}")
        if any(q.quiz_id == quiz.id and not q.retired for q in questions):
            raise WithdrawError(
                f"question {key!r} is still in quiz {quiz.name!r}: remove it from the quiz "
                "and publish (or import) the course without it before withdrawing it"
            )
    return {q.id for questions in found.values() for q in questions}


def regrade_quiz(quiz: Quiz, reason: str, withdraw: Sequence[str] = ()) -> list[RegradeChange]:
    """Regrade every graded attempt of a quiz; returns the attempts whose grade changed.

    ``withdraw`` names retired questions (by their id in the quiz file) that every attempt
    which showed them now gets full marks for; see the module's docstring for why.
    """
    begin_write()
    withdrawn = withdrawable(quiz, withdraw) if withdraw else set()
    quiz = db.session.get_one(Quiz, quiz.id)
    # Today's keys, by question key: an attempt on an older version meets the same question
    # under a new row id, and the snapshot's wording decides what the correction may touch.
    live = {
        q.key: q
        for q in db.session.execute(
            db.select(Question).filter_by(quiz_id=quiz.id).options(selectinload(Question.choices))
        ).scalars()
    }
    quiz_ids = _same_quiz_ids(quiz)
    attempts = db.session.execute(
        db.select(Attempt, User.email)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.quiz_id.in_(quiz_ids), Attempt.status == AttemptStatus.GRADED)
        .order_by(Attempt.id)
    ).all()
    answers: dict[int, list[Answer]] = {}
    for answer in db.session.execute(
        db.select(Answer).where(Answer.attempt_id.in_([a.id for a, _ in attempts]))
    ).scalars():
        answers.setdefault(answer.attempt_id, []).append(answer)
    changes = []
    for attempt, email in attempts:
        old = attempt.snapshot
        snapshot = {
            **old,
            "questions": [
                _withdrawn(q, reason)
                if q["question_id"] in withdrawn
                # A question withdrawn earlier stays withdrawn whatever its key says now.
                else q
                if q.get("withdrawn")
                else corrected_question(q, live[q["key"]])
                if q["key"] in live
                else q
                for q in old["questions"]
            ],
        }
        rows = {a.question_id: a for a in answers.get(attempt.id, [])}
        responses = {
            q["key"]: rows[q["question_id"]].chosen
            for q in snapshot["questions"]
            if q["question_id"] in rows
        }
        result = grade_attempt(snapshot, responses)
        if result.score == attempt.score and result.passed == attempt.passed and snapshot == old:
            continue
        db.session.add(
            Regrade(
                attempt_id=attempt.id,
                reason=reason[:500],
                old_score=attempt.score,
                new_score=result.score,
                old_passed=attempt.passed,
                new_passed=result.passed,
                old_snapshot=old,
            )
        )
        changes.append(
            RegradeChange(
                attempt.id,
                attempt.number,
                email,
                attempt.score,
                result.score,
                attempt.passed,
                result.passed,
            )
        )
        by_key = {q["key"]: q["question_id"] for q in snapshot["questions"]}
        for r in result.questions:
            row = rows.get(by_key[r.key])
            if row is not None:
                row.mark, row.correct = r.mark, r.correct
        attempt.snapshot = snapshot
        attempt.marks, attempt.max_marks = result.marks, result.max_marks
        attempt.score, attempt.passed = result.score, result.passed
    db.session.flush()
    for quiz_id in {a.quiz_id for a, _ in attempts} if changes else ():
        itemtotals.rebuild(quiz_id)
    course = db.session.get_one(Course, quiz.course_id)
    passers = {a.user_id for a, _ in attempts if a.passed}
    incomplete = {
        e.user_id: e
        for e in db.session.execute(
            db.select(Enrolment).where(
                Enrolment.course_id == course.id,
                Enrolment.user_id.in_(passers),
                Enrolment.completed_at.is_(None),
            )
        ).scalars()
    }
    for user_id in passers:
        # A new pass may complete a module or the course; completions are never undone.
        refresh_completion(db.session.get_one(User, user_id), course)
    _date_completions(course, attempts, incomplete)
    if quiz.key == FINAL_KEY:
        _certify(quiz, course, attempts, changes)
    return changes


def _date_completions(
    course: Course, attempts: list[Any], incomplete: dict[int, Enrolment]
) -> None:
    """A course a regrade completes was completed when the learner did the work: the later of
    the first passing attempt and the last module completion, not the day of the regrade."""
    for user_id, enrolment in incomplete.items():
        if enrolment.completed_at is None:
            continue
        passed_at = min(
            (a.submitted_at for a, _ in attempts if a.user_id == user_id and a.passed),
            default=None,
        )
        modules_at = db.session.scalar(
            db.select(db.func.max(ModuleProgress.completed_at))
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(ModuleProgress.user_id == user_id, Module.course_id == course.id)
        )
        moments = [m for m in (passed_at, modules_at) if m is not None]
        if moments:
            enrolment.completed_at = max(moments)


def _certify(quiz: Quiz, course: Course, attempts: list[Any], changes: list[RegradeChange]) -> None:
    """Fail to pass certifies (the course is complete); pass to fail flags for an admin."""
    owner = {a.id: a.user_id for a, _ in attempts}
    flipped = {owner[c.attempt_id] for c in changes if c.verdict_changed}
    # Each learner's standing on the final of the version they took.
    taken = {a.user_id: a.quiz_id for a, _ in attempts}
    finals = {
        q.id: q
        for q in db.session.execute(
            db.select(Quiz).where(Quiz.id.in_(set(taken.values())))
        ).scalars()
    }
    statuses = {
        u: quiz_statuses([finals[taken[u]]], db.session.get_one(User, u))[taken[u]] for u in flipped
    }
    after_final_regrade(
        course,
        passed=sorted(u for u in flipped if statuses[u].passed),
        failed=sorted(u for u in flipped if not statuses[u].passed),
    )
