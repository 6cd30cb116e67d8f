"""What changed between two versions of a course, as an instructor reads it: settings with
their old and new values, each module's text as a word-level diff, questions added, changed
and retired (with which parts changed), quiz settings, and figures.

Versions own their rows (see docs/design-versions.md), so comparing two is comparing two sets
of rows matched by their stable keys: module slug, quiz key, question key, figure path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import selectinload

from ..content.lint.items import plain
from ..extensions import db
from ..models import SETTINGS, CourseFigure, CourseVersion, Module, Question, Quiz
from . import textdiff
from .settings_errors import LABELS

DERIVED = ("module_count", "total_minutes", "word_count")
QUIZ_LABELS = {
    "title": "Title",
    "name": "Name",
    "passing_score": "Passing score",
    "max_attempts": "Attempts allowed",
    "grading_method": "Grading method",
    "review": "When answers are shown",
    "draw": "Questions drawn per attempt",
    "shuffle_questions": "Shuffle questions",
    "shuffle_choices": "Shuffle choices",
    "wait_minutes": "Wait between attempts (minutes)",
    "time_limit_minutes": "Time limit (minutes)",
}
QUESTION_PARTS = {
    "prompt_html": "question text",
    "type": "question type",
    "kind": "question kind",
    "explanation_html": "explanation",
    "references": "references",
    "points": "points",
    "spec": "answer rules",
    "position": "position",
}


@dataclass
class ValueChange:
    """A setting: what was taken out and what was put in (list settings item by item)."""

    label: str
    removed: list[str]
    added: list[str]


@dataclass
class ModuleChange:
    slug: str
    title: str
    status: str  # "added", "removed" or "changed"
    old_title: str | None = None  # when the title changed
    hunks: list[textdiff.Hunk] = field(default_factory=list)
    folded_after: int = 0
    objectives: ValueChange | None = None
    quiz_changed: bool = False  # nothing else differs: the change is in its quiz


@dataclass
class QuestionChange:
    quiz: str
    key: str
    status: str  # "added", "changed" or "retired"
    prompt: str
    parts: list[str] = field(default_factory=list)  # what changed, in words


@dataclass
class Comparison:
    older: CourseVersion
    newer: CourseVersion
    settings: list[ValueChange] = field(default_factory=list)
    modules: list[ModuleChange] = field(default_factory=list)
    unchanged_modules: int = 0
    reordered: bool = False
    questions: list[QuestionChange] = field(default_factory=list)
    quiz_settings: list[ValueChange] = field(default_factory=list)
    figures: list[ValueChange] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (
            self.settings
            or self.modules
            or self.reordered
            or self.questions
            or self.quiz_settings
            or self.figures
        )


def compare(older: CourseVersion, newer: CourseVersion) -> Comparison:
    """Everything that differs from ``older`` to ``newer`` (of the same course)."""
    result = Comparison(older, newer)
    for name in SETTINGS:
        if name in DERIVED:
            continue
        before, after = _items(getattr(older, name)), _items(getattr(newer, name))
        if before != after:
            result.settings.append(_value_change(LABELS.get(name, name), before, after))
    _modules(result)
    _quizzes(result)
    _figures(result)
    return result


def _modules(result: Comparison) -> None:
    old = {m.slug: m for m in _rows(Module, result.older)}
    new = {m.slug: m for m in _rows(Module, result.newer)}
    for slug, module in sorted(new.items(), key=lambda pair: pair[1].position):
        before = old.get(slug)
        if before is None:
            text = _text(module)
            result.modules.append(
                ModuleChange(slug, module.title, "added", hunks=textdiff.compare("", text))
            )
            continue
        if before.content_hash == module.content_hash and before.content_hash is not None:
            result.unchanged_modules += 1
            continue
        old_text, new_text = _text(before), _text(module)
        hunks = textdiff.compare(old_text, new_text)
        change = ModuleChange(
            slug,
            module.title,
            "changed",
            old_title=before.title if before.title != module.title else None,
            hunks=hunks,
            folded_after=textdiff.skipped_after(hunks, old_text),
        )
        if before.objectives != module.objectives:
            change.objectives = _value_change(
                "Objectives", _items(before.objectives), _items(module.objectives)
            )
        change.quiz_changed = not (hunks or change.old_title or change.objectives)
        result.modules.append(change)
    for slug, module in sorted(old.items(), key=lambda pair: pair[1].position):
        if slug not in new:
            result.modules.append(ModuleChange(slug, module.title, "removed"))
    kept = [s for s in sorted(new, key=lambda s: new[s].position) if s in old]
    result.reordered = kept != [s for s in sorted(old, key=lambda s: old[s].position) if s in new]


def _quizzes(result: Comparison) -> None:
    old = {q.key: q for q in _rows(Quiz, result.older)}
    new = {q.key: q for q in _rows(Quiz, result.newer)}
    questions = _questions([q.id for q in old.values()] + [q.id for q in new.values()])
    for key, quiz in new.items():
        before = old.get(key)
        name = quiz.title or quiz.name or key
        if before is not None:
            for attribute, label in QUIZ_LABELS.items():
                was, now = getattr(before, attribute), getattr(quiz, attribute)
                if was != now:
                    result.quiz_settings.append(
                        ValueChange(f"{name}: {label}", _items(was), _items(now))
                    )
        mine = questions.get(quiz.id, {})
        theirs = questions.get(before.id, {}) if before is not None else {}
        for qkey, question in sorted(mine.items(), key=lambda pair: pair[1].position):
            was_q = theirs.get(qkey)
            if was_q is None:
                result.questions.append(
                    QuestionChange(name, qkey, "added", plain(question.prompt_html))
                )
                continue
            parts = _question_parts(was_q, question)
            if parts:
                result.questions.append(
                    QuestionChange(name, qkey, "changed", plain(question.prompt_html), parts)
                )
        for qkey, question in theirs.items():
            if qkey not in mine:
                result.questions.append(
                    QuestionChange(name, qkey, "retired", plain(question.prompt_html))
                )
    for key, quiz in old.items():
        if key not in new:
            for qkey, question in questions.get(quiz.id, {}).items():
                result.questions.append(
                    QuestionChange(quiz.title or key, qkey, "retired", plain(question.prompt_html))
                )


def _question_parts(old: Question, new: Question) -> list[str]:
    parts = [
        label for name, label in QUESTION_PARTS.items() if getattr(old, name) != getattr(new, name)
    ]
    before = {c.key: c for c in old.choices}
    after = {c.key: c for c in new.choices}
    if set(before) != set(after) or any(
        before[k].text_html != after[k].text_html for k in after if k in before
    ):
        parts.append("choices")
    if any(
        (before[k].is_correct, before[k].fraction) != (after[k].is_correct, after[k].fraction)
        for k in after
        if k in before
    ):
        parts.append("answer key")
    if any(before[k].feedback_html != after[k].feedback_html for k in after if k in before):
        parts.append("choice feedback")
    if parts == ["position"]:
        return []  # moved only: the order shows on the quiz, not as a change to read
    return [p for p in parts if p != "position"]


def _figures(result: Comparison) -> None:
    def mapping(version: CourseVersion) -> dict[str, str]:
        return {
            row.path: row.sha256
            for row in db.session.execute(
                db.select(CourseFigure).filter_by(version_id=version.id)
            ).scalars()
        }

    old, new = mapping(result.older), mapping(result.newer)
    added = sorted(p for p in new if p not in old)
    removed = sorted(p for p in old if p not in new)
    replaced = sorted(p for p in new if p in old and old[p] != new[p])
    if added or removed:
        result.figures.append(ValueChange("Figures", removed, added))
    if replaced:
        result.figures.append(ValueChange("Figures with a new picture", [], replaced))


def _rows(model: type[Module] | type[Quiz], version: CourseVersion) -> list[Any]:
    return list(
        db.session.execute(
            db.select(model).filter_by(version_id=version.id, retired=False)
        ).scalars()
    )


def _questions(quiz_ids: list[int]) -> dict[int, dict[str, Question]]:
    found: dict[int, dict[str, Question]] = {}
    for row in db.session.execute(
        db.select(Question)
        .where(Question.quiz_id.in_(quiz_ids), Question.retired.is_(False))
        .options(selectinload(Question.choices))
    ).scalars():
        found.setdefault(row.quiz_id, {})[row.key] = row
    return found


def _text(module: Module) -> str:
    """A module's Markdown; a module carried over from before versions has only its HTML."""
    if module.source is not None:
        return module.source
    return plain(module.body_html)


def _value_change(label: str, before: list[str], after: list[str]) -> ValueChange:
    if len(before) <= 1 and len(after) <= 1:
        return ValueChange(label, before, after)
    return ValueChange(
        label, [i for i in before if i not in after], [i for i in after if i not in before]
    )


def _items(value: Any) -> list[str]:
    """A setting's value as lines a person reads (a list setting: one line per item)."""
    if value is None or value == [] or value == "":
        return []
    if isinstance(value, list):
        return [_item(v) for v in value]
    return [_item(value)]


def _item(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        if "citation" in value:
            link = value.get("doi") or value.get("url") or ""
            return f"[{value.get('id')}] {value.get('citation')}" + (f" ({link})" if link else "")
        shown = [f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if v not in (None, "")]
        return "; ".join(shown)
    return str(value)
