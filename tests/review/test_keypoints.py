"""``::: keypoint`` blocks: the course format, the sanitiser, the lint, the export round trip,
the module page, and the learner's deck."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.citations import check
from eduapp.content.export import write_folder
from eduapp.content.keypoints import keypoints_of
from eduapp.content.loader import load_catalogue
from eduapp.content.markdown import render, sanitize
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Module
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder
from tests.review.helpers import COURSE, cards, due_now, review_once, travel

MODULE = COURSE + "/modules/first-steps"
BLOCKS = """

::: keypoint Short-term relief
Massage eases low back pain for weeks, **not** months [@furlan2015].
:::

::: keypoint
Cortisol barely moves.
:::
"""


@pytest.fixture
def courses(app: Flask, course_files: Path) -> Path:
    """The fixture catalogue with two key points in its first module, imported."""
    module = course_files / "sample-course" / "01-first-steps.md"
    module.write_text(module.read_text() + BLOCKS)
    import_folder(course_files)
    return course_files


def first_module() -> Module:
    db.session.rollback()
    return db.session.execute(
        db.select(Module).filter_by(slug="first-steps").order_by(Module.id.desc()).limit(1)
    ).scalar_one()


def test_a_keypoint_renders_as_a_highlighted_summary_with_its_id() -> None:
    rendered = render(BLOCKS + "\n::: keypoint Nested\n::: evidence weak\nClaim.\n:::\n:::\n").html
    assert '<aside class="keypoint" id="kp1">' in rendered
    assert '<p class="keypoint-label">Key point: Short-term relief</p>' in rendered
    assert [(p["id"], p["title"]) for p in keypoints_of(rendered)] == [
        ("kp1", "Short-term relief"),
        ("kp2", ""),
        ("kp3", "Nested"),
    ]
    assert keypoints_of(rendered)[2]["html"].startswith('<aside class="evidence evidence-weak">')
    assert keypoints_of(rendered)[2]["html"].endswith("</aside>")
    assert "<strong>not</strong>" in keypoints_of(rendered)[0]["html"]


def test_the_sanitiser_keeps_only_keypoint_ids_and_classes() -> None:
    dirty = (
        '<aside class="keypoint shout" id="kp3" onclick="x()"><p class="keypoint-label">K</p>'
        '</aside><aside class="keypoint" id="javascript">x</aside>'
    )
    clean = sanitize(dirty)
    assert '<aside class="keypoint" id="kp3">' in clean
    assert 'id="javascript"' not in clean and "onclick" not in clean
    assert "shout" not in clean


def test_the_check_names_a_malformed_keypoint_with_file_and_line() -> None:
    text = "Text.\n\n::: keypoint " + "x" * 121 + "\nBody.\n:::\n\n::: keypoint Fine\nOk.\n:::\n"
    problems = check(text, "01-a.md", 5, set())
    assert [(p.line, "a key point must read" in p.message) for p in problems] == [(7, True)]


def test_the_schema_names_the_keypoint_block() -> None:
    schema = (Path(__file__).parents[2] / "docs" / "course-format.schema.json").read_text()
    assert "::: keypoint [TITLE]" in schema


def test_keypoints_are_stored_at_import_and_survive_the_export_round_trip(
    courses: Path, tmp_path: Path
) -> None:
    module = first_module()
    assert [p["id"] for p in module.keypoints] == ["kp1", "kp2"]
    course = db.session.execute(db.select(Course)).scalar_one()
    version = db.session.get_one(CourseVersion, course.current_version_id)
    out = tmp_path / "exported"
    out.mkdir()
    write_folder(course, version, out / "sample-course")
    assert (
        "::: keypoint Short-term relief"
        in (out / "sample-course" / "01-first-steps.md").read_text()
    )
    data = load_catalogue(out)
    [exported] = [m for c in data for m in c.modules if m.slug == "first-steps"]
    assert keypoints_of(exported.body_html) == module.keypoints


def test_a_learner_adds_a_keypoint_and_reviews_it(
    client: FlaskClient, auth: AuthActions, courses: Path, clock
) -> None:
    auth.signup()
    page = client.get(MODULE).get_data(as_text=True)
    assert '<aside class="keypoint" id="kp1">' in page
    assert page.count("Add to my review deck") == 2
    token = csrf_token(client, MODULE)
    added = client.post(
        "/review" + MODULE + "/keypoints", data={"keypoint": "kp1", "csrf_token": token}
    )
    assert added.status_code == 302, added.get_data(as_text=True)[-600:]
    assert added.headers["Location"].endswith("#kp1")
    again = client.post(
        "/review" + MODULE + "/keypoints", data={"keypoint": "kp1", "csrf_token": token}
    )
    assert again.status_code == 302
    assert [(c.kind, c.item) for c in cards()] == [("keypoint", "first-steps/kp1")]
    assert page.count("in your review deck") == 0
    assert "in your review deck" in client.get(MODULE).get_data(as_text=True)
    unknown = client.post(
        "/review" + MODULE + "/keypoints", data={"keypoint": "kp9", "csrf_token": token}
    )
    assert unknown.status_code == 404
    assert due_now(client) == 1
    session = client.get("/review/session").get_data(as_text=True)
    assert "Short-term relief" in session and "weeks, <strong>not</strong> months" not in session
    answer = review_once(client, "good")
    assert "weeks, <strong>not</strong> months" in answer
    travel(client, clock, timedelta(minutes=30))
    assert re.search(r"Read “First Steps” again", answer)


def test_keypoint_cards_follow_the_version(
    client: FlaskClient, auth: AuthActions, courses: Path
) -> None:
    auth.signup()
    client.post(COURSE + "/start", data={"csrf_token": csrf_token(client, COURSE)})
    token = csrf_token(client, MODULE)
    for point in ("kp1", "kp2"):
        client.post(
            "/review" + MODULE + "/keypoints", data={"keypoint": point, "csrf_token": token}
        )
    module = courses / "sample-course" / "01-first-steps.md"
    text = module.read_text()
    text = text.replace("for weeks, **not** months", "for a few weeks")
    text = text[: text.index("::: keypoint\nCortisol")]  # the second key point is gone
    module.write_text(text)
    import_folder(courses)
    client.post(COURSE + "/move-to-newest", data={"csrf_token": csrf_token(client, COURSE)})
    client.get("/review")
    by_item = {c.item: c for c in cards()}
    assert by_item["first-steps/kp2"].retired
    first = by_item["first-steps/kp1"]
    assert not first.retired and "for a few weeks" in first.content["html"]
    assert first.version_id == first_module().version_id
