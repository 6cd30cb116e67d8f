"""Which questions a learner may meet in a practice exam, and drawing an exam from them.

The rule that protects the finals: a practice exam draws only from module quizzes (never a
final's pool), and only from quizzes whose review policy already lets this learner see the
key (``quiz.policy.key_may_leave_quiz``, the rule cards and search use), because a practice exam
shows every key once submitted. A question that belongs to a case (after a ``description``)
is left out: without its case it cannot be answered.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..learn.quizstatus import quiz_statuses
from ..models import FINAL_KEY, Course, Module, Question, Quiz, User
from ..quiz import policy
from ..quiz.tries import allowed_attempts
from .blueprint import Blueprint

_random = random.SystemRandom()


@dataclass(frozen=True)
class Candidate:
    question: Question
    quiz: Quiz
    course: Course
    module: Module | None

    @property
    def tags(self) -> set[str]:
        return set((self.question.source or {}).get("tags", []))


def _shown_keys(user: User, quizzes: Sequence[Quiz]) -> list[Quiz]:
    """The quizzes whose keys this learner may already see."""
    statuses = quiz_statuses(quizzes, user)
    return [
        quiz
        for quiz in quizzes
        if policy.key_may_leave_quiz(
            quiz,
            statuses[quiz.id],
            allowed_attempts(user, quiz) if quiz.review == "after_last_attempt" else None,
        )
    ]


def eligible(user: User) -> list[Candidate]:
    """Every question a practice exam may draw for ``user``: from the module quizzes of the
    newest published version of each course in the catalogue, keys already visible to them."""
    courses = {
        c.current_version_id: c
        for c in db.session.execute(
            db.select(Course).where(
                Course.status == "published", Course.current_version_id.is_not(None)
            )
        ).scalars()
    }
    if not courses:
        return []
    quizzes = list(
        db.session.execute(
            db.select(Quiz).where(
                Quiz.version_id.in_(courses),
                Quiz.key != FINAL_KEY,
                Quiz.retired.is_(False),
                Quiz.module_id.is_not(None),
            )
        ).scalars()
    )
    kept = {q.id: q for q in _shown_keys(user, quizzes)}
    if not kept:
        return []
    modules = {
        m.id: m
        for m in db.session.execute(
            db.select(Module).where(Module.id.in_({q.module_id for q in kept.values()}))
        ).scalars()
    }
    found: list[Candidate] = []
    in_case: set[int] = set()
    for question in db.session.execute(
        db.select(Question)
        .where(Question.quiz_id.in_(kept), Question.retired.is_(False))
        .options(selectinload(Question.choices))
        .order_by(Question.quiz_id, Question.position)
    ).scalars():
        quiz = kept[question.quiz_id]
        if question.type == "description":
            in_case.add(quiz.id)  # the questions after a case belong to it
            continue
        if quiz.id in in_case:
            continue
        module = modules.get(quiz.module_id) if quiz.module_id else None
        found.append(Candidate(question, quiz, courses[quiz.version_id], module))
    return found


@dataclass
class Drawn:
    """The exam's questions with their area, and areas that had fewer than their share."""

    items: list[tuple[str, Candidate]]
    short: dict[str, tuple[int, int]]  # area id: (asked, wanted)


def draw(blueprint: Blueprint, size: int, pool: Sequence[Candidate]) -> Drawn:
    """Each area's share of ``size``, drawn at random from the questions tagged for it (a
    question counts once, for the first area that draws it), then shuffled together."""
    used: set[int] = set()
    items: list[tuple[str, Candidate]] = []
    short: dict[str, tuple[int, int]] = {}
    for area in blueprint.areas:
        wanted = blueprint.shares(size)[area.id]
        tags = set(area.tags)
        candidates = [c for c in pool if c.tags & tags and c.question.id not in used]
        chosen = _random.sample(candidates, min(wanted, len(candidates)))
        if len(chosen) < wanted:
            short[area.id] = (len(chosen), wanted)
        used |= {c.question.id for c in chosen}
        items += [(area.id, c) for c in chosen]
    _random.shuffle(items)
    return Drawn(items, short)
