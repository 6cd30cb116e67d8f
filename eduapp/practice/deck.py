"""A practice exam's missed questions, sent to the learner's review deck.

Each becomes a card as a missed quiz question does (``review.cards``): the question as the
exam showed it, under its own quiz and id, due the next day, once per learner however often it
is missed. Every question a practice exam draws already passed the rule that lets its key leave
its quiz (``policy.key_may_leave_quiz``), so no final's key can reach a deck this way.
"""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import PracticeExam, Question, Quiz, User
from ..models.review import CardKind, CardOrigin
from ..review.cards import FIRST_DUE, existing_items, question_card, question_item
from . import services

# Fields a practice exam adds to a question's snapshot; a card keeps the quiz's own shape.
_PRACTICE_FIELDS = ("source_key", "area", "course", "course_slug", "module", "module_slug")


def send_missed(user: User, exam: PracticeExam) -> int:
    """Cards for the exam's missed questions the learner has none for yet; how many made."""
    missed = services.missed(exam)
    if not missed or exam.submitted_at is None:
        return 0
    rows = {
        question.id: quiz
        for question, quiz in db.session.execute(
            db.select(Question, Quiz)
            .join(Quiz, Quiz.id == Question.quiz_id)
            .where(Question.id.in_({q["question_id"] for q in missed}))
        ).all()
    }
    existing = existing_items(user, CardKind.QUESTION)
    made = 0
    for shown in missed:
        quiz = rows.get(shown["question_id"])
        if quiz is None:
            continue
        question: dict[str, Any] = {k: v for k, v in shown.items() if k not in _PRACTICE_FIELDS} | {
            "key": shown["source_key"]
        }
        if (quiz.course_id, question_item(quiz.key, question["key"])) in existing:
            continue
        question_card(user, quiz, question, CardOrigin.MISSED, exam.submitted_at + FIRST_DUE)
        existing.add((quiz.course_id, question_item(quiz.key, question["key"])))
        made += 1
    db.session.flush()
    return made
