"""Course versions from loaded course data: their content hash, their rows, and the diff.

One scheme for all of them: a version's modules, quizzes, questions, choices and figure paths
are rows that belong to it (``version_id``), written once and never updated after it is
published. Two versions share nothing but the course and the stored figure bytes, so a
learner's progress and answers always point at exactly what they were shown.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from ..clock import now
from ..extensions import db
from ..figures import store
from ..models import (
    SETTINGS,
    Choice,
    Course,
    CourseFigure,
    CourseVersion,
    Module,
    Question,
    Quiz,
)
from .data import CourseData, ModuleData, QuestionData, QuizData
from .lint import as_records, lint_course

QUIZ_FIELDS = (
    "name",
    "title",
    "passing_score",
    "max_attempts",
    "grading_method",
    "review",
    "draw",
    "shuffle_questions",
    "shuffle_choices",
    "wait_minutes",
    "time_limit_minutes",
)
QUESTION_FIELDS = (
    "position",
    "type",
    "kind",
    "prompt_html",
    "explanation_html",
    "references",
    "points",
    "spec",
    "source",
    "choices",
)
CHOICE_FIELDS = ("key", "position", "text_html", "is_correct", "feedback_html", "fraction")
# Loader bookkeeping that says where content came from, not what it is.
_NOT_CONTENT = {"file", "line", "warnings", "folder"}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k not in _NOT_CONTENT}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _digest(value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def settings_of(data: CourseData) -> dict[str, Any]:
    """The version settings a course file declares, in the shape the version rows keep."""
    meta = data.meta
    return {
        "title": meta.title,
        "summary": meta.summary,
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


def content_hash(data: CourseData) -> str:
    """What the course teaches and asks, hashed: equal hashes mean an import has nothing to do.

    It covers the settings, every module's Markdown and rendered HTML, every quiz and question,
    and the figures by their bytes' hash; not the folder path (another clone is the same course)
    nor the catalogue status, which is the course's, not a version's.
    """
    return _digest(
        {
            "label": data.meta.version,
            "settings": settings_of(data),
            "modules": [asdict(m) for m in data.modules],
            "quizzes": [asdict(q) for q in data.quizzes],
            "figures": {
                path: hashlib.sha256(f.data).hexdigest() for path, f in data.figures.items()
            },
        }
    )


def module_hash(module: ModuleData, quiz: QuizData | None) -> str:
    """What a learner meets in one module, from loaded files (see ``module_content_hash``)."""
    return module_content_hash(
        module.title,
        module.objectives,
        module.body_html,
        quiz_values(quiz) if quiz is not None else None,
        [{"key": q.key, **question_values(q)} for q in quiz.questions] if quiz else [],
    )


def module_content_hash(
    title: str,
    objectives: list[str],
    body_html: str,
    quiz: dict[str, Any] | None,
    questions: list[dict[str, Any]],
) -> str:
    """What a learner meets in one module: its title, objectives, text and quiz. A learner who
    completed a module with this hash in one version has completed it in another. Import and
    the studio both call this, the studio with values read from rows, so the two agree."""
    return _digest(
        {
            "title": title,
            "objectives": objectives,
            "body_html": body_html,
            "quiz": quiz,
            "questions": questions,
        }
    )


def row_module_hash(module: Module, quiz: Quiz | None, questions: list[Question]) -> str:
    """``module_content_hash`` of a module as its rows hold it (questions with choices loaded)."""
    return module_content_hash(
        module.title,
        module.objectives,
        module.body_html,
        {name: getattr(quiz, name) for name in QUIZ_FIELDS} if quiz is not None else None,
        [
            {"key": q.key, **question_row_values(q, dict.fromkeys(QUESTION_FIELDS))}
            for q in sorted(questions, key=lambda q: q.position)
        ],
    )


def module_values(module: ModuleData) -> dict[str, Any]:
    return {
        "position": module.position,
        "title": module.title,
        "minutes": module.minutes,
        "objectives": module.objectives,
        "body_html": module.body_html,
        "word_count": module.word_count,
        "cited": module.cited,
    }


def quiz_values(quiz: QuizData) -> dict[str, Any]:
    values = {
        "name": quiz.name,
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "max_attempts": quiz.max_attempts,
        **quiz.settings,
    }
    assert tuple(values) == QUIZ_FIELDS, "QUIZ_FIELDS must name every quiz setting"
    return values


def question_values(question: QuestionData) -> dict[str, Any]:
    return {
        "position": question.position,
        "type": question.type,
        "kind": question.kind,
        "prompt_html": question.prompt_html,
        "explanation_html": question.explanation_html,
        "references": question.references,
        "points": question.points,
        "spec": question.spec,
        "source": question.source,
        "choices": [{name: getattr(c, name) for name in CHOICE_FIELDS} for c in question.choices],
    }


def row_values(row: Any, like: dict[str, Any]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in like}


def write_version(
    course: Course, data: CourseData, *, number: int | None, source: str, digest: str
) -> CourseVersion:
    """A new version of ``course`` holding exactly ``data``: new rows for everything in it."""
    stamp = now()
    version = CourseVersion(
        course_id=course.id,
        number=number,
        label=data.meta.version,
        source=source,
        content_hash=digest,
        created_at=stamp,
        updated_at=stamp,
        published_at=stamp if number is not None else None,
        **settings_of(data),
    )
    version.lint = lint_record(data)
    version.coverage = coverage_of(data)
    db.session.add(version)
    db.session.flush()
    for path, figure in data.figures.items():
        stored = store(figure.data, filename=path)
        db.session.add(CourseFigure(version_id=version.id, path=path, sha256=stored.sha256))
    quizzes = {q.key: q for q in data.quizzes}
    modules: dict[str, Module] = {}
    for module in data.modules:
        row = Module(
            course_id=course.id,
            version_id=version.id,
            slug=module.slug,
            source=module.source,
            content_hash=module_hash(module, quizzes.get(module.slug)),
            **module_values(module),
        )
        db.session.add(row)
        modules[module.slug] = row
    db.session.flush()
    for quiz in data.quizzes:
        quiz_row = Quiz(
            course_id=course.id,
            version_id=version.id,
            key=quiz.key,
            module_id=None if quiz.key == "final" else modules[quiz.key].id,
            **quiz_values(quiz),
        )
        db.session.add(quiz_row)
        db.session.flush()
        for question in quiz.questions:
            values = question_values(question)
            choices = [Choice(**c) for c in values.pop("choices")]
            db.session.add(
                Question(quiz_id=quiz_row.id, key=question.key, choices=choices, **values)
            )
    db.session.flush()
    return version


def coverage_of(data: CourseData) -> dict[str, Any]:
    """course.yml's coverage map as a version keeps it (for export; not part of the hash)."""
    return {topic: entry.model_dump(mode="json") for topic, entry in data.meta.coverage.items()}


def lint_record(data: CourseData) -> list[dict[str, Any]]:
    """The item-writing lint's findings on the course's quizzes, as a version keeps them."""
    return as_records(lint_course(data))


def make_current(course: Course, version: CourseVersion) -> None:
    """New enrolments get ``version`` from now on; the catalogue row mirrors its settings."""
    course.current_version_id = version.id
    course.version = version.label
    for name in SETTINGS:
        setattr(course, name, getattr(version, name))
    course.updated_at = now()


def question_row_values(row: Question, like: dict[str, Any]) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in like if name != "choices"}
    values["choices"] = [{name: getattr(c, name) for name in CHOICE_FIELDS} for c in row.choices]
    return values
