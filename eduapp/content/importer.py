"""Write loaded course data into the database as course versions.

An import never changes a published version. Files whose content hash equals the last
imported version's change nothing; changed files become a new version, which new enrolments
get while learners already on an older version keep theirs. Once authors publish in the
studio, the database is the course's source of truth: changed files are then skipped with a
warning unless ``force`` is given. The caller commits once, so a catalogue imports whole or
not at all; the search index's rows for a course change in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..extensions import db
from ..models import Course, CourseVersion, Module, User, VersionSource
from ..search import index as search_index
from . import versiondiff, versions
from .data import CourseData


@dataclass
class ImportReport:
    slug: str
    changes: Counter[str] = field(default_factory=Counter)
    # Why the files were not imported, when they changed but the studio has newer versions.
    skipped: str | None = None
    # The number of the version this import published, if it published one.
    published: int | None = None
    # Warnings for the author after the summary: things to fix in the files, nothing refused.
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def summary(self) -> str:
        if self.skipped:
            return f"{self.slug}: skipped: {self.skipped}"
        if not self.changes:
            return f"{self.slug}: unchanged"
        text = f"{self.slug}: " + ", ".join(
            f"{n} {_singular(what) if n == 1 else what}" for what, n in sorted(self.changes.items())
        )
        return text + (f"; published as version {self.published}" if self.published else "")


SINGULAR = {"modules": "module", "questions": "question", "quizzes": "quiz", "figures": "figure"}


def _singular(what: str) -> str:
    """``1 modules added`` reads as ``1 module added``."""
    noun, _, rest = what.partition(" ")
    return f"{SINGULAR.get(noun, noun)} {rest}".strip()


def import_courses(courses: list[CourseData], *, force: bool = False) -> list[ImportReport]:
    return [import_course(course, force=force) for course in courses]


def import_course(data: CourseData, *, force: bool = False) -> ImportReport:
    """Import one course folder's content as a new version when it changed (see the module)."""
    report = ImportReport(data.meta.slug)
    digest = versions.content_hash(data)
    course = db.session.execute(
        db.select(Course).filter_by(slug=data.meta.slug)
    ).scalar_one_or_none()
    if course is None:
        course = Course(
            slug=data.meta.slug,
            status=data.meta.status,
            files_status=data.meta.status,
            **_face(data),
        )
        db.session.add(course)
        db.session.flush()
        version = versions.write_version(
            course, data, number=1, source=VersionSource.FILES, digest=digest
        )
        versions.make_current(course, version)
        search_index.rebuild_course(course)
        report.changes["course created"] += 1
        report.changes.update(versiondiff.everything_added(data))
        return report

    published = _published(course)
    imported = next((v for v in published if v.source != VersionSource.STUDIO), None)
    newer = [v for v in published if imported is None or v.number > imported.number]  # type: ignore[operator]
    if imported is not None and imported.content_hash == digest:
        if imported.coverage is None:  # recorded before versions kept it
            imported.coverage = versions.coverage_of(data)
        if not newer:
            _set_status(course, data, report)
        return report
    if newer and not force:
        report.skipped = _skip_reason(newer[0], imported)
        return report
    if not published and not force:
        report.skipped = (
            "a course with this slug was created in the studio and has not been published "
            "yet, so its authors' draft stays; `flask courses import --force` imports the "
            "files as its first version"
        )
        return report
    _set_status(course, data, report)
    if (
        imported is not None
        and imported.content_hash is None
        and not newer
        and _adopt(imported, data, digest)
    ):
        return report
    if published:
        report.changes.update(versiondiff.diff(published[0], data))
    else:
        report.changes.update(versiondiff.everything_added(data))
    version = versions.write_version(
        course,
        data,
        number=(published[0].number or 0) + 1 if published else 1,
        source=VersionSource.FILES,
        digest=digest,
    )
    versions.make_current(course, version)
    search_index.rebuild_course(course)
    report.published = version.number
    if published and version.label == published[0].label:
        report.notes.append(
            f"course.yml still says version {version.label}: give the new content a new "
            "version number, so learners and certificates can tell the two apart"
        )
    return report


def _face(data: CourseData) -> dict[str, object]:
    return {"version": data.meta.version, **versions.settings_of(data)}


def _published(course: Course) -> list[CourseVersion]:
    """The course's published versions, newest first."""
    return list(
        db.session.execute(
            db.select(CourseVersion)
            .where(CourseVersion.course_id == course.id, CourseVersion.number.is_not(None))
            .order_by(CourseVersion.number.desc())
        ).scalars()
    )


def _set_status(course: Course, data: CourseData, report: ImportReport) -> None:
    """Draft or published is the course's (the catalogue's), not a version's. The files set it
    when they change it; otherwise an owner's choice in the studio (taking the course out of
    the catalogue, say) stands, and the report says the two differ."""
    if course.files_status == data.meta.status:
        if course.status != data.meta.status:
            report.notes.append(
                f"course.yml says {data.meta.status}, but the course was "
                + ("taken out of" if course.status == "draft" else "listed in")
                + " the catalogue in the studio, which stands; change course.yml's status to "
                "apply it from the files"
            )
        return
    course.files_status = data.meta.status
    if course.status != data.meta.status:
        course.status = data.meta.status
        report.changes["course details updated"] += 1


def _skip_reason(studio: CourseVersion, imported: CourseVersion | None) -> str:
    author = db.session.get(User, studio.published_by_id) if studio.published_by_id else None
    who = f"{author.name} <{author.email}>" if author is not None else "an author"
    since = f"since the last import (version {imported.number})" if imported else "(never imported)"
    return (
        f"the files changed {since}, but {who} "
        f"published version {studio.number} ({studio.label}) in the studio since then, so the "
        "studio's version stays; `flask courses import --force` imports the files as a new "
        "version, keeping every earlier one"
    )


def _adopt(version: CourseVersion, data: CourseData, digest: str) -> bool:
    """A course carried over from before versions has no Markdown source or hashes. When the
    files hold exactly what it teaches, record them in it instead of making a new version."""
    if versiondiff.diff(version, data):
        return False
    quizzes = {q.key: q for q in data.quizzes}
    by_slug = {m.slug: m for m in data.modules}
    for row in db.session.execute(
        db.select(Module).filter_by(version_id=version.id, retired=False)
    ).scalars():
        module = by_slug[row.slug]
        row.source = module.source
        row.content_hash = versions.module_hash(module, quizzes.get(module.slug))
    version.content_hash = digest
    version.lint = versions.lint_record(data)
    version.coverage = versions.coverage_of(data)
    return True
