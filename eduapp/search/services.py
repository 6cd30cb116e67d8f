"""The search page's one call: a query and who asks, to a page of marked results.

Search reads each listed course's current published version, the one the catalogue shows and
new learners get; drafts are never searched. A learner still taking an older version is told
when a result comes from a newer one, and sent to the course page when their version has no
such module. Signed out, a visitor searches what the public course pages show (course titles,
summaries and objectives, module titles, references); the text of modules, which needs an
account to read, needs one to search. No request, no current_user, no commit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup

from ..extensions import db
from ..models import CourseVersion, Enrolment, Module, User
from . import backends
from .excerpts import excerpt, mark, text_fragment
from .index import Kind
from .query import Query, parse

PAGE_SIZE = 20
MAX_PAGES = 10  # 200 results: past that, a better search serves the learner better


@dataclass
class Hit:
    kind: str
    course_slug: str
    course_title: str
    version_label: str
    title: Markup
    excerpt: Markup | None
    module_slug: str | None = None
    # Where on the target page: a reference's list entry or the matched words' text fragment.
    anchor: str | None = None
    # The learner takes an older version of this course: what that means for this result.
    note: str | None = None
    # False when the learner's version has no such module: the link goes to the course page.
    module_link: bool = True


@dataclass
class Results:
    query: Query
    page: int = 1
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    public_only: bool = False

    @property
    def pages(self) -> int:
        return min(MAX_PAGES, math.ceil(self.total / PAGE_SIZE))

    @property
    def capped(self) -> bool:
        return self.total > MAX_PAGES * PAGE_SIZE


def search(text: str, user: User | None, page: int = 1) -> Results:
    """Results for ``text`` (raises ``query.QueryTooLong``); an empty query finds nothing."""
    query = parse(text)
    results = Results(query=query, page=page, public_only=user is None)
    if not query or not 1 <= page <= MAX_PAGES:
        return results
    rows, results.total = backends.find(
        query,
        public_only=results.public_only,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    results.hits = [_hit(row, query, results.public_only) for row in rows]
    if user is not None:
        _note_older_versions(results.hits, rows, user)
    return results


def _hit(row: backends.Row, query: Query, public_only: bool) -> Hit:
    found = None if public_only and row.kind == Kind.MODULE else excerpt(row.body, query)
    anchor = None
    if row.kind == Kind.REFERENCE:
        anchor = f"ref-{row.ref_id}"
    elif found is not None and found.fragment:
        anchor = text_fragment(found.fragment)
    return Hit(
        kind=row.kind,
        course_slug=row.course_slug,
        course_title=row.course_title,
        version_label=row.version_label,
        title=mark(row.title, query),
        excerpt=found.html if found is not None else None,
        module_slug=row.module_slug,
        anchor=anchor,
    )


def _note_older_versions(hits: list[Hit], rows: list[backends.Row], user: User) -> None:
    """Two queries, whatever the number of results: the learner's versions of these courses,
    and which of the matched modules those versions have."""
    course_ids = {row.course_id for row in rows}
    if not course_ids:
        return
    older = {
        course_id: (version_id, label)
        for course_id, version_id, label in db.session.execute(
            db.select(Enrolment.course_id, Enrolment.version_id, CourseVersion.label)
            .join(CourseVersion, CourseVersion.id == Enrolment.version_id)
            .where(Enrolment.user_id == user.id, Enrolment.course_id.in_(course_ids))
        )
    }
    older = {
        course_id: taken
        for course_id, taken in older.items()
        if any(r.course_id == course_id and r.version_id != taken[0] for r in rows)
    }
    if not older:
        return
    theirs = {
        (version_id, slug)
        for version_id, slug in db.session.execute(
            db.select(Module.version_id, Module.slug).where(
                Module.version_id.in_([v for v, _ in older.values()]), Module.retired.is_(False)
            )
        )
    }
    for hit, row in zip(hits, rows, strict=True):
        if row.course_id not in older:
            continue
        version_id, label = older[row.course_id]
        said = f"Found in version {row.version_label}, the current one; you are taking {label}"
        if row.kind == Kind.MODULE and (version_id, row.module_slug) not in theirs:
            hit.module_link = False
            hit.note = f"{said}, which does not have this module."
        else:
            hit.note = f"{said}, where it may read differently."
