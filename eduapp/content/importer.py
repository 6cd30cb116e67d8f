"""Write loaded course data into the database, idempotently.

Rows are matched by stable keys (course slug, module slug, quiz key, question id, choice id).
Unchanged files write nothing; a changed row is updated in place; a module, quiz or question
that disappeared from the files is retired, never deleted, because learners' progress and
answers point at it. The caller commits once, so a catalogue imports whole or not at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import selectinload

from ..clock import now
from ..extensions import db
from ..figures import store
from ..models import Choice, Course, CourseFigure, Module, Question, Quiz
from .data import CourseData, QuizData


@dataclass
class ImportReport:
    slug: str
    changes: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary(self) -> str:
        if not self.changes:
            return f"{self.slug}: unchanged"
        return f"{self.slug}: " + ", ".join(
            f"{n} {_singular(what) if n == 1 else what}" for what, n in sorted(self.changes.items())
        )


SINGULAR = {"modules": "module", "questions": "question", "quizzes": "quiz", "figures": "figure"}


def _singular(what: str) -> str:
    """``1 modules added`` reads as ``1 module added``."""
    noun, _, rest = what.partition(" ")
    return f"{SINGULAR.get(noun, noun)} {rest}".strip()


def _sync(row: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ, so an unchanged row stays clean (no UPDATE)."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def import_courses(courses: list[CourseData]) -> list[ImportReport]:
    return [import_course(course) for course in courses]


def import_course(data: CourseData) -> ImportReport:
    meta = data.meta
    report = ImportReport(meta.slug)
    values = {
        "title": meta.title,
        "summary": meta.summary,
        "version": meta.version,
        "status": meta.status,
        "ce_hours": meta.ce_hours,
        "ce_type": meta.ce_type,
        "ce_categories": list(meta.ce_categories),
        "passing_score": meta.passing_score,
        "objectives": list(meta.objectives),
        "authors": list(meta.authors),
        "reviewed_on": meta.reviewed_on,
        "references": [r.model_dump(mode="json", exclude_none=True) for r in meta.references],
        "approvals": [a.model_dump(mode="json", exclude_none=True) for a in meta.approvals],
        "module_count": len(data.modules),
        "total_minutes": sum(m.minutes for m in data.modules),
        "word_count": data.word_count,
    }
    course = db.session.execute(db.select(Course).filter_by(slug=meta.slug)).scalar_one_or_none()
    if course is None:
        course = Course(slug=meta.slug, **values)
        db.session.add(course)
        db.session.flush()
        report.changes["course created"] += 1
    elif _sync(course, values):
        report.changes["course details updated"] += 1

    _sync_figures(course, data, report)
    modules = _sync_modules(course, data, report)
    _sync_quizzes(course, data, modules, report)
    if report.changed:
        course.updated_at = now()
    return report


def _sync_figures(course: Course, data: CourseData, report: ImportReport) -> None:
    """Store every figure the modules show and map this course's paths to them.

    The mapping is replaced to match the files; figure rows are never deleted, because a
    retired module's HTML (and, later, an older course version) still shows them.
    """
    existing = {
        row.path: row
        for row in db.session.execute(
            db.select(CourseFigure).filter_by(course_id=course.id)
        ).scalars()
    }
    for path, figure in data.figures.items():
        stored = store(figure.data, filename=path)
        row = existing.pop(path, None)
        if row is None:
            db.session.add(CourseFigure(course_id=course.id, path=path, sha256=stored.sha256))
            report.changes["figures added"] += 1
        elif row.sha256 != stored.sha256:
            row.sha256 = stored.sha256
            report.changes["figures updated"] += 1
    for row in existing.values():
        db.session.delete(row)
        report.changes["figures removed"] += 1
    db.session.flush()


def _sync_modules(course: Course, data: CourseData, report: ImportReport) -> dict[str, Module]:
    existing = {
        m.slug: m
        for m in db.session.execute(db.select(Module).filter_by(course_id=course.id)).scalars()
    }
    for module in data.modules:
        values = {
            "position": module.position,
            "title": module.title,
            "minutes": module.minutes,
            "objectives": module.objectives,
            "body_html": module.body_html,
            "word_count": module.word_count,
            "cited": module.cited,
            "retired": False,
        }
        row = existing.get(module.slug)
        if row is None:
            row = Module(course_id=course.id, slug=module.slug, **values)
            db.session.add(row)
            existing[module.slug] = row
            report.changes["modules added"] += 1
        elif _sync(row, values):
            report.changes["modules updated"] += 1
    kept = {m.slug for m in data.modules}
    for slug, row in existing.items():
        if slug not in kept and not row.retired:
            row.retired = True
            report.changes["modules retired"] += 1
    db.session.flush()
    return existing


def _sync_quizzes(
    course: Course, data: CourseData, modules: dict[str, Module], report: ImportReport
) -> None:
    existing = {
        q.key: q
        for q in db.session.execute(db.select(Quiz).filter_by(course_id=course.id)).scalars()
    }
    for quiz in data.quizzes:
        values = {
            "module_id": None if quiz.key == "final" else modules[quiz.key].id,
            "name": quiz.name,
            "title": quiz.title,
            "passing_score": quiz.passing_score,
            "max_attempts": quiz.max_attempts,
            **quiz.settings,
            "retired": False,
        }
        row = existing.get(quiz.key)
        if row is None:
            row = Quiz(course_id=course.id, key=quiz.key, **values)
            db.session.add(row)
            db.session.flush()
            report.changes["quizzes added"] += 1
        elif _sync(row, values):
            report.changes["quizzes updated"] += 1
        _sync_questions(row, quiz, report)
    kept = {q.key for q in data.quizzes}
    for key, row in existing.items():
        if key not in kept and not row.retired:
            row.retired = True
            report.changes["quizzes retired"] += 1


def _sync_questions(quiz: Quiz, data: QuizData, report: ImportReport) -> None:
    existing = {
        q.key: q
        for q in db.session.execute(
            db.select(Question).filter_by(quiz_id=quiz.id).options(selectinload(Question.choices))
        ).scalars()
    }
    for question in data.questions:
        values = {
            "position": question.position,
            "type": question.type,
            "kind": question.kind,
            "prompt_html": question.prompt_html,
            "explanation_html": question.explanation_html,
            "references": question.references,
            "points": question.points,
            "spec": question.spec,
            "source": question.source,
            "retired": False,
        }
        row = existing.get(question.key)
        if row is None:
            row = Question(quiz_id=quiz.id, key=question.key, choices=[], **values)
            db.session.add(row)
            report.changes["questions added"] += 1
            _sync_choices(row, question.choices)
        else:
            changed = _sync(row, values)
            if _sync_choices(row, question.choices) or changed:
                report.changes["questions updated"] += 1
    kept = {q.key for q in data.questions}
    for key, row in existing.items():
        if key not in kept and not row.retired:
            row.retired = True
            report.changes["questions retired"] += 1


def _sync_choices(question: Question, choices: list[Any]) -> bool:
    """Choices belong wholly to their question: attempts keep their own snapshot of them."""
    changed = False
    by_key = {c.key: c for c in question.choices}
    for choice in choices:
        values = {
            "position": choice.position,
            "text_html": choice.text_html,
            "is_correct": choice.is_correct,
            "feedback_html": choice.feedback_html,
            "fraction": choice.fraction,
        }
        row = by_key.pop(choice.key, None)
        if row is None:
            question.choices.append(Choice(key=choice.key, **values))
            changed = True
        else:
            changed |= _sync(row, values)
    for row in by_key.values():
        question.choices.remove(row)
        changed = True
    return changed
