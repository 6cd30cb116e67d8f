"""Bringing a draft up to date with a version someone else published after it was started.

The draft becomes a copy of the newest version with the author's own changes applied on top:
each module the author changed keeps their text, each module they did not touch takes the
newest version's, and so do the quizzes (the editor does not change them). A module both
changed is a conflict: nothing is written until the author has seen both texts and chosen,
module by module. Settings work the same way, field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from ..models import SETTINGS, Course, CourseFigure, CourseVersion
from . import drafts

# What an author's change to a module consists of, carried over onto the newest version.
KEPT = ("title", "minutes", "objectives", "body_html", "source", "word_count", "cited")
DERIVED = ("module_count", "total_minutes", "word_count")


@dataclass
class BothChanged:
    slug: str
    title: str
    mine: str
    theirs: str


class Conflicts(drafts.DraftError):
    """Modules both the author and the newest version changed: both texts, for a choice."""

    def __init__(self, modules: list[BothChanged]) -> None:
        super().__init__(
            "You and the newest version both changed "
            + ", ".join(f"“{m.title}”" for m in modules)
            + ": choose which text to keep for each."
        )
        self.modules = modules


def is_behind(draft: CourseVersion) -> CourseVersion | None:
    """The newest version, if it was published after this draft was started from another."""
    course = db.session.get_one(Course, draft.course_id)
    if course.current_version_id is None or course.current_version_id == draft.base_id:
        return None
    return db.session.get_one(CourseVersion, course.current_version_id)


def update_from_newest(draft: CourseVersion, choices: dict[str, str] | None = None) -> list[str]:
    """Rebase the draft on the newest version; returns the titles of the modules kept as the
    author wrote them. ``choices`` maps a conflicting module's slug to "mine" or "theirs"."""
    newest = is_behind(draft)
    if newest is None:
        return []
    choices = choices or {}
    base = db.session.get(CourseVersion, draft.base_id) if draft.base_id else None
    old = {m.slug: m for m in drafts.modules_of(base)} if base else {}
    new = {m.slug: m for m in drafts.modules_of(newest)}
    kept: dict[str, dict[str, object]] = {}
    added: set[str] = set()  # slugs of modules the author added (not in the base)
    conflicts = []
    for module in drafts.modules_of(draft):
        before = old.get(module.slug)
        if before is not None and before.content_hash == module.content_hash:
            continue  # the author did not touch it: the newest version's text wins
        after = new.get(module.slug)
        both = (
            before is not None
            and after is not None
            and after.content_hash not in (before.content_hash, module.content_hash)
        )
        if both and choices.get(module.slug) not in ("mine", "theirs"):
            conflicts.append(
                BothChanged(module.slug, module.title, module.source or "", after.source or "")
            )
        elif not both or choices[module.slug] == "mine":
            kept[module.slug] = {name: getattr(module, name) for name in KEPT}
            if before is None:
                added.add(module.slug)
    if conflicts:
        raise Conflicts(conflicts)
    settings = {
        name: getattr(draft, name)
        for name in SETTINGS
        if name not in DERIVED and (base is None or getattr(draft, name) != getattr(base, name))
    }
    figures = _uploaded(draft, base)
    drafts.clear_content(draft)
    drafts.copy_content(newest, draft)
    taken = set(
        db.session.execute(db.select(CourseFigure.path).filter_by(version_id=draft.id)).scalars()
    )
    for path, sha256 in figures.items():
        if path not in taken:  # the author's uploads stay in their draft
            db.session.add(CourseFigure(version_id=draft.id, path=path, sha256=sha256))
    for name in SETTINGS:
        setattr(draft, name, settings.get(name, getattr(newest, name)))
    draft.base_id = newest.id
    draft.lint = newest.lint  # the quizzes are the newest version's now
    for slug, values in kept.items():
        module = drafts.module_of(draft, slug)
        if slug in added:
            # A module the author added. If the newest version added one with the same
            # address (the same title), both are kept: the author's gets a free address.
            fresh = module is None
            module = drafts.add_module(draft, str(values["title"]))
            if fresh:
                module.slug = slug
        elif module is None:  # pragma: no cover - modules are never removed from a draft
            module = drafts.add_module(draft, str(values["title"]))
            module.slug = slug
        for name, value in values.items():
            setattr(module, name, value)
        drafts.rehash(module)
    drafts.touch(draft)
    return [str(values["title"]) for values in kept.values()]


def _uploaded(draft: CourseVersion, base: CourseVersion | None) -> dict[str, str]:
    """The figure paths the author added to the draft (not in the version it started from)."""

    def mapping(version: CourseVersion) -> dict[str, str]:
        rows = db.session.execute(
            db.select(CourseFigure.path, CourseFigure.sha256).filter_by(version_id=version.id)
        ).all()
        return {row.path: row.sha256 for row in rows}

    mine = mapping(draft)
    theirs = mapping(base) if base is not None else {}
    return {path: sha for path, sha in mine.items() if theirs.get(path) != sha}
