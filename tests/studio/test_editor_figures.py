"""Figures uploaded into a draft through the figure service, and hostile text typed into the
editor: a good image is stored and mapped, anything else is refused with a message that names
the field and writes nothing; no payload reaches the editor page unsanitised."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_course
from eduapp.extensions import db
from eduapp.figures import MAX_BYTES
from eduapp.models import CourseFigure, Figure
from eduapp.studio import drafts
from tests.conftest import AuthActions
from tests.content.figurekit import write_course
from tests.figures.imagekit import SVG, raster, svg
from tests.studio.conftest import grant
from tests.studio.editorkit import DRAFT, EDIT, course, fresh, save, start, user
from tests.studio.test_preview_xss import ALT, FIG, PAYLOADS, body, unsafe

IVY = "ivy@example.org"
UPLOAD = f"{DRAFT}/figures"


def upload(
    client: FlaskClient, token: str, data: bytes, filename: str, name: str = "", json: bool = False
) -> TestResponse:
    # The body is built here, as bytes: the test client spools a large upload to a temporary
    # file it never closes, and that ResourceWarning would fail the test.
    boundary, payload = encode_multipart(
        MultiDict(
            {
                "csrf_token": token,
                "figure": FileStorage(io.BytesIO(data), filename=filename),
                "figure_name": name,
                "module": "first-steps",
            }
        )
    )
    return client.post(
        UPLOAD,
        data=payload,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Accept": "application/json"} if json else {},
    )


def mapped() -> dict[str, str]:
    fresh()
    found = drafts.draft_of(course(), user(IVY))
    assert found is not None
    rows = db.session.scalars(db.select(CourseFigure).filter_by(version_id=found.id))
    return {row.path: row.sha256 for row in rows}


def stored() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Figure))


def test_a_png_and_an_svg_are_stored_mapped_and_offered_as_markdown(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    response = upload(instructor, token, raster("PNG"), "My Photo.PNG")
    assert response.headers["Location"] == EDIT
    page = instructor.get(EDIT).get_data(as_text=True)
    snippet = "![describe what it shows](figures/my-photo.png &#34;Caption&#34;)"
    assert "figures/my-photo.png is in your draft" in page and snippet in page
    assert "32\u00d720 px" in page  # listed with its size under the editor
    answer = upload(instructor, token, SVG.encode(), "x.svg", name="effleurage.svg", json=True)
    assert answer.status_code == 200
    assert answer.get_json()["snippet"] == (
        '![describe what it shows](figures/effleurage.svg "Caption")'
    )
    assert set(mapped()) == {"figures/my-photo.png", "figures/effleurage.svg"}
    # The same bytes under the same name again: nothing new, no error.
    assert upload(instructor, token, raster("PNG"), "my-photo.png").status_code == 302
    # The figure now renders in the draft's preview, and short alt text is flagged.
    first = drafts.module_of(drafts.draft_of(course(), user(IVY)), "first-steps")
    assert first is not None
    loaded = drafts.text_hash(first.source, first.title)
    text = '![Palms](figures/effleurage.svg "Effleurage strokes")\n'
    saved = save(instructor, token, text, based_on=loaded, json=True).get_json()
    assert len(saved["problems"]) == 1 and "alt text 'Palms' is too short" in saved["problems"][0]
    sha = mapped()["figures/effleurage.svg"]
    good = f'![{ALT}](figures/effleurage.svg "Effleurage strokes")\n'
    saved = save(instructor, token, good, based_on=saved["based_on"], json=True).get_json()
    assert saved["problems"] == []
    assert f'src="/figures/{sha}.svg"' in instructor.get(EDIT).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "filename", "name", "field", "words"),
    [
        (b"not an image at all", "fake.png", "", "figure", "is not a PNG, JPEG, WebP or SVG"),
        (raster("JPEG"), "photo.png", "", "figure", "by its content"),
        (svg("<script>alert(1)</script>"), "evil.svg", "", "figure", "script"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_BYTES, "big.png", "", "figure", "at most 1 MB"),
        (raster("PNG"), "ok.png", "Bad Name!.png", "figure_name", "is not a name we can use"),
        (raster("PNG"), "noextension", "", "figure_name", "no image extension"),
    ],
)
def test_refused_uploads_say_why_beside_the_field_and_write_nothing(
    instructor: FlaskClient, data: bytes, filename: str, name: str, field: str, words: str
) -> None:
    token = start(instructor)
    before = stored()
    response = upload(instructor, token, data, filename, name)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = page.split(f'id="{field}-error">')[1].split("</p>")[0]
    assert words in error, error
    assert 'name="body"' in page  # the editor again, with its text
    as_json = upload(instructor, token, data, filename, name, json=True)
    assert as_json.status_code == 400 and words in as_json.get_json()["message"]
    assert mapped() == {} and stored() == before


def test_a_name_taken_by_another_picture_is_refused(instructor: FlaskClient) -> None:
    token = start(instructor)
    upload(instructor, token, raster("PNG"), "effleurage.png")
    before = (mapped(), stored())
    response = upload(instructor, token, raster("PNG", colour="red"), "effleurage.png")
    page = response.get_data(as_text=True)
    assert "already a different picture in this draft" in page
    assert 'id="figure_name-error"' in page
    assert (mapped(), stored()) == before


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    response = upload(instructor, token, b"\x89PNG" + b"\0" * (2 * MAX_BYTES), "huge.png")
    assert response.status_code == 413
    assert mapped() == {}


def test_hostile_text_typed_into_the_editor_never_reaches_the_page_unsanitised(
    app: Flask, make_user, tmp_path: Path
) -> None:
    import_courses([load_course(write_course(tmp_path, "Welcome.", {FIG: SVG.encode()}))])
    db.session.commit()
    make_user(IVY, "Ivy", role="instructor")
    grant(IVY, "fig-course")
    client = app.test_client()
    AuthActions(client).login(IVY)
    token = start(client, "fig-course")
    url = "/studio/courses/fig-course/draft/modules/strokes"

    def saved_page(text: str) -> str:
        fresh()
        found = drafts.draft_of(course("fig-course"), user(IVY))
        module = drafts.module_of(found, "strokes")
        based_on = drafts.text_hash(module.source, module.title)
        response = save(client, token, text, based_on=based_on, title="Strokes", url=url)
        assert response.status_code == 302, text
        return client.get(url).get_data(as_text=True)

    baseline = sorted(unsafe(saved_page(body("Honest text."))))
    assert "<form>" in baseline and "<textarea>" in baseline  # the editor's own controls
    failures = {}
    for payload in PAYLOADS:
        page = saved_page(body(payload))
        found = sorted(unsafe(page))
        if found != baseline:
            failures[payload] = sorted(set(found) - set(baseline)) or found
        elif "<" in payload and payload in page:
            failures[payload] = ["the raw payload is on the page"]
        assert f"{ALT}" in page
    assert failures == {}
