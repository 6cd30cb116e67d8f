"""A course as a ZIP: the export, downloaded; and a course ZIP uploaded into the author's draft.

A ZIP is a hostile input until read: every limit is checked while reading, never from the
archive's own header (a header can lie about sizes). At most ``MAX_ENTRIES`` entries and
``MAX_BYTES`` uncompressed in all; no absolute or ``..`` paths, no links, no archives inside
the archive. The files are then read by the same loader as ``flask courses import`` (every
rule and message the same), from a private temporary folder, and only then written: into the
uploader's draft of the course the ZIP names, or into a new course that the uploader owns.
An upload for a course the uploader does not manage is refused before anything is written.
"""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import yaml

from ..content import claims, export, versions
from ..content.loader import load_course
from ..content.yamlfile import ContentError
from ..extensions import db
from ..figures.inspect import FigureError
from ..models import Course, CourseVersion, User, VersionSource
from . import drafts, newcourse, owners

MAX_ENTRIES = 500
MAX_BYTES = 50 * 1024 * 1024
MAX_UPLOAD = 20 * 1024 * 1024  # the ZIP itself, as sent
ARCHIVES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar")
MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")
CHUNK = 64 * 1024


class ZipRefused(Exception):
    """Why the upload was refused, in words for the instructor; nothing was written."""


@dataclass
class Uploaded:
    course: Course
    draft: CourseVersion
    created: bool


def download(course: Course, version: CourseVersion) -> bytes:
    """The version's canonical course folder as a ZIP, inside a folder named by its slug."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in export.files_of(course, version).items():
            info = zipfile.ZipInfo(f"{course.slug}/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def read_archive(stream: IO[bytes]) -> dict[str, bytes]:
    """The ZIP's files by their path inside the course folder, checked while reading."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise ZipRefused("The file is not a ZIP archive.") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ZipRefused(
                f"The ZIP has {len(entries):,} entries; a course may have at most {MAX_ENTRIES}."
            )
        files: dict[str, bytes] = {}
        total = 0
        for info in entries:
            name = _safe_name(info)
            if info.is_dir():
                continue
            data, total = _read(archive, info, total)
            if name.lower().endswith(ARCHIVES) or data.startswith(MAGIC):
                raise ZipRefused(f"{name}: an archive inside the archive is not accepted.")
            files[name] = data
    return _strip_folder(files)


def _safe_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ZipRefused(f"{name}: paths in the ZIP must be relative, like course.yml.")
    parts = PurePosixPath(name).parts
    if ".." in parts or not parts:
        raise ZipRefused(f"{name}: paths in the ZIP may not go up a folder ('..').")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ZipRefused(f"{name}: links are not accepted in a course ZIP.")
    return name


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int) -> tuple[bytes, int]:
    """One entry's bytes, counting the real uncompressed size as it streams."""
    chunks = []
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise ZipRefused(
                        "The ZIP holds more than 50 MB once unpacked; a course may hold at most "
                        "50 MB."
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as error:
        raise ZipRefused(f"{info.filename}: cannot be read ({error}).") from None
    return b"".join(chunks), total


def _strip_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """A ZIP of a course folder holds ``slug/course.yml``: the files inside that folder."""
    if "course.yml" in files:
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        top = tops.pop() + "/"
        return {name[len(top) :]: data for name, data in files.items()}
    raise ZipRefused("The ZIP has no course.yml (at its top, or in one folder at its top).")


def _slug_of(files: dict[str, bytes]) -> str:
    try:
        meta = yaml.safe_load(files["course.yml"].decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        meta = None
    slug = meta.get("slug") if isinstance(meta, dict) else None
    if not isinstance(slug, str) or not slug:
        raise ZipRefused("course.yml: give the course's slug (slug: its web address).")
    return slug


def upload(stream: IO[bytes], user: User, catalogue: Path) -> Uploaded:
    """Read a course ZIP into the uploader's draft of the course it names (a new course,
    owned by the uploader, if no course has that slug)."""
    files = read_archive(stream)
    slug = _slug_of(files)
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is not None and not owners.can_manage(user, course):
        raise ZipRefused(
            f"The ZIP is the course “{slug}”, which you do not own or co-author: nothing was "
            "changed. Ask its owner to add you, or give the course another slug."
        )
    with tempfile.TemporaryDirectory(prefix="eduapp-zip-") as tmp:
        folder = Path(tmp) / slug
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            # Evidence callouts name claims kept in the catalogue's evidence.yml, as an import
            # of the course folder would read them.
            data = load_course(folder, claims.load(catalogue))
        except ContentError as error:
            lines = [str(p).replace(str(Path(tmp)) + "/", "") for p in error.problems]
            raise ZipRefused("The course files have problems: " + "; ".join(lines)) from None
    created = course is None
    try:
        if course is None:
            course = newcourse.create_course(
                title=data.meta.title,
                slug=slug,
                summary=data.meta.summary,
                creator=user,
                catalogue=catalogue,
            )
        old = drafts.draft_of(course, user)
        if old is not None:
            drafts.discard(old)
        draft = versions.write_version(
            course,
            data,
            number=None,
            source=VersionSource.STUDIO,
            digest=versions.content_hash(data),
        )
    except newcourse.CourseRefused as refused:
        raise ZipRefused(f"course.yml: {refused}") from None
    except FigureError as refused:
        raise ZipRefused(f"A figure: {refused}") from None
    draft.author_id = user.id
    draft.base_id = course.current_version_id
    draft.change_note = f"Uploaded as a ZIP ({data.meta.version})."
    drafts.touch(draft)
    return Uploaded(course, draft, created)
