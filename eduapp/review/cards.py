"""Which questions and key points become cards, and making them.

The rule that protects the finals lives in ``quiz.policy.key_may_leave_quiz``; every path
that makes a question card (a miss collected, a learner's "add") asks it here, through
:func:`eligible_quizzes`, with the learner's standing across versions and their attempt
limit with accommodations. Nothing in this module shows a key that the rule holds back.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from ..clock import now
from ..extensions import db
from ..learn.quizstatus import quiz_statuses
from ..models import (
    Answer,
    Attempt,
    AttemptStatus,
    CardKind,
    CardOrigin,
    Course,
    Module,
    Quiz,
    ReviewCard,
    User,
)
from ..quiz import policy, tries
from .content import keypoint_hash, question_hash
from .scheduler import new_schedule

# A miss is first due the day after: the learner has just read the explanation.
FIRST_DUE = timedelta(days=1)


class NotEligible(Exception):
    """Not the learner's to add, or its key may not leave the quiz yet (the view's 404)."""


def eligible_quizzes(user: User, quizzes: Sequence[Quiz]) -> set[int]:
    """Ids of the quizzes whose questions may become this learner's cards now."""
    statuses = quiz_statuses(quizzes, user)
    return {
        q.id
        for q in quizzes
        if policy.key_may_leave_quiz(q, statuses[q.id], tries.allowed_attempts(user, q))
    }


def question_item(quiz_key: str, question_key: str) -> str:
    return f"{quiz_key}/{question_key}"


def existing_items(user: User, kind: str) -> set[tuple[int, str]]:
    """(course id, item) of every card of this kind the learner has, retired or not."""
    return {
        (course_id, item)
        for course_id, item in db.session.execute(
            db.select(ReviewCard.course_id, ReviewCard.item).filter_by(user_id=user.id, kind=kind)
        )
    }


def question_card(
    user: User, quiz: Quiz, question: dict[str, Any], origin: str, due: datetime
) -> ReviewCard:
    """A new card of a question as an attempt (or a practice exam) showed it."""
    card = ReviewCard(
        user_id=user.id,
        course_id=quiz.course_id,
        kind=CardKind.QUESTION,
        item=question_item(quiz.key, question["key"]),
        origin=origin,
        version_id=quiz.version_id,
        question_id=question["question_id"],
        module_id=quiz.module_id,
        content_hash=question_hash(question),
        content=dict(question),
        **new_schedule(due),
    )
    db.session.add(card)
    return card


def collect_missed(user: User, quiz_ids: Collection[int] | Any = None) -> int:
    """Make a card of every question the learner got wrong whose key may now leave its quiz,
    from the latest attempt that missed it; returns how many were made.

    Safe to run any number of times (a card that exists, retired or not, is not made again),
    so it runs after each submit and again when /review opens, which catches the misses whose
    key the policy released later (a final passed, the last attempt used). ``quiz_ids``
    (ids, or a subquery of them such as ``tries.same_quiz``) limits it to those quizzes."""
    query = (
        db.select(Answer.question_id, Attempt.id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(
            Attempt.user_id == user.id,
            Attempt.status == AttemptStatus.GRADED,
            Answer.correct.is_(False),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    if quiz_ids is not None:
        query = query.where(Attempt.quiz_id.in_(quiz_ids))
    missed = db.session.execute(query).all()
    if not missed:
        return 0
    attempts = {
        a.id: a
        for a in db.session.execute(
            db.select(Attempt).where(Attempt.id.in_({attempt_id for _, attempt_id in missed}))
        ).scalars()
    }
    quizzes = {
        q.id: q
        for q in db.session.execute(
            db.select(Quiz).where(Quiz.id.in_({a.quiz_id for a in attempts.values()}))
        ).scalars()
    }
    allowed = eligible_quizzes(user, list(quizzes.values()))
    existing = existing_items(user, CardKind.QUESTION)
    latest: dict[tuple[int, str], tuple[Quiz, dict[str, Any], Attempt]] = {}
    for question_id, attempt_id in missed:
        attempt = attempts[attempt_id]
        quiz = quizzes[attempt.quiz_id]
        if quiz.id not in allowed:
            continue
        question = next(
            (q for q in attempt.snapshot["questions"] if q["question_id"] == question_id), None
        )
        if question is None or question["type"] == "description":
            continue
        latest[(quiz.course_id, question_item(quiz.key, question["key"]))] = (
            quiz,
            question,
            attempt,
        )
    made = 0
    for key, (quiz, question, attempt) in latest.items():
        if key in existing:
            continue
        assert attempt.submitted_at is not None
        question_card(user, quiz, question, CardOrigin.MISSED, attempt.submitted_at + FIRST_DUE)
        made += 1
    db.session.flush()
    return made


def addable_questions(user: User, attempt: Attempt, quiz: Quiz) -> set[str]:
    """Keys of the attempt's questions the learner may add to their deck (none while the
    rule holds the key back, none already in the deck)."""
    if attempt.user_id != user.id or attempt.status != AttemptStatus.GRADED:
        return set()
    if quiz.id not in eligible_quizzes(user, [quiz]):
        return set()
    existing = existing_items(user, CardKind.QUESTION)
    return {
        q["key"]
        for q in attempt.snapshot["questions"]
        if q["type"] != "description"
        and (quiz.course_id, question_item(quiz.key, q["key"])) not in existing
    }


def add_question(user: User, attempt_id: int, question_key: str) -> ReviewCard:
    """The learner's own card for a question of one of their graded attempts, as that attempt
    showed it. Raises NotEligible for another's attempt, an unknown question or a key the
    rule holds back; adding twice finds the same card."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id or attempt.status != AttemptStatus.GRADED:
        raise NotEligible(str(attempt_id))
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    if quiz.id not in eligible_quizzes(user, [quiz]):
        raise NotEligible(question_key)
    question = next(
        (
            q
            for q in attempt.snapshot["questions"]
            if q["key"] == question_key and q["type"] != "description"
        ),
        None,
    )
    if question is None:
        raise NotEligible(question_key)
    card = _find(user, quiz.course_id, CardKind.QUESTION, question_item(quiz.key, question_key))
    return card or question_card(user, quiz, question, CardOrigin.ADDED, now())


def _find(user: User, course_id: int, kind: str, item: str) -> ReviewCard | None:
    return db.session.execute(
        db.select(ReviewCard).filter_by(user_id=user.id, course_id=course_id, kind=kind, item=item)
    ).scalar_one_or_none()


def keypoint_item(module_slug: str, keypoint_id: str) -> str:
    return f"{module_slug}/{keypoint_id}"


def keypoint_content(module: Module, point: dict[str, Any]) -> dict[str, Any]:
    return {"title": point.get("title") or "", "html": point["html"], "module": module.title}


def added_keypoints(user: User, module: Module) -> set[str]:
    """Ids of the module's key points already in the learner's deck."""
    prefix = f"{module.slug}/"
    return {
        item.removeprefix(prefix)
        for course_id, item in existing_items(user, CardKind.KEYPOINT)
        if course_id == module.course_id and item.startswith(prefix)
    }


def add_keypoint(user: User, course: Course, module: Module, keypoint_id: str) -> ReviewCard:
    """A card for one of the module's key points (the module is one the learner can read:
    the caller found it in the version they take). Adding twice finds the same card."""
    point = next((p for p in module.keypoints if p["id"] == keypoint_id), None)
    if point is None:
        raise NotEligible(keypoint_id)
    item = keypoint_item(module.slug, keypoint_id)
    card = _find(user, course.id, CardKind.KEYPOINT, item)
    if card is not None:
        return card
    content = keypoint_content(module, point)
    card = ReviewCard(
        user_id=user.id,
        course_id=course.id,
        kind=CardKind.KEYPOINT,
        item=item,
        origin=CardOrigin.ADDED,
        version_id=module.version_id,
        module_id=module.id,
        content_hash=keypoint_hash(content["title"], content["html"]),
        content=content,
        **new_schedule(now()),
    )
    db.session.add(card)
    return card
