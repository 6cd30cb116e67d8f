"""A course started in the studio: its row, its creator as owner, and the creator's draft.

The course has no published version until its first publish, so learners cannot see it and
the catalogue does not list it (``status`` "draft", ``current_version_id`` None). No request,
no current_user, no commit.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..content.fields import Slug
from ..extensions import db
from ..models import Course, CourseVersion, User, VersionSource
from . import drafts, owners

FIRST_LABEL = "0.1.0"
TITLE_MAX = 200  # the column's size
FIRST_MODULE = "Introduction"
# Addresses under /studio/courses/ that are pages, not courses.
RESERVED = frozenset({"new"})
_SLUG = TypeAdapter(Slug)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class CourseRefused(Exception):
    """A new course the rules refuse; ``field`` names the form field the message is for."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def suggest_slug(title: str) -> str:
    """The web address a title suggests: lowercase words joined by hyphens."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", title.lower()) if not unicodedata.combining(c)
    )
    return _NOT_SLUG.sub("-", plain).strip("-")[:80].strip("-")


def create_course(
    *, title: str, slug: str, summary: str, creator: User, catalogue: Path | None = None
) -> Course:
    """Make the course, its owner row and the creator's draft with one empty module.

    The slug follows the course-file rule (the same pydantic type ``course.yml`` uses) and
    must be new: it is the course's address and its folder name when exported. A folder of
    that name in the course files (``catalogue``) counts as taken too, so that the next
    import never meets a studio course where it expects its own.
    """
    title, summary = title.strip(), summary.strip()
    slug = slug.strip() or suggest_slug(title)
    if not title:
        raise CourseRefused("Title: give the course a title.", "title")
    if len(title) > TITLE_MAX:
        raise CourseRefused(f"Title: at most {TITLE_MAX} characters.", "title")
    if not summary:
        raise CourseRefused("Summary: say in a sentence or two what the course teaches.", "summary")
    try:
        _SLUG.validate_python(slug)
    except ValidationError:
        raise CourseRefused(
            f"Web address: “{slug}” may use only lowercase letters, digits and single hyphens "
            "between them (at most 80 characters), like “neck-pain-basics”.",
            "slug",
        ) from None
    if slug in RESERVED or _taken(slug) or (catalogue is not None and (catalogue / slug).exists()):
        raise CourseRefused(
            f"Web address: another course already uses “{slug}”. Choose another.", "slug"
        )
    stamp = now()
    course = Course(
        slug=slug,
        title=title,
        summary=summary,
        version=FIRST_LABEL,
        status="draft",
        created_at=stamp,
        updated_at=stamp,
    )
    try:
        with db.session.begin_nested():
            db.session.add(course)
    except IntegrityError:  # another request took the slug between the check and the insert
        raise CourseRefused(
            f"Web address: another course already uses “{slug}”. Choose another.", "slug"
        ) from None
    owners.add_creator(course, creator)
    draft = CourseVersion(
        course_id=course.id,
        number=None,
        label=FIRST_LABEL,
        source=VersionSource.STUDIO,
        author_id=creator.id,
        base_id=None,
        created_at=stamp,
        updated_at=stamp,
        title=title,
        summary=summary,
        ce_categories=["general"],
        objectives=[],
        authors=[creator.name],
        references=[],
        approvals=[],
    )
    db.session.add(draft)
    db.session.flush()
    drafts.add_module(draft, FIRST_MODULE)
    return course


def _taken(slug: str) -> bool:
    return db.session.scalar(db.select(Course.id).filter_by(slug=slug)) is not None
