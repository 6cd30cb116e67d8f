"""A course version written back as course files, in the canonical course format.

Canonical means: the layout and key order this module writes, defaults left out, one quiz
file per quiz in YAML (a quiz imported from GIFT or Aiken is written as YAML, its settings in
the quiz file rather than in course.yml). Importing what this writes gives the same version,
and exporting that again gives the same bytes: files and studio are one course. The shipped
courses under ``courses/`` are kept in this format (a test checks it), so an export of a
shipped course that nobody edited in the studio matches its folder byte for byte.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..extensions import db
from ..models import Course, CourseFigure, CourseVersion, Figure, Module, Quiz
from ..quiz.snapshot import live_questions
from .modulebody import reading_minutes
from .quizfiles import WIDTH, YamlDumper, to_yaml
from .quizschema import QuizFile
from .schema import CourseFile, ModuleFrontMatter

FINAL = "final"


class ExportError(Exception):
    """Why this version cannot be written as files, in words for the person exporting."""


class _CourseDumper(YamlDumper):
    """Quiz files' YAML style, plus CE hours written as the number they are (1.5, not '1.5')."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value.normalize(), "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_CourseDumper.add_representer(Decimal, _decimal)


def _yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_CourseDumper, sort_keys=False, allow_unicode=True, width=WIDTH)


def files_of(course: Course, version: CourseVersion) -> dict[str, bytes]:
    """Every file of the version's course folder, by its path inside the folder."""
    modules = list(
        db.session.execute(
            db.select(Module)
            .filter_by(version_id=version.id, retired=False)
            .order_by(Module.position)
        ).scalars()
    )
    files: dict[str, bytes] = {"course.yml": _course_yml(course, version).encode()}
    stems: dict[int, str] = {}
    for number, module in enumerate(modules, start=1):
        stem = f"{number:02d}-{module.slug}"
        stems[module.id] = stem
        files[f"{stem}.md"] = _module_md(module).encode()
    for quiz in db.session.execute(
        db.select(Quiz).filter_by(version_id=version.id, retired=False)
    ).scalars():
        if quiz.key == FINAL:
            stem = FINAL
        elif quiz.module_id in stems:
            stem = stems[quiz.module_id]
        else:
            continue  # the quiz of a module retired before versions: not part of the course
        files[f"{stem}.quiz.yml"] = _quiz_yml(quiz, version).encode()
    for row in db.session.execute(
        db.select(CourseFigure.path, Figure.data)
        .join(Figure, Figure.sha256 == CourseFigure.sha256)
        .where(CourseFigure.version_id == version.id)
    ):
        files[str(PurePosixPath(row.path))] = row.data
    return dict(sorted(files.items()))


def write_folder(course: Course, version: CourseVersion, folder: Path) -> list[str]:
    """Write the version into ``folder``: a new or empty folder, or this course's own folder,
    where files the version no longer has are removed (anything else is refused, so an export
    never deletes files that are not the course's). Returns the paths written."""
    files = files_of(course, version)
    if folder.exists() and any(folder.iterdir()) and not _is_folder_of(folder, course.slug):
        raise ExportError(
            f"{folder} is not empty and is not the folder of {course.slug} (no course.yml with "
            "its slug): choose a new or empty folder, so nothing else in it is replaced"
        )
    folder.mkdir(parents=True, exist_ok=True)
    existing = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in files
    ]
    for stale in existing:
        name = stale.relative_to(folder).as_posix()
        if name != "README.md" and (
            name.endswith((".md", ".quiz.yml", ".quiz.gift", ".quiz.aiken", ".yml"))
            or name.startswith("figures/")
        ):
            stale.unlink()
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return list(files)


def _is_folder_of(folder: Path, slug: str) -> bool:
    """True when ``folder`` holds this course's files already (its course.yml names the slug):
    only then may an export remove what the version no longer has."""
    try:
        meta = yaml.safe_load((folder / "course.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(meta, dict) and meta.get("slug") == slug


def _course_yml(course: Course, version: CourseVersion) -> str:
    raw = {
        "slug": course.slug,
        "title": version.title,
        "summary": version.summary,
        "version": version.label,
        "status": course.status,
        "ce_hours": version.ce_hours,
        "ce_type": version.ce_type,
        "ce_categories": version.ce_categories,
        "passing_score": version.passing_score,
        "objectives": version.objectives,
        "authors": version.authors,
        "reviewed_on": version.reviewed_on.isoformat() if version.reviewed_on else None,
        "references": version.references,
        "coverage": version.coverage or {},
        "approvals": version.approvals,
    }
    checked = CourseFile.model_validate({k: v for k, v in raw.items() if v is not None})
    data = checked.model_dump(mode="python", exclude_defaults=True, exclude_none=True)
    data.pop("format", None)
    data["ce_hours"] = checked.ce_hours  # always written: a reader looks for it
    ordered = {"format": 1, **{k: data[k] for k in raw if k in data}}
    return _yaml(ordered)


def _module_md(module: Module) -> str:
    if module.source is None:
        raise ExportError(
            f"module {module.slug!r} was carried over from before versions and has no Markdown "
            "source: import the course's files once (flask courses import), then export"
        )
    front: dict[str, Any] = {"title": module.title}
    if module.objectives:
        front["objectives"] = list(module.objectives)
    if module.minutes != reading_minutes(module.word_count):
        front["minutes"] = module.minutes
    ModuleFrontMatter.model_validate(front)
    body = module.source.replace("\r\n", "\n")
    return "---\n" + _yaml(front) + "---\n" + body + ("" if body.endswith("\n") else "\n")


def _quiz_yml(quiz: Quiz, version: CourseVersion) -> str:
    questions = live_questions(quiz)
    missing = [q.key for q in questions if not q.source]
    if missing:
        raise ExportError(
            f"quiz {quiz.key!r}: question {missing[0]!r} has no source as written; import the "
            "course's files once (flask courses import), then export"
        )
    data: dict[str, Any] = {
        **quiz_settings(quiz),
        # The course's passing score is the quiz's unless its file says otherwise.
        "passing_score": None
        if quiz.passing_score == version.passing_score
        else quiz.passing_score,
        "questions": [q.source for q in questions],
    }
    return to_yaml(QuizFile.model_validate({k: v for k, v in data.items() if v is not None}))


def quiz_settings(quiz: Quiz) -> dict[str, Any]:
    """A stored quiz's settings as its file names them (None: not set), for the course's
    export and ``flask quiz export`` alike, so a setting added to quizzes is written by both."""
    wait = Decimal(quiz.wait_minutes or 0) / 60
    return {
        "title": quiz.title,
        "passing_score": quiz.passing_score,
        "max_attempts": quiz.max_attempts,
        "grading_method": quiz.grading_method,
        "review": quiz.review,
        "draw": quiz.draw,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "wait_hours": int(wait) if wait == int(wait) else float(wait),
        "time_limit": quiz.time_limit_minutes,
    }
