"""What a published course version teaches (its settings, modules and quizzes), loaded once
per process and shared by every learner's pages.

A published version never changes: an import or a publish makes a new version, and the
course row's ``current_version_id`` (read on every request) moves to it, so a publish is
seen on the next request without telling any cache. A learner's own rows (enrolment,
progress, attempts) are never kept here; the course and module pages load them per request,
which is why their statement counts are the same for one course or hundreds, one learner or
thousands. Drafts change while authors edit them, so they are loaded each time, never kept.

The copies are :class:`Frozen` rows: the columns of the ORM row as plain attributes, the
model's read-only properties, and nothing else. They belong to no database session, so no
request can lazy-load through them, expire them, or add them to a transaction by accident.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar, cast

from markupsafe import Markup
from sqlalchemy import inspect
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CourseVersion, Module, Question, Quiz

T = TypeVar("T")
QUESTIONS = "questions"  # the key of a kept version's question shapes

# Versions kept per process. A version of a large course is a few hundred kilobytes of
# module HTML; the catalogue's current versions plus the older ones learners still take
# fit many times over.
CAPACITY = 512


class Frozen:
    """A read-only copy of an ORM row's columns, with the model's properties.

    Each model's copy class has a slot per column (:func:`_frozen`), so reading an attribute
    is Python's fastest path: the pages read a few hundred of them per request."""

    __slots__ = ()
    model: type[Any] = object
    columns: tuple[str, ...] = ()

    def __init__(self, row: Any) -> None:
        for key in self.columns:
            object.__setattr__(self, key, getattr(row, key))

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is shared by every request: read only")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, key) for key in self.columns)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._key() == self._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.id))  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"  # type: ignore[attr-defined]


def _frozen(model: type[Any]) -> type[Frozen]:
    """A Frozen class for ``model``: a slot per column, and its plain properties
    (``is_final``...)."""
    properties = {k: v for k, v in vars(model).items() if isinstance(v, property)}
    columns = tuple(c.key for c in inspect(model).column_attrs)
    namespace = {"__slots__": columns, "model": model, "columns": columns, **properties}
    return type(f"Frozen{model.__name__}", (Frozen,), namespace)


FrozenVersion = _frozen(CourseVersion)
FrozenModule = _frozen(Module)
FrozenQuiz = _frozen(Quiz)


@dataclass(frozen=True)
class VersionContent:
    """A version's settings, its modules in order and its quizzes (by module id; the final
    under None): what every learner taking this version shares."""

    version: Any  # FrozenVersion
    modules: tuple[Any, ...]  # FrozenModule, in order
    quizzes: Mapping[int | None, Any]  # FrozenQuiz
    # What pages make of this version's content alone (:func:`remembered`).
    parts: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def module_ids(self) -> list[int]:
        return [m.id for m in self.modules]


_kept: OrderedDict[int, VersionContent] = OrderedDict()
_lock = threading.Lock()


def _load(version_ids: list[int]) -> dict[int, tuple[VersionContent, bool]]:
    """Read versions from the database, three statements for any number of them; says of
    each whether it is published (and so may be kept)."""
    versions = db.session.execute(
        db.select(CourseVersion).where(CourseVersion.id.in_(version_ids))
    ).scalars()
    modules: dict[int, list[Any]] = {v: [] for v in version_ids}
    for module in db.session.execute(
        db.select(Module)
        .where(Module.version_id.in_(version_ids), Module.retired.is_(False))
        .order_by(Module.version_id, Module.position)
    ).scalars():
        modules[module.version_id].append(FrozenModule(module))
    quizzes: dict[int, dict[int | None, Any]] = {v: {} for v in version_ids}
    for quiz in db.session.execute(
        db.select(Quiz).where(Quiz.version_id.in_(version_ids), Quiz.retired.is_(False))
    ).scalars():
        quizzes[quiz.version_id][None if quiz.is_final else quiz.module_id] = FrozenQuiz(quiz)
    return {
        v.id: (
            VersionContent(FrozenVersion(v), tuple(modules[v.id]), quizzes[v.id]),
            v.published_at is not None,
        )
        for v in versions
    }


def version_contents(version_ids: Iterable[int]) -> dict[int, VersionContent]:
    """The versions' content, by id: from this process's memory after a version's first
    request; those not yet kept are read together (:func:`_load`)."""
    wanted = list(dict.fromkeys(version_ids))
    found: dict[int, VersionContent] = {}
    with _lock:
        for version_id in wanted:
            content = _kept.get(version_id)
            if content is not None:
                _kept.move_to_end(version_id)
                found[version_id] = content
    missing = [v for v in wanted if v not in found]
    if not missing:
        return found
    loaded = _load(missing)
    with _lock:
        for version_id, (content, published) in loaded.items():
            found[version_id] = content
            if published:
                _kept[version_id] = content
        while len(_kept) > CAPACITY:
            _kept.popitem(last=False)
    return found


def version_content(version_id: int) -> VersionContent:
    """One version's content (:func:`version_contents`)."""
    return version_contents([version_id])[version_id]


def remembered(version_id: int, key: str, compute: Callable[[], T]) -> T:
    """What ``compute`` makes of the version's own content alone (a rendered part of a page,
    the links to its modules), computed once per kept version and process. ``compute`` must
    read nothing but the version: no learner, no request. A draft's are computed each time."""
    with _lock:
        content = _kept.get(version_id)
    if content is None:
        return compute()
    if key not in content.parts:
        content.parts[key] = compute()
    return cast(T, content.parts[key])


def rendered(version_id: int, key: str, render: Callable[[], str]) -> Markup:
    """A part of a page made from the version's content alone (see :func:`remembered`)."""
    return remembered(version_id, key, lambda: Markup(render()))


@dataclass(frozen=True)
class QuestionShape:
    """One question of a version as attempts and review cards show it: its snapshot (the
    shape ``quiz.snapshot`` freezes; an ordering question's items in one fixed shuffle) and
    that snapshot's content hash."""

    question_id: int
    module_id: int | None
    snapshot: Mapping[str, Any]
    digest: str


def question_shapes(version_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], QuestionShape]]:
    """Each version's live questions by (quiz key, question key): kept with the version
    after the first request, the missing ones read in one statement (and their choices in
    another) for any number of versions."""
    from ..quiz.snapshot import question_snapshot  # the quiz package builds on this one
    from ..review.content import question_hash

    wanted = list(dict.fromkeys(version_ids))
    contents = version_contents(wanted)
    found = {v: contents[v].parts.get(QUESTIONS) for v in wanted}
    missing = [v for v, shapes in found.items() if shapes is None]
    if missing:
        loaded: dict[int, dict[tuple[str, str], QuestionShape]] = {v: {} for v in missing}
        for question, quiz_key, version_id, module_id in db.session.execute(
            db.select(Question, Quiz.key, Quiz.version_id, Quiz.module_id)
            .join(Quiz, Quiz.id == Question.quiz_id)
            .where(Quiz.version_id.in_(missing), Question.retired.is_(False))
            .options(selectinload(Question.choices))
        ):
            snapshot = question_snapshot(question)
            loaded[version_id][(quiz_key, question.key)] = QuestionShape(
                question.id, module_id, snapshot, question_hash(snapshot)
            )
        with _lock:
            for version_id, shapes in loaded.items():
                found[version_id] = shapes
                if version_id in _kept:
                    _kept[version_id].parts[QUESTIONS] = shapes
    return {v: shapes or {} for v, shapes in found.items()}


def forget_all() -> None:
    """Empty the cache: for tests that rebuild the database under the same ids."""
    with _lock:
        _kept.clear()
