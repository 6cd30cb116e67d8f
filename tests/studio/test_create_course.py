"""Creating a course in the studio: the creator owns it and has its draft with one empty
module; until a first publish learners cannot see it and no page breaks on it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Course, CourseOwner, CourseVersion, Module, User
from eduapp.studio import drafts
from tests.conftest import AuthActions, csrf_token
from tests.studio.conftest import grant
from tests.studio.test_gradebook_csv import ask, build
from tests.studio.test_settings import seen

NEW = "/studio/courses/new"


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def create(client: FlaskClient, **fields: str) -> Any:
    data = {
        "csrf_token": csrf_token(client, NEW),
        "title": "Neck Pain Basics",
        "slug": "",
        "summary": "What the evidence says about massage for neck pain.",
        **fields,
    }
    return client.post(NEW, data=data)


def the_course(slug: str = "neck-pain-basics") -> Course:
    db.session.rollback()  # see what the requests committed
    return db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()


def test_an_instructor_creates_a_course_they_own_with_a_draft_and_a_first_module(
    instructor: FlaskClient,
) -> None:
    response = create(instructor)
    assert response.status_code == 302
    assert response.location.endswith("/studio/courses/neck-pain-basics")
    course = the_course()
    assert (course.status, course.version, course.current_version_id) == ("draft", "0.1.0", None)
    ivy = db.session.execute(db.select(User).filter_by(email="ivy@example.org")).scalar_one()
    owner = db.session.execute(db.select(CourseOwner).filter_by(course_id=course.id)).scalar_one()
    assert (owner.user_id, owner.role, owner.added_by_id) == (ivy.id, "owner", ivy.id)
    draft = drafts.draft_of(course, ivy)
    assert draft is not None
    assert (draft.number, draft.base_id, draft.source, draft.label) == (
        None,
        None,
        "studio",
        "0.1.0",
    )
    assert draft.title == "Neck Pain Basics" and draft.authors == ["Ivy"]
    assert draft.summary == "What the evidence says about massage for neck pain."
    modules = drafts.modules_of(draft)
    assert [(m.slug, m.title, m.position) for m in modules] == [("introduction", "Introduction", 1)]
    assert draft.module_count == 1
    page = instructor.get(response.location).get_data(as_text=True)
    assert "“Neck Pain Basics” is created" in page
    assert "Not published yet" in page
    assert "/courses/neck-pain-basics" not in page.replace("/studio/courses/", "")
    assert 'href="/studio/courses/neck-pain-basics/draft/settings"' in page


def test_the_slug_is_suggested_from_the_title_or_chosen(instructor: FlaskClient) -> None:
    assert create(instructor, title="Pétrissage & Stress: 101").status_code == 302
    assert the_course("petrissage-stress-101").title == "Pétrissage & Stress: 101"
    assert create(instructor, title="Another", slug="my-own-address").status_code == 302
    assert the_course("my-own-address").title == "Another"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "sample-course"}, "Web address: another course already uses “sample-course”"),
        ({"slug": "new"}, "another course already uses “new”"),
        ({"slug": "Neck Pain"}, "Web address: “Neck Pain” may use only lowercase letters"),
        ({"slug": "neck--pain"}, "may use only lowercase letters"),
        ({"slug": "a" * 81}, "at most 80 characters"),
        ({"title": "  "}, "Title: give the course a title."),
        ({"title": "T" * 201}, "Title: at most 200 characters."),
        ({"summary": ""}, "Summary: say in a sentence or two"),
    ],
)
def test_a_refused_course_names_its_field_and_writes_nothing(
    instructor: FlaskClient, table_counts, fields: dict[str, str], message: str
) -> None:
    before = table_counts()
    response = create(instructor, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert table_counts() == before


def test_a_folder_in_the_course_files_takes_its_slug(
    app: Flask, instructor: FlaskClient, table_counts, tmp_path: Any
) -> None:
    """A course folder not imported yet: a studio course of that name would meet the import."""
    (tmp_path / "neck-pain-basics").mkdir()
    app.config["COURSES_DIR"], before_dir = str(tmp_path), app.config["COURSES_DIR"]
    try:
        before = table_counts()
        html = create(instructor).get_data(as_text=True)
        assert "another course already uses “neck-pain-basics”" in html
        assert table_counts() == before
    finally:
        app.config["COURSES_DIR"] = before_dir


def test_a_second_course_with_the_same_title_gets_a_clear_refusal(
    instructor: FlaskClient,
) -> None:
    assert create(instructor).status_code == 302
    html = create(instructor).get_data(as_text=True)
    assert "another course already uses “neck-pain-basics”" in html


def test_learners_may_not_create_and_csrf_is_required(
    app: Flask, instructor: FlaskClient, make_user, table_counts
) -> None:
    make_user("lea@example.org", "Lea")
    lea = signed_in(app, "lea@example.org")
    before = table_counts()
    assert lea.get(NEW).status_code == 403
    token = csrf_token(lea, "/")
    data = {"csrf_token": token, "title": "X", "summary": "Y"}
    assert lea.post(NEW, data=data).status_code == 403
    assert instructor.post(NEW, data={"title": "X", "summary": "Y"}).status_code == 400
    assert table_counts() == before
    assert "Create a course" in instructor.get("/studio").get_data(as_text=True)


def test_a_course_never_published_is_hidden_from_learners_and_breaks_no_page(
    app: Flask, instructor: FlaskClient, make_user
) -> None:
    instructor.get(create(instructor).location)  # the flash naming the course is shown
    make_user("lea@example.org", "Lea")
    make_user("ada@example.org", "Ada", role="admin")
    make_user("olly@example.org", "Olly", role="instructor")
    lea, ada = signed_in(app, "lea@example.org"), signed_in(app, "ada@example.org")
    olly = signed_in(app, "olly@example.org")
    for client in (lea, ada, instructor, app.test_client()):
        assert "Neck Pain Basics" not in client.get("/").get_data(as_text=True)
        assert client.get("/courses/neck-pain-basics").status_code == 404  # managers too
        for path in (
            "/courses/neck-pain-basics",
            "/courses/neck-pain-basics/modules/introduction",
            "/courses/neck-pain-basics/quizzes/final",
        ):
            assert client.get(path).status_code in (302, 404), path  # 302: sign in first
    assert lea.get("/my-learning").status_code == 200
    assert lea.get("/studio/courses/neck-pain-basics").status_code == 403
    assert olly.get("/studio/courses/neck-pain-basics").status_code == 404
    assert "Neck Pain Basics" not in olly.get("/studio").get_data(as_text=True)
    for client in (instructor, ada):
        mine = client.get("/studio").get_data(as_text=True)
        row = mine.split("Neck Pain Basics")[1].split("</tr>")[0]
        assert "Not published yet" in row
        for path in (
            "/studio/courses/neck-pain-basics",
            "/studio/courses/neck-pain-basics/draft/settings",
            "/courses/neck-pain-basics/evaluations",
            "/studio/courses/neck-pain-basics/gradebook",  # nobody enrolled: empty figures
            "/studio/courses/neck-pain-basics/gradebook/summary.csv",
        ):
            assert client.get(path).status_code in (200, 302), path
        # The learners' rows: asked for, then built by the job (the header alone).
        path = ask(client, "/studio/courses/neck-pain-basics/gradebook")
        build(path)
        assert client.get(path + "/download").status_code == 200
    # The creator edits the draft's settings; the admin has no draft and nothing to start
    # one from, and is told so instead of meeting an error.
    assert "Settings of Neck Pain Basics" in instructor.get(
        "/studio/courses/neck-pain-basics/draft/settings"
    ).get_data(as_text=True)
    response = ada.get("/studio/courses/neck-pain-basics/draft/settings")
    assert response.status_code == 302
    assert "no published version yet" in ada.get(response.location).get_data(as_text=True)
    token = csrf_token(instructor, "/studio/courses/neck-pain-basics")
    preview = "/studio/courses/neck-pain-basics/preview"
    assert instructor.post(preview, data={"csrf_token": token, "body": "Hi"}).status_code == 200
    token = csrf_token(ada, "/studio/courses/neck-pain-basics")
    assert ada.post(preview, data={"csrf_token": token, "body": "Hi"}).status_code == 404


def test_a_new_courses_settings_save_into_the_creators_draft(
    instructor: FlaskClient,
) -> None:
    create(instructor)
    url = "/studio/courses/neck-pain-basics/draft/settings"
    data = {
        "csrf_token": csrf_token(instructor, url),
        "seen": seen(instructor, url),
        "title": "Neck Pain Basics",
        "summary": "What the evidence says.",
        "objectives": "Explain what the evidence says about neck pain.",
        "authors": "Ivy Instructor, LMT",
        "reviewed_on": "",
        "ce_hours": "0",
        "passing_score": "80",
        "references-0-ref_id": "bervoets2015",
        "references-0-citation": "Bervoets DC, et al. Massage therapy has short-term benefits. "
        "J Physiother 2015.",
        "references-0-link": "10.1016/j.jphys.2015.05.018",
    }
    assert instructor.post(url, data=data).status_code == 302
    course = the_course()
    draft = db.session.execute(db.select(CourseVersion).filter_by(course_id=course.id)).scalar_one()
    assert draft.objectives == ["Explain what the evidence says about neck pain."]
    assert draft.references[0]["doi"] == "10.1016/j.jphys.2015.05.018"
    assert db.session.scalar(db.select(db.func.count(Module.id)).filter_by(version_id=draft.id))


def test_a_co_author_of_an_unpublished_course_is_told_why_there_is_no_draft(
    app: Flask, instructor: FlaskClient, make_user, table_counts
) -> None:
    create(instructor)
    make_user("cora@example.org", "Cora", role="instructor")
    grant("cora@example.org", "neck-pain-basics", role="co-author")
    cora = signed_in(app, "cora@example.org")
    url = "/studio/courses/neck-pain-basics/draft/settings"
    before = table_counts()
    token = csrf_token(cora, "/studio/courses/neck-pain-basics")
    response = cora.post(url, data={"csrf_token": token, "title": "Mine"})
    assert response.status_code == 302
    assert "no published version yet" in cora.get(response.location).get_data(as_text=True)
    assert table_counts() == before


@pytest.mark.parametrize(
    "payload",
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>"],
)
def test_hostile_titles_and_summaries_are_escaped(instructor: FlaskClient, payload: str) -> None:
    response = create(instructor, title=f"Course {payload}", slug="hostile", summary=payload)
    assert response.status_code == 302
    for page in ("/studio", "/studio/courses/hostile", "/studio/courses/hostile/draft/settings"):
        html = instructor.get(page).get_data(as_text=True)
        assert payload not in html, page
        assert "Course &lt;" in html or "Course &#34;&gt;" in html, page
    html = create(instructor, title=payload, slug="hostile").get_data(as_text=True)
    assert payload not in html  # refused (the address is taken), the typed title escaped
