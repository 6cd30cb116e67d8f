"""Editing a quiz of the author's draft question by question: add, change, reorder and remove
questions, and change how the quiz is taken.

Every question is saved as a quiz file's question (``QuestionFile``, checked by
``question_form``) and built by the import's ``build_question``, so its texts go through the
same renderer and sanitiser and the draft exports as files an import accepts. A save is
checked against the question the editor loaded: one changed since (another tab) is refused,
never overwritten. No request, no current_user, no commit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import selectinload

from ..content.questions import build_question
from ..content.quizschema import QuestionFile, QuizSettings
from ..content.versions import question_values
from ..extensions import db
from ..models import Choice, CourseVersion, Module, Question, Quiz
from ..quiz.snapshot import live_questions
from . import drafts
from .quizupload import new_quiz, target_quiz


class QuestionChanged(drafts.DraftError):
    """The question was saved elsewhere after the editor loaded it."""

    def __str__(self) -> str:
        return (
            "This question was saved somewhere else (another tab or device) after you opened "
            "it. Open it again to see the saved version, then redo your change."
        )


def questions_of(quiz: Quiz | None) -> list[Question]:
    """A draft quiz's questions in their order, with their choices."""
    return [] if quiz is None else live_questions(quiz)


def question_of(quiz: Quiz | None, key: str) -> Question | None:
    if quiz is None:
        return None
    return db.session.execute(
        db.select(Question)
        .filter_by(quiz_id=quiz.id, key=key, retired=False)
        .options(selectinload(Question.choices))
    ).scalar_one_or_none()


def state_hash(question: Question | None) -> str:
    """What the editor sends back with a save: the hash of the question it started from."""
    source = question.source if question is not None else None
    return hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()


def save_question(
    draft: CourseVersion, key: str, written: QuestionFile, *, existing: str | None, based_on: str
) -> Question:
    """Save ``written`` into the draft's quiz ``key`` (a module's slug or ``final``): as a new
    question at the end (``existing`` None), or over the question with id ``existing``."""
    module, quiz = _quiz(draft, key)
    row = question_of(quiz, existing) if existing is not None else None
    if existing is not None and row is None:
        raise QuestionChanged()
    if state_hash(row) != based_on:
        raise QuestionChanged()
    if quiz is None:
        quiz = new_quiz(draft, module, key)
    rows = questions_of(quiz)
    if row is None and any(q.key == written.id for q in rows):
        raise drafts.DraftError(f"Another question in this quiz has the id {written.id!r}.")
    position = row.position if row is not None else (rows[-1].position + 1 if rows else 0)
    built = build_question(written, position, position + 1)
    values = question_values(built)
    choices = [Choice(**c) for c in values.pop("choices")]
    if row is None:
        db.session.add(Question(quiz_id=quiz.id, key=written.id, choices=choices, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.choices.clear()  # deleted first: a new choice may reuse an old one's key
        db.session.flush()
        row.choices.extend(choices)
    db.session.flush()
    _changed(draft, module)
    return (
        row
        or db.session.execute(
            db.select(Question).filter_by(quiz_id=quiz.id, key=written.id)
        ).scalar_one()
    )


def move_question(draft: CourseVersion, key: str, question_key: str, direction: int) -> None:
    """Swap a question with its neighbour (-1 earlier, +1 later); at either end, nothing."""
    module, quiz = _quiz(draft, key)
    ordered = questions_of(quiz)
    index = next((i for i, q in enumerate(ordered) if q.key == question_key), None)
    if index is None:
        raise LookupError(question_key)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered):
        row.position = position
    _changed(draft, module)


def remove_question(draft: CourseVersion, key: str, question_key: str) -> bool:
    """Take a question out of the draft's quiz; True if that left the quiz empty, which is
    then removed too (a quiz file needs a question). Published versions keep theirs."""
    module, quiz = _quiz(draft, key)
    row = question_of(quiz, question_key)
    if row is None or quiz is None:
        raise LookupError(question_key)
    db.session.delete(row)
    db.session.flush()
    remaining = questions_of(quiz)
    for position, other in enumerate(remaining):
        other.position = position
    emptied = not remaining
    if emptied:
        db.session.expunge(quiz)
        db.session.execute(db.delete(Quiz).where(Quiz.id == quiz.id))
    _changed(draft, module)
    return emptied


def save_settings(draft: CourseVersion, key: str, settings: QuizSettings) -> Quiz:
    """How the quiz is taken, from the quiz file's settings model (the files' rules)."""
    module, quiz = _quiz(draft, key)
    if quiz is None:
        raise LookupError(key)
    asked = sum(q.type != "description" for q in questions_of(quiz))
    if settings.draw is not None and settings.draw > asked:
        raise drafts.DraftError(
            f"Draw at most {asked}: the quiz has {asked} question{'s' * (asked != 1)} to draw from."
        )
    for name, value in settings_values(settings, draft).items():
        setattr(quiz, name, value)
    _changed(draft, module)
    return quiz


def settings_values(settings: QuizSettings, draft: CourseVersion) -> dict[str, Any]:
    """Quiz columns from the settings model, as the loader sets them from a quiz file."""
    return {
        "title": settings.title,
        "passing_score": settings.passing_score or draft.passing_score,
        "max_attempts": settings.max_attempts,
        "grading_method": settings.grading_method,
        "review": settings.review,
        "draw": settings.draw,
        "shuffle_questions": settings.shuffle_questions,
        "shuffle_choices": settings.shuffle_choices,
        "wait_minutes": round(settings.wait_hours * 60),
        "time_limit_minutes": settings.time_limit,
    }


def _quiz(draft: CourseVersion, key: str) -> tuple[Module | None, Quiz | None]:
    if not draft.is_draft:
        raise drafts.DraftError("Only a draft's questions can be edited.")
    return target_quiz(draft, key)


def _changed(draft: CourseVersion, module: Module | None) -> None:
    if module is not None:
        drafts.rehash(module)
    drafts.touch(draft)
