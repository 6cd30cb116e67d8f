"""A draft's rows as a whole: copied from a published version when the draft starts (or is
brought up to date), deleted when it is discarded. Split from ``drafts``, which edits them."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from ..content import versions
from ..extensions import db
from ..models import Choice, CourseFigure, CourseVersion, Module, Question, Quiz


class NotADraft(Exception):
    """A published version's rows are never replaced: learners' records point at them."""


def copy_content(source: CourseVersion, target: CourseVersion) -> None:
    """Copy a version's modules, quizzes, questions, choices and figure paths into another,
    with its coverage map (kept for export; the studio does not edit it)."""
    target.coverage = source.coverage
    for row in db.session.execute(
        db.select(CourseFigure).filter_by(version_id=source.id)
    ).scalars():
        db.session.add(CourseFigure(version_id=target.id, path=row.path, sha256=row.sha256))
    new_module_ids: dict[int, int] = {}
    for module in db.session.execute(
        db.select(Module).filter_by(version_id=source.id, retired=False).order_by(Module.position)
    ).scalars():
        copy = Module(
            course_id=module.course_id,
            version_id=target.id,
            **{name: getattr(module, name) for name in _MODULE_COPIED},
        )
        db.session.add(copy)
        db.session.flush()
        new_module_ids[module.id] = copy.id
    quizzes = db.session.execute(
        db.select(Quiz).filter_by(version_id=source.id, retired=False)
    ).scalars()
    for quiz in quizzes:
        if quiz.module_id is not None and quiz.module_id not in new_module_ids:
            continue  # the quiz of a module retired before versions
        quiz_copy = Quiz(
            course_id=quiz.course_id,
            version_id=target.id,
            key=quiz.key,
            module_id=new_module_ids.get(quiz.module_id) if quiz.module_id else None,
            **{name: getattr(quiz, name) for name in versions.QUIZ_FIELDS},
        )
        db.session.add(quiz_copy)
        db.session.flush()
        for question in db.session.execute(
            db.select(Question)
            .filter_by(quiz_id=quiz.id, retired=False)
            .options(selectinload(Question.choices))
        ).scalars():
            db.session.add(
                Question(
                    quiz_id=quiz_copy.id,
                    key=question.key,
                    choices=[
                        Choice(**{n: getattr(c, n) for n in versions.CHOICE_FIELDS})
                        for c in question.choices
                    ],
                    **{n: getattr(question, n) for n in _QUESTION_COPIED},
                )
            )
    db.session.flush()


_MODULE_COPIED = (
    "slug",
    "position",
    "title",
    "minutes",
    "objectives",
    "body_html",
    "source",
    "content_hash",
    "word_count",
    "cited",
)
_QUESTION_COPIED = tuple(n for n in versions.QUESTION_FIELDS if n != "choices")


def clear_content(draft: CourseVersion) -> None:
    """Delete a draft's modules, quizzes, questions, choices and figure paths (never a
    published version's: learners' records point at those)."""
    if not draft.is_draft:
        raise NotADraft(f"version {draft.number} is published")
    quiz_ids = _ids(Quiz, draft)
    question_ids = db.select(Question.id).where(Question.quiz_id.in_(quiz_ids))
    db.session.execute(db.delete(Choice).where(Choice.question_id.in_(question_ids)))
    db.session.execute(db.delete(Question).where(Question.quiz_id.in_(quiz_ids)))
    db.session.execute(db.delete(Quiz).where(Quiz.version_id == draft.id))
    db.session.execute(db.delete(Module).where(Module.version_id == draft.id))
    db.session.execute(db.delete(CourseFigure).where(CourseFigure.version_id == draft.id))
    db.session.flush()


def _ids(model: type[Quiz], draft: CourseVersion) -> object:
    return db.select(model.id).where(model.version_id == draft.id)
