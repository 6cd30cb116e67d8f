"""An author's draft of a course: a private copy of the newest version that they edit, then
publish as the next version (``studio.publishing``).

A draft is a ``course_versions`` row with no number, at most one per author and course; it
starts as a copy of the published version it is based on, so an author changes exactly what
they mean to and everything else stays as learners know it. Saves are checked against what
the editor started from: a save over text that changed since (another tab, another device) is
refused with both texts, never silently overwritten. No request, no current_user, no commit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..clock import now
from ..content import versions
from ..extensions import db
from ..models import (
    SETTINGS,
    Course,
    CourseVersion,
    Module,
    Question,
    Quiz,
    User,
    VersionSource,
)
from .draftrows import clear_content, copy_content
from .preview import Preview, preview_for_version

SLUG = re.compile(r"[^a-z0-9]+")


class DraftError(Exception):
    """A change the rules refuse, in words for the author."""


@dataclass
class Conflict(DraftError):
    """The text changed since the editor loaded it: both versions, for the author to choose."""

    title: str  # the saved title ("theirs")
    mine: str
    theirs: str
    mine_title: str = ""

    def __str__(self) -> str:
        return (
            f"“{self.title}” was saved somewhere else (another tab or device) after you opened "
            "it. Both texts are below: keep yours, or take the saved one and redo your change."
        )


def text_hash(text: str | None, title: str) -> str:
    """What the editor sends back with a save: the hash of the title and text it started from.

    The title is in it because the editor saves both: a title changed in another tab would
    otherwise be silently put back by this tab's next save of the text."""
    state = title.strip() + "\n\0\n" + (text or "").replace("\r\n", "\n")
    return hashlib.sha256(state.encode()).hexdigest()


def draft_of(course: Course, author: User) -> CourseVersion | None:
    return db.session.execute(
        db.select(CourseVersion).where(
            CourseVersion.course_id == course.id,
            CourseVersion.author_id == author.id,
            CourseVersion.published_at.is_(None),
        )
    ).scalar_one_or_none()


def open_draft(course: Course, author: User) -> CourseVersion:
    """The author's draft of the course, started from its newest version if they have none
    (from the course's own settings and no modules, for a course not yet published)."""
    existing = draft_of(course, author)
    if existing is not None:
        return existing
    base = (
        db.session.get_one(CourseVersion, course.current_version_id)
        if course.current_version_id is not None
        else None
    )
    stamp = now()
    draft = CourseVersion(
        course_id=course.id,
        number=None,
        label=base.label if base is not None else course.version,
        source=VersionSource.STUDIO,
        author_id=author.id,
        base_id=base.id if base is not None else None,
        created_at=stamp,
        updated_at=stamp,
        lint=base.lint if base is not None else [],
        **{name: getattr(base if base is not None else course, name) for name in SETTINGS},
    )
    try:
        with db.session.begin_nested():
            db.session.add(draft)
    except IntegrityError:  # pragma: no cover - two tabs opening the first draft at once
        found = draft_of(course, author)
        assert found is not None
        return found
    if base is not None:
        copy_content(base, draft)
    return draft


def modules_of(version: CourseVersion) -> list[Module]:
    """A version's modules in their order (rows from before versions that were retired are
    not part of it)."""
    return list(
        db.session.execute(
            db.select(Module)
            .filter_by(version_id=version.id, retired=False)
            .order_by(Module.position)
        ).scalars()
    )


def module_of(version: CourseVersion, slug: str) -> Module | None:
    return db.session.execute(
        db.select(Module).filter_by(version_id=version.id, slug=slug, retired=False)
    ).scalar_one_or_none()


@dataclass
class Saved:
    module: Module
    preview: Preview


def save_module(
    draft: CourseVersion,
    module: Module,
    *,
    title: str,
    source: str,
    based_on: str,
    catalogue: Path,
) -> Saved:
    """Save a module's title and Markdown into the draft, rendered by the import's pipeline.

    ``based_on`` is ``text_hash`` of the title and text the editor loaded; if either changed
    since, nothing is written and ``Conflict`` carries both. Problems the import would
    refuse are saved too (an autosave never loses what was typed); publishing refuses them.
    """
    _check_is_draft(draft, module)
    source = source.replace("\r\n", "\n")
    title = title.strip()
    if not title:
        raise DraftError("Give the module a title.")
    if len(title) > 200:
        raise DraftError("A module title may be at most 200 characters.")
    if text_hash(module.source, module.title) != based_on:
        raise Conflict(module.title, mine=source, theirs=module.source or "", mine_title=title)
    preview = preview_for_version(draft, source, catalogue)
    module.title = title
    module.source = source
    module.body_html = preview.html
    module.word_count = preview.word_count
    module.minutes = preview.minutes
    module.cited = preview.cited
    rehash(module)
    touch(draft)
    return Saved(module, preview)


def add_module(draft: CourseVersion, title: str) -> Module:
    """A new, empty module at the end of the draft; its slug comes from the title."""
    title = title.strip()
    if not title:
        raise DraftError("Give the new module a title.")
    if len(title) > 200:
        raise DraftError("A module title may be at most 200 characters.")
    existing = modules_of(draft)
    base = SLUG.sub("-", title.lower()).strip("-")[:60].strip("-") or "module"
    slug, n = base, 2
    taken = {m.slug for m in existing} | {"final"}
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    module = Module(
        course_id=draft.course_id,
        version_id=draft.id,
        slug=slug,
        position=(existing[-1].position + 1) if existing else 1,
        title=title,
        minutes=1,
        objectives=[],
        body_html="",
        source="",
        word_count=0,
        cited=[],
    )
    db.session.add(module)
    db.session.flush()
    rehash(module)
    touch(draft)
    return module


def move_module(draft: CourseVersion, module: Module, direction: int) -> None:
    """Swap a module with its neighbour (-1: earlier, +1: later); at either end, nothing."""
    _check_is_draft(draft, module)
    ordered = modules_of(draft)
    index = next(i for i, m in enumerate(ordered) if m.id == module.id)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered, start=1):
        row.position = position
    touch(draft)


def discard(draft: CourseVersion) -> None:
    """Throw the draft away: its rows go, the published versions stay as they are."""
    if not draft.is_draft:
        raise DraftError("Only a draft can be discarded.")
    clear_content(draft)
    db.session.delete(draft)
    db.session.flush()


def touch(draft: CourseVersion) -> None:
    """Record a change and keep the draft's totals (module count, words, minutes) true."""
    modules = modules_of(draft)
    draft.module_count = len(modules)
    draft.word_count = sum(m.word_count for m in modules)
    draft.total_minutes = sum(m.minutes for m in modules)
    draft.updated_at = now()


def _check_is_draft(draft: CourseVersion, module: Module) -> None:
    if not draft.is_draft or module.version_id != draft.id:
        raise DraftError("This module is not in your draft.")


def rehash(module: Module) -> None:
    """Recompute a draft module's content hash after its text or quiz changed."""
    quiz = db.session.execute(db.select(Quiz).filter_by(module_id=module.id)).scalar_one_or_none()
    questions = (
        list(
            db.session.execute(
                db.select(Question)
                .filter_by(quiz_id=quiz.id, retired=False)
                .options(selectinload(Question.choices))
            ).scalars()
        )
        if quiz is not None
        else []
    )
    module.content_hash = versions.row_module_hash(module, quiz, questions)
