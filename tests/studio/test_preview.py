"""The module preview: the import's own pipeline, behind the studio's access check."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content import claims
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_course
from eduapp.content.markdown import count_words
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Module
from eduapp.studio.preview import MAX_BODY_CHARS, preview_for_version, preview_module
from tests.conftest import AuthActions, csrf_token

ROOT = Path(__file__).resolve().parents[2]
COURSE = "/studio/courses/sample-course"
PREVIEW = f"{COURSE}/preview"
REFS = [{"id": "furlan2015", "citation": "Furlan 2015."}, {"id": "nccih", "label": "NCCIH"}]


def body_of(path: Path) -> str:
    """A module file's Markdown body, as the editor would hold it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return "\n".join(lines[end + 1 :])


def post(client: FlaskClient, body: str, path: str = PREVIEW) -> object:
    return client.post(path, data={"body": body, "csrf_token": csrf_token(client, COURSE)})


# The service, without the app's routes.


def test_preview_renders_counts_and_cites() -> None:
    result = preview_module(
        "# Effleurage\n\nLong strokes toward the heart [@furlan2015; @nccih].\n",
        references=REFS,
        figures={},
    )
    assert "<h1>Effleurage</h1>" in result.html
    assert 'href="#ref-furlan2015"' in result.html and ">NCCIH</a>" in result.html
    assert result.cited == ["furlan2015", "nccih"]
    assert result.word_count == count_words(result.html) and result.minutes == 1
    assert result.problems == []


def test_reading_time_is_the_loaders_200_words_a_minute() -> None:
    assert preview_module("word " * 1000, references=[], figures={}).minutes == 5


def test_problems_come_back_as_messages_with_lines_never_raised() -> None:
    body = "\n".join(
        [
            "Intro.",
            "",
            "Claim [@smith2020].",
            "",
            "::: evidence massage-cures-all [@furlan2015]",
            "Text.",
            ":::",
            "",
            '![Both palms gliding up the back](figures/missing.svg "Effleurage")',
            "",
            '![image](figures/also-missing.svg "Caption")',
            "",
            "Cited [@a, @b].",
        ]
    )
    registry = claims.Registry("evidence.yml", exists=True)
    result = preview_module(body, references=REFS, figures={}, registry=registry)
    assert result.problems == [
        # In the studio's words: no file names, no server paths.
        "line 3: unknown reference id 'smith2020' (add it to the course's references in Settings)",
        "line 5: claim 'massage-cures-all' is not in the catalogue's list of evidence claims "
        "(pick a registered claim with the Evidence callout… button)",
        "line 9: no such figure: figures/missing.svg (upload it to the course's figures first)",
        "line 11: alt text 'image' is a generic word; say what the figure shows",
        "line 13: citations in one bracket are separated by semicolons: write [@a; @b], "
        "not [@a, @b]",
    ]
    assert "Intro." in result.html  # the text still shows beside its problems


def test_an_empty_body_is_a_problem_not_an_error() -> None:
    result = preview_module("  \n", references=[], figures={})
    assert result.problems == ["line 1: the module has no text yet"]
    assert result.word_count == 0


@pytest.mark.parametrize("slug", ["massage-techniques", "body-mechanics-documentation"])
def test_preview_equals_what_import_stores(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch, slug: str
) -> None:
    """Figures, claims from evidence.yml, checked blocks, labels: the same bytes both ways."""
    folder = ROOT / "courses" / slug
    import_courses([load_course(folder)])
    db.session.commit()
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
    version = db.session.get_one(CourseVersion, course.current_version_id)
    modules = {
        m.slug: m
        for m in db.session.execute(db.select(Module).filter_by(course_id=course.id)).scalars()
    }
    files = sorted(folder.glob("[0-9]*-*.md"))
    assert len(files) == len(modules) >= 3
    for path in files:
        stored = modules[path.stem.split("-", 1)[1]]
        result = preview_for_version(version, body_of(path), ROOT / "courses")
        assert result.problems == [], path.name
        assert result.html == stored.body_html, path.name
        assert result.word_count == stored.word_count, path.name

    # And through the route, as the editor's script receives it.
    monkeypatch.setitem(app.config, "COURSES_DIR", str(ROOT / "courses"))
    make_user("root@example.org", "Root", role="admin")
    client = app.test_client()
    AuthActions(client).login("root@example.org")
    path = files[0]
    response = client.post(
        f"/studio/courses/{slug}/preview",
        # A browser sends a textarea's lines with CRLF; a file reads with LF.
        data={
            "body": body_of(path).replace("\n", "\r\n"),
            "csrf_token": csrf_token(client, f"/studio/courses/{slug}"),
        },
    )
    assert response.status_code == 200
    assert modules[path.stem.split("-", 1)[1]].body_html in response.get_data(as_text=True)


# The route.


def test_fragment_for_the_script(instructor: FlaskClient) -> None:
    response = post(instructor, "## Stroke\n\nGlide [@furlan2015].\n\nUnknown [@nobody2020].")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<html" not in page and "<nav" not in page  # a fragment, not a page
    assert "<h2>Stroke</h2>" in page
    assert "<p>Glide" in page
    # The import's count, punctuation around citations included (see count_words).
    assert "13 words · about 1 min of reading" in page
    assert "line 5: unknown reference id &#39;nobody2020&#39;" in page


def test_full_page_without_javascript(instructor: FlaskClient) -> None:
    response = instructor.post(
        f"{PREVIEW}?page=1",
        data={"body": "Plain words here.", "csrf_token": csrf_token(instructor, COURSE)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in page and "Preview a module of" in page
    assert "Plain words here.</textarea>" in page  # the text stays in the box to edit again
    assert "3 words" in page and "No problems" in page


def test_learner_is_refused(app: Flask, make_user, imported: None) -> None:
    make_user("lee@example.org", "Lee")
    client = app.test_client()
    AuthActions(client).login("lee@example.org")
    assert post(client, "Hello").status_code == 403


def test_instructor_of_another_course_gets_404(app: Flask, make_user, imported: None) -> None:
    make_user("otto@example.org", "Otto", role="instructor")
    client = app.test_client()
    AuthActions(client).login("otto@example.org")
    assert post(client, "Hello").status_code == 404


def test_missing_csrf_token_is_400(instructor: FlaskClient) -> None:
    response = instructor.post(PREVIEW, data={"body": "Hello"})
    assert response.status_code == 400
    assert "Hello" not in response.get_data(as_text=True)


def test_oversize_body_is_refused_unrendered(instructor: FlaskClient) -> None:
    response = post(instructor, "**x** " * (MAX_BODY_CHARS // 6 + 1))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert f"at most {MAX_BODY_CHARS:,} characters" in page
    assert "<strong>" not in page


def test_a_long_module_under_the_bound_is_accepted(instructor: FlaskClient) -> None:
    # Longer than the app's default form limit (64 KB), shorter than a module may be.
    response = post(instructor, "Words and more words.\n\n" * 7000)
    assert response.status_code == 200
    assert "28,000 words" in response.get_data(as_text=True)


def test_far_too_large_a_request_is_413_before_parsing(instructor: FlaskClient) -> None:
    response = post(instructor, "\n" * 400_000)  # 1.2 MB once form-encoded
    assert response.status_code == 413


def test_a_broken_evidence_file_is_reported_not_raised(
    app: Flask, instructor: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "evidence.yml").write_text("claims: [not, a, mapping]\n")
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path))
    page = post(instructor, "Words.").get_data(as_text=True)
    assert "<li>evidence.yml: " in page and "<p>Words.</p>" in page
    (tmp_path / "evidence.yml").write_bytes(b"claims:\n  \xff\xfe: x\n")
    page = post(instructor, "Words.").get_data(as_text=True)
    assert "evidence.yml is not UTF-8 text" in page
