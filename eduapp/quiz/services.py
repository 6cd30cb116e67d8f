"""Attempts: start (or resume), submit and grade exactly once, and read back for review.

The two writes that must serialise begin with :func:`begin_write` (SQLite: ``BEGIN
IMMEDIATE``), and both are decided by the database, not by a check-then-write: a unique index
allows one open attempt per learner and quiz, numbering is unique per learner and quiz, and
grading is a conditional ``UPDATE ... WHERE status = 'in_progress'`` that only one request
can win.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..learn.services import QuizStatus, quiz_statuses, refresh_completion
from ..models import Answer, Attempt, AttemptStatus, Course, Question, Quiz, User
from .grading import AttemptResult, grade_attempt

_random = random.SystemRandom()


class QuizError(Exception):
    """A rule stops this action; the message is for the learner."""


class AttemptLimitReached(QuizError):
    pass


class AlreadySubmitted(QuizError):
    pass


class MustWait(QuizError):
    """The quiz asks for a pause between attempts."""

    def __init__(self, ready: datetime) -> None:
        super().__init__("You can start your next attempt later.")
        self.ready = ready


def next_attempt_at(quiz: Quiz, last_submitted: datetime | None) -> datetime | None:
    """When the wait after the last attempt ends (None: no wait applies)."""
    if not quiz.wait_minutes or last_submitted is None:
        return None
    return last_submitted + timedelta(minutes=quiz.wait_minutes)


class AttemptNotFound(QuizError):
    """No such attempt for this learner (someone else's is as good as missing)."""


def quiz_in_course(course: Course, key: str) -> Quiz | None:
    return db.session.execute(
        db.select(Quiz).filter_by(course_id=course.id, key=key, retired=False)
    ).scalar_one_or_none()


def question_count(quiz: Quiz) -> int:
    return db.session.scalar(
        db.select(func.count(Question.id)).filter_by(quiz_id=quiz.id, retired=False)
    )


def attempts_for(user: User, quiz: Quiz) -> Sequence[Attempt]:
    return (
        db.session.execute(
            db.select(Attempt).filter_by(user_id=user.id, quiz_id=quiz.id).order_by(Attempt.number)
        )
        .scalars()
        .all()
    )


def own_attempt(attempt_id: int, user: User) -> Attempt | None:
    """The attempt if it is this user's; someone else's is as good as missing (404)."""
    return db.session.execute(
        db.select(Attempt).filter_by(id=attempt_id, user_id=user.id)
    ).scalar_one_or_none()


def _shuffled(items: list[Any]) -> list[Any]:
    """A random order that is never the original one (which would give the answer away)."""
    if len(items) < 2:
        return list(items)
    while True:
        order = list(items)
        _random.shuffle(order)
        if order != items:
            return order


def _question_snapshot(q: Question) -> dict[str, Any]:
    snap: dict[str, Any] = {
        "question_id": q.id,
        "key": q.key,
        "type": q.type,
        "points": q.points,
        "prompt_html": q.prompt_html,
        "explanation_html": q.explanation_html,
        "references": list(q.references),
        "choices": [
            {
                "key": c.key,
                "text_html": c.text_html,
                "feedback_html": c.feedback_html,
                "correct": c.is_correct,
                "fraction": c.fraction,
            }
            for c in q.choices
        ],
    }
    spec = q.spec or {}
    if q.type in ("short", "numeric"):
        snap["answers"] = spec["answers"]
    elif q.type == "matching":
        answers = [p["answer"] for p in spec["pairs"]] + spec["distractors"]
        # Options are listed alphabetically, so their order says nothing about the pairs.
        options = [{"key": f"o{i}", "text": t} for i, t in enumerate(sorted(answers), start=1)]
        by_text = {o["text"]: o["key"] for o in options}
        snap["stems"] = [{"key": p["key"], "text": p["prompt"]} for p in spec["pairs"]]
        snap["options"] = options
        snap["pairs"] = {p["key"]: by_text[p["answer"]] for p in spec["pairs"]}
    elif q.type == "ordering":
        snap["order"] = [i["key"] for i in spec["items"]]
        snap["items"] = _shuffled(spec["items"])
    return snap


def _groups(questions: Sequence[Question]) -> list[list[Question]]:
    """A description and the questions after it form a group that is drawn and moved as one."""
    groups: list[list[Question]] = []
    for question in questions:
        if groups and groups[-1][0].type == "description" and question.type != "description":
            groups[-1].append(question)
        else:
            groups.append([question])
    return groups


def choose_questions(quiz: Quiz, questions: Sequence[Question]) -> list[Question]:
    """Apply the quiz's draw and shuffle settings: the result is frozen in the snapshot."""
    groups = _groups(questions)
    if quiz.draw is not None:
        asked = [q for g in groups for q in g if q.type != "description"]
        drawn = set(_random.sample([q.id for q in asked], min(quiz.draw, len(asked))))
        groups = [
            [q for q in g if q.type == "description" or q.id in drawn]
            for g in groups
            if any(q.id in drawn for q in g)
        ]
    if quiz.shuffle_questions:
        _random.shuffle(groups)
    return [q for g in groups for q in g]


def take_snapshot(quiz: Quiz) -> dict[str, Any]:
    """Everything the learner is shown and graded against, frozen at the start."""
    questions = (
        db.session.execute(
            db.select(Question)
            .filter_by(quiz_id=quiz.id, retired=False)
            .order_by(Question.position)
            .options(selectinload(Question.choices))
        )
        .scalars()
        .all()
    )
    snapshots = [_question_snapshot(q) for q in choose_questions(quiz, questions)]
    if quiz.shuffle_choices:
        for snap in snapshots:
            if snap["type"] in ("single", "multiple"):
                _random.shuffle(snap["choices"])
    return {
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "questions": snapshots,
    }


def _open_attempt(user: User, quiz: Quiz) -> Attempt | None:
    return db.session.execute(
        db.select(Attempt).filter_by(
            user_id=user.id, quiz_id=quiz.id, status=AttemptStatus.IN_PROGRESS
        )
    ).scalar_one_or_none()


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the open attempt, or start the next one if the quiz allows another."""
    begin_write()
    existing = _open_attempt(user, quiz)
    if existing is not None:
        return existing
    used, last = db.session.execute(
        db.select(func.count(Attempt.id), func.max(Attempt.submitted_at)).filter_by(
            user_id=user.id, quiz_id=quiz.id
        )
    ).one()
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise AttemptLimitReached(
            f"You have used all {quiz.max_attempts} attempts allowed for this quiz."
        )
    ready = next_attempt_at(quiz, last)
    if ready is not None and ready > now():
        raise MustWait(ready)
    attempt = Attempt(
        user_id=user.id, quiz_id=quiz.id, number=used + 1, snapshot=take_snapshot(quiz)
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # pragma: no cover - a concurrent start won (PostgreSQL only)
        raced = _open_attempt(user, quiz)
        if raced is None:
            raise AttemptLimitReached("Another attempt was just started; try again.") from None
        return raced
    return attempt


def parse_responses(form: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Form fields ``q-<question key>`` (one or several values) to {question key: [choices]}.

    Unknown question or choice keys are left for the grader, which refuses them.
    """
    return {name[2:]: list(values) for name, values in form.items() if name.startswith("q-")}


def submit_attempt(
    attempt_id: int, user: User, responses: Mapping[str, Sequence[str]]
) -> tuple[Attempt, AttemptResult]:
    """Grade once. Raises AlreadySubmitted when another request got there first, AttemptNotFound
    when the attempt is not this user's, InvalidResponse when the answers were tampered with."""
    begin_write()
    attempt = own_attempt(attempt_id, user)
    if attempt is None:
        raise AttemptNotFound(str(attempt_id))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AlreadySubmitted("This attempt was already submitted.")
    result = grade_attempt(attempt.snapshot, responses)
    submitted = now()
    claimed = db.session.execute(
        db.update(Attempt)
        .where(
            Attempt.id == attempt.id,
            Attempt.user_id == user.id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
        .values(
            status=AttemptStatus.GRADED,
            submitted_at=submitted,
            marks=result.marks,
            max_marks=result.max_marks,
            score=result.score,
            passed=result.passed,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadySubmitted("This attempt was already submitted.")
    by_key = {q["key"]: q for q in attempt.snapshot["questions"]}
    db.session.add_all(
        Answer(
            attempt_id=attempt.id,
            question_id=by_key[r.key]["question_id"],
            position=position,
            chosen=list(r.chosen),
            mark=r.mark,
            max_mark=r.max_mark,
            correct=r.correct,
        )
        for position, r in enumerate(result.questions)
    )
    db.session.flush()
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    course = db.session.get_one(Course, quiz.course_id)
    refresh_completion(user, course)
    db.session.refresh(attempt)
    return attempt, result


REVIEW_NOTES = {
    "after_pass": "The right answers, feedback and explanations appear once you pass this quiz.",
    "after_last_attempt": "The right answers, feedback and explanations appear after your "
    "last allowed attempt.",
    "never": "This quiz does not show its answers.",
}


def key_visible(quiz: Quiz, status: QuizStatus) -> bool:
    """Whether the review policy lets this learner see the key, feedback and explanations."""
    if quiz.review == "immediately":
        return True
    if quiz.review == "after_pass":
        return status.passed
    if quiz.review == "after_last_attempt":
        return quiz.max_attempts is not None and status.attempts >= quiz.max_attempts
    return False


def status_for(user: User, quiz: Quiz) -> QuizStatus:
    return quiz_statuses([quiz], user)[quiz.id]


def answers_for(attempt: Attempt) -> dict[int, Answer]:
    return {
        a.question_id: a
        for a in db.session.execute(db.select(Answer).filter_by(attempt_id=attempt.id)).scalars()
    }
