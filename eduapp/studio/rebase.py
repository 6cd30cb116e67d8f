"""Bringing a draft up to date with a version someone else published after it was started.

The draft becomes a copy of the newest version with the author's own changes applied on top:
each module the author changed keeps their text, each module they did not touch takes the
newest version's, and so do the quizzes (the editor does not change them). A module both
changed is a conflict. Settings are merged against the version the draft started from
(``rebase_settings``): one side's change is taken, references, approvals and CE categories
are merged item by item, and a setting (or item) both changed differently is a conflict.
Nothing is written until the author has seen both sides of every conflict and chosen
"mine" or "theirs" for each; a choice that names no conflict, or is neither, is refused.

The modules' order: **the modules you moved stay right after the module that came before
them in your draft; everything else keeps the newest version's order** (``threeway.arrange``
says what counts as moved). So a draft nobody else reordered keeps the author's order, with
modules a co-author added placed after the module they follow in the newest version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..extensions import db
from ..models import SETTINGS, Course, CourseFigure, CourseVersion
from . import drafts, rebase_settings, threeway
from .rebase_settings import CHOICES, SettingConflict

# What an author's change to a module consists of, carried over onto the newest version.
KEPT = ("title", "minutes", "objectives", "body_html", "source", "word_count", "cited")


@dataclass
class BothChanged:
    slug: str
    title: str
    mine: str
    theirs: str


class Conflicts(drafts.DraftError):
    """What both the author and the newest version changed, both sides, for a choice; with
    ``problem`` when the choices sent could not be used (nothing was written either way)."""

    def __init__(
        self,
        modules: list[BothChanged],
        settings: list[SettingConflict] | None = None,
        problem: str | None = None,
    ) -> None:
        self.modules = modules
        self.settings = settings or []
        self.problem = problem
        names = [f"“{m.title}”" for m in modules] + [s.label for s in self.settings]
        super().__init__(
            problem
            or "You and the newest version both changed "
            + ", ".join(names)
            + ": choose which to keep for each."
        )


def is_behind(draft: CourseVersion) -> CourseVersion | None:
    """The newest version, if it was published after this draft was started from another."""
    course = db.session.get_one(Course, draft.course_id)
    if course.current_version_id is None or course.current_version_id == draft.base_id:
        return None
    return db.session.get_one(CourseVersion, course.current_version_id)


def update_from_newest(
    draft: CourseVersion,
    choices: Mapping[str, str] | None = None,
    setting_choices: Mapping[str, str] | None = None,
) -> list[str]:
    """Rebase the draft on the newest version; returns the titles of the modules kept as the
    author wrote them. ``choices`` maps a conflicting module's slug to "mine" or "theirs",
    ``setting_choices`` a conflicting setting's key (``SettingConflict.key``) the same way.
    Raises ``Conflicts`` having written nothing while any conflict is unchosen or any choice
    is unusable."""
    newest = is_behind(draft)
    if newest is None:
        return []
    choices, setting_choices = dict(choices or {}), dict(setting_choices or {})
    base = db.session.get(CourseVersion, draft.base_id) if draft.base_id else None
    old = {m.slug: m for m in drafts.modules_of(base)} if base else {}
    new = {m.slug: m for m in drafts.modules_of(newest)}
    mine = drafts.modules_of(draft)
    kept: dict[str, dict[str, object]] = {}
    added: set[str] = set()  # slugs of modules the author added (not in the base)
    both: list[BothChanged] = []
    for module in mine:
        before = old.get(module.slug)
        if before is not None and before.content_hash == module.content_hash:
            continue  # the author did not touch it: the newest version's text wins
        after = new.get(module.slug)
        if (
            before is not None
            and after is not None
            and after.content_hash not in (before.content_hash, module.content_hash)
        ):
            both.append(
                BothChanged(module.slug, module.title, module.source or "", after.source or "")
            )
            if choices.get(module.slug) != "mine":
                continue
        kept[module.slug] = {name: getattr(module, name) for name in KEPT}
        if before is None:
            added.add(module.slug)
    settings = rebase_settings.merge(base, draft, newest, setting_choices)
    problem = _unusable(choices, both, setting_choices, settings.conflicts)
    if (
        problem
        or any(c.slug not in choices for c in both)
        or any(c.key not in setting_choices for c in settings.conflicts)
    ):
        raise Conflicts(both, settings.conflicts, problem)
    orders = (
        [m.slug for m in drafts.modules_of(base)] if base else [],
        [m.slug for m in mine],
        list(new),
    )
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
        setattr(draft, name, settings.values.get(name, getattr(newest, name)))
    draft.base_id = newest.id
    draft.lint = newest.lint  # the quizzes are the newest version's now
    placed = _write_kept(draft, kept, added)
    _reorder(draft, orders, placed, added)
    drafts.touch(draft)
    return [str(values["title"]) for values in kept.values()]


def _unusable(
    choices: Mapping[str, str],
    modules: list[BothChanged],
    setting_choices: Mapping[str, str],
    settings: list[SettingConflict],
) -> str | None:
    """Why the choices sent cannot be used, in words for the author; None when they can."""
    asked = {c.slug: f"“{c.title}”" for c in modules}
    asked_settings = {c.key: c.label for c in settings}
    for given, known in ((choices, asked), (setting_choices, asked_settings)):
        for key, value in given.items():
            if key not in known:
                return (
                    f"“{key[:80]}” is not one of the changes to choose between (the page may be "
                    "out of date). Nothing has changed: choose again below."
                )
            if value not in CHOICES:
                return (
                    f"Choose “mine” or “theirs” for {known[key]}. Nothing has changed: "
                    "choose again below."
                )
    return None


def _write_kept(
    draft: CourseVersion, kept: dict[str, dict[str, object]], added: set[str]
) -> dict[str, str]:
    """Put the author's modules on top of the newest version's; returns each one's slug in
    the draft now (an added module whose address the newest version took gets a new one)."""
    placed: dict[str, str] = {}
    for slug, values in kept.items():
        module = drafts.module_of(draft, slug)
        if slug in added:
            # A module the author added. If the newest version added one with the same
            # address (the same title), both are kept: the author's gets a free address.
            fresh = module is None
            module = drafts.add_module(draft, str(values["title"]))
            if fresh:
                module.slug = slug
        elif module is None:  # pragma: no cover - the newest removed a module the author changed
            module = drafts.add_module(draft, str(values["title"]))
            module.slug = slug
        for name, value in values.items():
            setattr(module, name, value)
        drafts.rehash(module)
        placed[slug] = module.slug
    return placed


def _reorder(
    draft: CourseVersion,
    orders: tuple[list[str], list[str], list[str]],
    placed: dict[str, str],
    added: set[str],
) -> None:
    """Number the draft's modules in the merged order (``threeway.arrange``), each module
    named by its slug in the draft now."""
    base, mine, theirs = orders
    present = set(theirs)
    in_base = [s for s in base if s in present or (s in placed and s not in added)]
    in_mine = [placed.get(s, s) for s in mine if s in placed or s in present]
    modules = {m.slug: m for m in drafts.modules_of(draft)}
    order = threeway.arrange(in_base, in_mine, theirs, frozenset(modules))
    order += [s for s in modules if s not in order]
    for position, slug in enumerate(order, start=1):
        modules[slug].position = position


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
