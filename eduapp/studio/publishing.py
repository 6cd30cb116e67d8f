"""Publishing a draft as the course's next version, with a change note and a version number,
and, where a course asks for it, another instructor's approval first.

A publish records who, when and why (``published_by_id``, ``published_at``, ``change_note``);
an approval records the same (``VersionReview``). A draft started before someone else
published is brought up to date first (``update_from_newest``), never published over their
work. No request, no current_user, no commit.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import selectinload

from ..clock import now
from ..content import versions
from ..extensions import db
from ..models import SETTINGS, Course, CourseVersion, Question, Quiz, User
from ..search import index as search_index
from . import approval as approving
from . import draftlint, drafts
from .preview import preview_for_version
from .settings_errors import LABELS

FIELDS = dict.fromkeys(versions.QUESTION_FIELDS)
LABEL = re.compile(r"\d{1,4}(\.\d{1,4}){0,2}")


class PublishRefused(drafts.DraftError):
    """Why the draft cannot be published yet; ``problems`` lists what to fix, per module."""

    def __init__(
        self, message: str, problems: list[str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.field = field  # the form field the refusal belongs to, if one


@dataclass
class Changes:
    """What the draft changes against the version it was started from, for the author."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reordered: bool = False
    settings: list[str] = field(default_factory=list)
    final_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.added or self.changed or self.reordered or self.settings or self.final_changed
        )


def changes(draft: CourseVersion) -> Changes:
    """Modules added or changed (by content hash), order, settings and the final, vs the base."""
    result = Changes()
    base = db.session.get(CourseVersion, draft.base_id) if draft.base_id else None
    mine = drafts.modules_of(draft)
    theirs = {m.slug: m for m in drafts.modules_of(base)} if base else {}
    for module in mine:
        old = theirs.get(module.slug)
        if old is None:
            result.added.append(module.title)
        elif old.content_hash != module.content_hash:
            result.changed.append(module.title)
    result.reordered = [m.slug for m in mine if m.slug in theirs] != [
        s for s in sorted(theirs, key=lambda s: theirs[s].position) if s in {m.slug for m in mine}
    ]
    if base is not None:
        result.settings = [
            LABELS.get(name, name.replace("_", " "))
            for name in SETTINGS
            if name not in ("module_count", "total_minutes", "word_count")
            and getattr(base, name) != getattr(draft, name)
        ]
        result.final_changed = _final_hash(draft) != _final_hash(base)
    return result


def _final_hash(version: CourseVersion) -> str | None:
    """The final's settings and questions, hashed as a module's quiz is."""
    final = db.session.execute(
        db.select(Quiz).filter_by(version_id=version.id, key="final", retired=False)
    ).scalar_one_or_none()
    if final is None:
        return None
    questions = db.session.execute(
        db.select(Question)
        .filter_by(quiz_id=final.id, retired=False)
        .options(selectinload(Question.choices))
        .order_by(Question.position)
    ).scalars()
    return versions.module_content_hash(
        "",
        [],
        "",
        {name: getattr(final, name) for name in versions.QUIZ_FIELDS},
        [
            {
                "key": q.key,
                **versions.question_row_values(q, dict.fromkeys(versions.QUESTION_FIELDS)),
            }
            for q in questions
        ],
    )


def _parts(label: str) -> tuple[int, int, int]:
    numbers = [int(n) for n in label.split(".")] + [0, 0]
    return numbers[0], numbers[1], numbers[2]


def suggest_label(draft: CourseVersion, found: Changes) -> tuple[str, str]:
    """The next version number and why: major when the final changes, minor for new content
    (modules added or reordered, CE hours or objectives), patch for wording."""
    base = db.session.get(CourseVersion, draft.base_id) if draft.base_id else None
    if base is None:
        return "1.0.0", "the course's first published version"
    major, minor, patch = _parts(base.label) if LABEL.fullmatch(base.label) else (0, 0, 0)
    if found.final_changed:
        return f"{major + 1}.0.0", "the final assessment changed"
    if found.added or found.reordered or {"ce hours", "objectives"} & set(found.settings):
        return f"{major}.{minor + 1}.0", "new content"
    return f"{major}.{minor}.{patch + 1}", "wording and corrections"


def problems(draft: CourseVersion, catalogue: Path) -> list[str]:
    """What the import would refuse in the draft, module by module."""
    found = []
    modules = drafts.modules_of(draft)
    if not modules:
        found.append("the draft has no modules: add one before publishing")
    for module in modules:
        if module.source is None:
            found.append(
                f"“{module.title}”: this module came from before the studio kept Markdown; "
                "import its course files once so it can be edited and published"
            )
            continue
        for problem in preview_for_version(draft, module.source, catalogue).problems:
            found.append(f"“{module.title}”, {problem}")
        if not module.source.strip():
            found.append(f"“{module.title}” has no text yet")
    course = db.session.get_one(Course, draft.course_id)
    return found + draftlint.publish_problems(draft, course.slug)


def publish(
    draft: CourseVersion,
    by: User,
    *,
    label: str,
    note: str,
    catalogue: Path,
    list_in_catalogue: bool = False,
) -> CourseVersion:
    """Make the draft the course's next published version, which new enrolments get; a course
    not yet in the catalogue is listed there if ``list_in_catalogue``."""
    # Lock the course row (PostgreSQL waits here; SQLite serialises writers anyway) and read
    # it afresh: of two authors publishing at the same moment, the second then sees the
    # first's version as the newest and is asked to bring their draft up to date.
    course = db.session.execute(
        db.select(Course)
        .where(Course.id == draft.course_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if not draft.is_draft:
        raise PublishRefused("This version is already published.")
    if draft.author_id != by.id:
        raise PublishRefused("Only the draft's author publishes it.")
    if course.current_version_id is not None and draft.base_id != course.current_version_id:
        newest = db.session.get_one(CourseVersion, course.current_version_id)
        raise PublishRefused(
            f"Version {newest.label} was published after you started this draft. Bring your "
            "draft up to date with it first, so their changes are not undone."
        )
    label, note = label.strip(), note.strip()
    if not LABEL.fullmatch(label):
        raise PublishRefused("Write the version as numbers with dots, like 1.2.0.", field="label")
    published = _published_labels(course)
    if label in published:
        raise PublishRefused(
            f"Version {label} is already taken; choose a later number.", field="label"
        )
    # Labels imported from course files are free text ("2024-spring"): only those written
    # as numbers with dots can be compared, and a course may have none of them.
    numbered = [p for p in published if LABEL.fullmatch(p)]
    if numbered and _parts(label) <= max(_parts(p) for p in numbered):
        raise PublishRefused(
            f"Version {label} is not later than {max(numbered, key=_parts)}; choose a later "
            "number.",
            field="label",
        )
    if not note:
        raise PublishRefused("Say what changed, for learners and the record.", field="note")
    if len(note) > 2000:
        raise PublishRefused("A change note is at most 2,000 characters.", field="note")
    found = problems(draft, catalogue)
    if found:
        raise PublishRefused("Fix these first; the import would refuse them too.", found)
    if course.requires_approval and approving.approval(draft) is None:
        raise PublishRefused(
            "This course needs another instructor's approval of the draft as it is now."
        )
    _render_again(draft, catalogue)
    stamp = now()
    draft.number = (
        db.session.scalar(
            db.select(db.func.max(CourseVersion.number)).where(CourseVersion.course_id == course.id)
        )
        or 0
    ) + 1
    draft.label = label
    draft.change_note = note
    draft.published_at = stamp
    draft.published_by_id = by.id
    draft.content_hash = content_hash_of(draft)
    # Computed from the rows as published: the draft's questions changed since it started.
    draft.lint = draftlint.record(draft, course.slug)
    versions.make_current(course, draft)
    if list_in_catalogue:
        course.status = "published"
    # In this transaction: the moment the version is current, search finds its text.
    search_index.rebuild_course(course)
    return draft


def _render_again(draft: CourseVersion, catalogue: Path) -> None:
    """Render every module from its Markdown once more, as ``problems`` just did.

    A module's HTML is stored when it is saved, but what it renders to also depends on the
    draft's references and figures, which change without a save of the module (a figure
    uploaded after the text that shows it, a reference added in Settings). Publishing exactly
    what the checks passed keeps a version from going out with a stale rendering.
    """
    for module in drafts.modules_of(draft):
        fresh = preview_for_version(draft, module.source or "", catalogue)
        if (fresh.html, fresh.word_count, fresh.minutes, fresh.cited) == (
            module.body_html,
            module.word_count,
            module.minutes,
            module.cited,
        ):
            continue
        module.body_html = fresh.html
        module.word_count = fresh.word_count
        module.minutes = fresh.minutes
        module.cited = fresh.cited
        drafts.rehash(module)
    modules = drafts.modules_of(draft)
    draft.module_count = len(modules)
    draft.word_count = sum(m.word_count for m in modules)
    draft.total_minutes = sum(m.minutes for m in modules)


def _published_labels(course: Course) -> list[str]:
    return list(
        db.session.execute(
            db.select(CourseVersion.label).where(
                CourseVersion.course_id == course.id, CourseVersion.number.is_not(None)
            )
        ).scalars()
    )


def content_hash_of(version: CourseVersion) -> str:
    """A studio version's content hash, from its rows (settings and every module's hash)."""
    payload = {
        "label": version.label,
        "settings": {name: getattr(version, name) for name in SETTINGS},
        "modules": [(m.slug, m.position, m.content_hash) for m in drafts.modules_of(version)],
        "final": _final_hash(version),
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
