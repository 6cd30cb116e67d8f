"""A course as a ZIP: downloaded as the canonical export, uploaded into the uploader's draft
(or a new course they own), and every hostile archive refused before anything is written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content import export
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion
from eduapp.studio import coursezip, drafts
from tests.conftest import FIXTURES, AuthActions, catalogue, csrf_token
from tests.studio.test_publishing import PUBLISH, SLUG, STUDIO, course, person, signed_in

UPLOAD = "/studio/upload"
DOWNLOAD = STUDIO + "/export.zip"


def zipped(files: dict[str, bytes], top: str = SLUG, links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{top}/{name}" if top else name, data)
        for name in links:
            info = zipfile.ZipInfo(f"{top}/{name}")
            info.external_attr = 0o120777 << 16  # a symbolic link
            archive.writestr(info, "../../etc/passwd")
    return buffer.getvalue()


def post_zip(client: FlaskClient, data: bytes, name: str = "course.zip") -> object:
    return client.post(
        UPLOAD,
        data={"csrf_token": csrf_token(client, UPLOAD), "archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def current_files() -> dict[str, bytes]:
    row = course()
    return export.files_of(row, db.session.get_one(CourseVersion, row.current_version_id))


def test_the_download_is_the_canonical_export_in_a_folder(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    answer = ivy.get(DOWNLOAD)
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert 'filename="sample-course-1.0.zip"' in answer.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
        got = {i.filename.split("/", 1)[1]: archive.read(i) for i in archive.infolist()}
    assert got == current_files()
    assert ivy.get(DOWNLOAD).data == answer.data  # the same bytes every time
    assert "Download as files (ZIP)" in ivy.get(STUDIO).get_data(as_text=True)


def test_an_uploaded_zip_becomes_the_uploaders_draft_and_publishes(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    files = current_files()
    files["01-first-steps.md"] = files["01-first-steps.md"].replace(
        b"the manual manipulation", b"the skilled manual manipulation"
    )
    answer = post_zip(ivy, zipped(files))
    assert answer.status_code == 302 and answer.headers["Location"].endswith(PUBLISH)
    page = ivy.get(PUBLISH).get_data(as_text=True)
    assert "now holds the ZIP" in page and "Changed: First Steps" in page
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None and draft.base_id == course().current_version_id
    module = drafts.module_of(draft, "first-steps")
    assert module is not None and "skilled manual manipulation" in (module.source or "")
    published = ivy.post(
        PUBLISH,
        data={"label": "1.0.1", "note": "From git.", "csrf_token": csrf_token(ivy, PUBLISH)},
    )
    assert published.status_code == 302
    assert b"skilled manual" in current_files()["01-first-steps.md"]


def test_a_zip_with_a_new_slug_is_a_new_course_its_uploader_owns(
    app: Flask, imported: None, make_user
) -> None:
    make_user("nia@example.org", "Nia", role="instructor")
    nia = app.test_client()
    AuthActions(nia).login("nia@example.org")
    files = current_files()
    files["course.yml"] = files["course.yml"].replace(b"slug: sample-course", b"slug: my-copy")
    answer = post_zip(nia, zipped(files, top="my-copy"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    db.session.rollback()
    created = db.session.execute(db.select(Course).filter_by(slug="my-copy")).scalar_one()
    assert created.current_version_id is None and created.status == "draft"
    assert "/studio/courses/my-copy" in nia.get("/studio").get_data(as_text=True)


def big_entry() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{SLUG}/course.yml", b"slug: sample-course\n")
        with archive.open(f"{SLUG}/figures/huge.svg", "w") as entry:
            for _ in range(51):
                entry.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def many_entries() -> bytes:
    return zipped({f"f{i}.md": b"x" for i in range(501)})


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("not a zip", lambda: b"just text", "not a ZIP archive"),
    ("too many entries", many_entries, "a course may have at most 500"),
    ("too big unpacked", big_entry, "more than 50 MB once unpacked"),
    ("absolute path", lambda: zipped({"/etc/course.yml": b"x"}, top=""), "must be relative"),
    ("parent path", lambda: zipped({"../course.yml": b"x"}), "may not go up a folder"),
    (
        "link",
        lambda: zipped({"course.yml": b"slug: sample-course"}, links=("figures/a.svg",)),
        "links are not accepted",
    ),
    (
        "nested zip",
        lambda: zipped({"course.yml": b"x", "inner.zip": zipped({"a": b"b"})}),
        "archive inside the archive",
    ),
    (
        "disguised archive",
        lambda: zipped({"course.yml": b"x", "figures/a.png": zipped({"a": b"b"})}),
        "archive inside the archive",
    ),
    ("no course.yml", lambda: zipped({"a.md": b"x", "b/c.md": b"y"}, top=""), "has no course.yml"),
    ("no slug", lambda: zipped({"course.yml": b"title: x"}), "give the course"),
]


@pytest.mark.parametrize(("case", "make", "message"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_archives_are_refused_and_write_nothing(
    app: Flask,
    imported: None,
    make_user,
    table_counts,
    case: str,
    make: Callable[[], bytes],
    message: str,
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    before = table_counts()
    answer = post_zip(ivy, make())
    assert answer.status_code == 200
    assert message in answer.get_data(as_text=True), case
    assert table_counts() == before


def test_a_course_file_problem_is_named_by_file_and_line(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    files = current_files()
    files["final.quiz.yml"] = files["final.quiz.yml"].replace(
        b"passing_score: 50", b"passing_score: 500"
    )
    before = table_counts()
    page = post_zip(ivy, zipped(files)).get_data(as_text=True)
    assert "sample-course/final.quiz.yml:" in page and "passing_score" in page
    assert "/tmp" not in page and "eduapp-zip-" not in page
    assert table_counts() == before


def test_a_zip_of_someone_elses_course_is_refused_with_no_write(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    make_user("olga@example.org", "Olga", role="instructor")  # owns nothing
    olga = app.test_client()
    AuthActions(olga).login("olga@example.org")
    before = table_counts()
    page = post_zip(olga, zipped(current_files())).get_data(as_text=True)
    assert "which you do not own or co-author: nothing was changed" in page
    assert table_counts() == before
    assert olga.get(DOWNLOAD).status_code == 404
    learner = app.test_client()
    AuthActions(learner).signup()
    assert learner.get(UPLOAD).status_code == 403


def test_limits_are_checked_while_reading_not_from_the_header() -> None:
    """An entry whose header claims a tiny size is still counted by what it unpacks to."""
    data = big_entry()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(f"{SLUG}/figures/huge.svg").file_size > coursezip.MAX_BYTES
    lied = bytearray(data)
    # Zero the uncompressed size in the central directory: a header that lies.
    marker = bytes(lied).rfind(b"PK\x01\x02")
    lied[marker + 24 : marker + 28] = b"\x01\x00\x00\x00"
    with pytest.raises(coursezip.ZipRefused):
        coursezip.read_archive(io.BytesIO(bytes(lied)))


def test_a_shipped_course_with_evidence_claims_goes_out_and_back_in(
    app: Flask, make_user, tmp_path: Path
) -> None:
    """A course's evidence callouts name claims in the catalogue's evidence.yml: an upload is
    read with them, as an import of the folder would be (a walkthrough found it was not)."""
    from eduapp.content.importer import import_courses

    shipped = Path(__file__).resolve().parents[2] / "courses"
    (safety,) = [c for c in catalogue(shipped) if c.meta.slug == "massage-safety"]
    import_courses([safety])
    db.session.commit()
    app.config["COURSES_DIR"] = str(shipped)
    try:
        make_user("ivy@example.org", "Ivy", role="instructor")
        from tests.studio.conftest import grant

        grant("ivy@example.org", "massage-safety")
        ivy = app.test_client()
        AuthActions(ivy).login("ivy@example.org")
        data = ivy.get("/studio/courses/massage-safety/export.zip").data
        answer = post_zip(ivy, data)
        assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    finally:
        app.config["COURSES_DIR"] = str(FIXTURES / "courses")
