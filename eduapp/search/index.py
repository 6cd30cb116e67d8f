"""A course's rows in the full-text table: its current version's text, nothing else.

Rebuilt in the transaction that changes the current version (an import, a publish in the
studio), so a search never finds text a course no longer teaches, nor misses what it just
published. Drafts have no rows. Whether the course is listed is read when searching, so taking
a course out of the catalogue needs no rebuild. No commit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from ..content.markdown import citation_label
from ..extensions import db
from ..models import Course, CourseVersion, Module
from .schema import TABLE
from .text import html_to_text


class Kind:
    COURSE = "course"  # title, summary and objectives: the course page
    MODULE = "module"  # a module's title, objectives and text: the module page
    REFERENCE = "reference"  # one entry of the course's reference list


REFERENCE_POSITION = 10_000  # references sort after the modules of their course


@dataclass
class Entry:
    kind: str
    course_id: int
    version_id: int
    title: str
    body: str
    position: int
    module_id: int | None = None
    ref_id: str | None = None


def entries_for(course: Course) -> list[Entry]:
    """What a search should find in ``course``: its current version, module by module."""
    if course.current_version_id is None:
        return []
    version = db.session.get_one(CourseVersion, course.current_version_id)
    common = {"course_id": course.id, "version_id": version.id}
    found = [
        Entry(
            Kind.COURSE,
            title=version.title,
            body="\n".join([version.summary, *version.objectives]),
            position=0,
            **common,
        )
    ]
    modules = db.session.execute(
        db.select(Module).filter_by(version_id=version.id, retired=False).order_by(Module.position)
    ).scalars()
    for module in modules:
        found.append(
            Entry(
                Kind.MODULE,
                title=module.title,
                body="\n".join([*module.objectives, html_to_text(module.body_html)]),
                position=module.position,
                module_id=module.id,
                **common,
            )
        )
    for n, reference in enumerate(version.references):
        found.append(
            Entry(
                Kind.REFERENCE,
                title=str(reference.get("label") or citation_label(str(reference["id"]))),
                body=" ".join(
                    str(reference[key]) for key in ("citation", "doi", "url") if reference.get(key)
                ),
                position=REFERENCE_POSITION + n,
                ref_id=str(reference["id"]),
                **common,
            )
        )
    return found


def rebuild_course(course: Course) -> int:
    """Replace the course's rows with its current version's; returns how many were written."""
    db.session.flush()  # the version's modules, written earlier in this transaction
    db.session.execute(text(f"DELETE FROM {TABLE} WHERE course_id = :id"), {"id": course.id})
    rows = entries_for(course)
    if rows:
        db.session.execute(
            text(
                f"INSERT INTO {TABLE} (kind, course_id, version_id, module_id, ref_id, "
                "position, title, body) VALUES (:kind, :course_id, :version_id, :module_id, "
                ":ref_id, :position, :title, :body)"
            ),
            [row.__dict__ for row in rows],
        )
    return len(rows)


def stale_courses() -> list[Course]:
    """Courses whose current version has no rows: imported before search existed, or left
    behind by a database restored from an older backup."""
    indexed = {
        (course_id, version_id)
        for course_id, version_id in db.session.execute(
            text(f"SELECT course_id, version_id FROM {TABLE} WHERE kind = :kind"),
            {"kind": Kind.COURSE},
        )
    }
    courses = db.session.execute(
        db.select(Course).where(Course.current_version_id.is_not(None)).order_by(Course.id)
    ).scalars()
    return [c for c in courses if (c.id, c.current_version_id) not in indexed]


def rebuild(courses: list[Course]) -> int:
    return sum(rebuild_course(course) for course in courses)


def rebuild_all() -> int:
    """Every course's rows afresh, and no rows for anything else."""
    db.session.execute(text(f"DELETE FROM {TABLE}"))
    return rebuild(list(db.session.execute(db.select(Course).order_by(Course.id)).scalars()))
