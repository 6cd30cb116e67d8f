"""Publishing a draft: a change note and a later version number, checks the import would make,
a draft started before someone else published brought up to date first (both texts shown where
both changed the same module), and a second instructor's approval where a course asks for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, User
from eduapp.studio import drafts
from tests.conftest import FIXTURES, AuthActions, csrf_token
from tests.coursefiles import import_folder
from tests.studio.conftest import grant

SLUG = "sample-course"
STUDIO = f"/studio/courses/{SLUG}"
PUBLISH = STUDIO + "/publish"


def course() -> Course:
    db.session.rollback()
    return db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()


def person(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def signed_in(app: Flask, make_user, email: str, name: str) -> FlaskClient:
    make_user(email, name, role="instructor")
    grant(email, SLUG, role="owner" if email.startswith("ivy") else "co-author")
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def edit(email: str, slug: str, text: str) -> None:
    """Save a module's text into this author's draft, as the editor does."""
    draft = drafts.open_draft(course(), person(email))
    module = drafts.module_of(draft, slug)
    assert module is not None
    drafts.save_module(
        draft,
        module,
        title=module.title,
        source=text,
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=FIXTURES / "courses",
    )
    db.session.commit()


def publish(client: FlaskClient, label: str, note: str = "Fixed a sentence.") -> object:
    return client.post(
        PUBLISH, data={"label": label, "note": note, "csrf_token": csrf_token(client, PUBLISH)}
    )


def published() -> list[tuple[int, str, str]]:
    db.session.rollback()
    return [
        tuple(row)
        for row in db.session.execute(
            db.select(CourseVersion.number, CourseVersion.label, CourseVersion.source)
            .where(CourseVersion.number.is_not(None))
            .order_by(CourseVersion.number)
        )
    ]


def seen(client: FlaskClient, review: str) -> str:
    """Which state of the draft the review page shows (its hidden ``seen`` field)."""
    html = client.get(review).get_data(as_text=True)
    match = re.search(r'name="seen" type="hidden" value="([^"]*)"', html) or re.search(
        r'type="hidden" name="seen" value="([^"]*)"', html
    )
    assert match, "no seen field on the review page"
    return match.group(1)


FIX = "Massage is the skilled manual manipulation of soft tissue [@furlan2015]."


def test_publish_a_fix_learners_get_it_and_make_runs_import_keeps_it(
    app: Flask, imported: None, make_user, course_files: Path
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy Instructor")
    assert ivy.get(PUBLISH).headers["Location"].endswith(STUDIO)  # no draft yet
    edit("ivy@example.org", "first-steps", FIX)
    page = ivy.get(PUBLISH).get_data(as_text=True)
    assert "Changed: First Steps" in page
    assert 'value="1.0.1"' in page and "wording and corrections" in page
    assert "Every module renders without a problem." in page
    done = publish(ivy, "1.0.1", "Says what kind of manipulation massage is.")
    assert done.status_code == 302
    assert published() == [(1, "1.0", "files"), (2, "1.0.1", "studio")]
    version = db.session.execute(db.select(CourseVersion).filter_by(number=2)).scalar_one()
    assert version.published_by_id == person("ivy@example.org").id
    assert version.change_note == "Says what kind of manipulation massage is."
    assert course().current_version_id == version.id and course().version == "1.0.1"
    history = ivy.get(STUDIO).get_data(as_text=True)
    assert "Says what kind of manipulation massage is." in history and "Ivy Instructor" in history

    learner = app.test_client()
    AuthActions(learner).signup()
    module = "/courses/sample-course/modules/first-steps"
    assert "skilled manual manipulation" in learner.get(module).get_data(as_text=True)

    # make run imports courses/ on every start: unchanged files leave the fix alone, and changed
    # files are skipped with a warning naming Ivy and her version.
    assert [r.summary() for r in import_courses(load_catalogue(FIXTURES / "courses"))] == [
        "sample-course: unchanged"
    ]
    db.session.commit()
    file = course_files / SLUG / "02-second-module.md"
    file.write_text(file.read_text() + "\nChanged in git.\n")
    (report,) = import_folder(course_files)
    assert "Ivy Instructor <ivy@example.org> published version 2 (1.0.1)" in report.summary()
    assert "skilled manual manipulation" in learner.get(module).get_data(as_text=True)
    assert published()[-1] == (2, "1.0.1", "studio")


@pytest.mark.parametrize(
    ("label", "note", "message"),
    [
        ("v2", "Fixed.", "Write the version as numbers with dots, like 1.2.0."),
        ("1.0", "Fixed.", "Version 1.0 is already taken; choose a later number."),
        ("0.9.9", "Fixed.", "Version 0.9.9 is not later than 1.0; choose a later number."),
        ("1.0.1", "", "Say what changed, for learners and the record."),
    ],
)
def test_bad_version_numbers_and_notes_are_refused_by_field(
    app: Flask, imported: None, make_user, table_counts, label: str, note: str, message: str
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "first-steps", FIX)
    before = table_counts()
    page = publish(ivy, label, note)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert table_counts() == before


def test_problems_the_import_would_refuse_block_publishing(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    edit("ivy@example.org", "first-steps", "Cites a source nobody listed [@nobody2099].")
    page = publish(ivy, "1.0.1").get_data(as_text=True)
    assert "Fix these first" in page and "nobody2099" in page
    assert published() == [(1, "1.0", "files")]


def test_a_draft_behind_a_newer_version_is_brought_up_to_date_first(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    edit("ivy@example.org", "first-steps", FIX)
    edit("cora@example.org", "second-module", "Cora's rewrite of the second module.")
    assert publish(cora, "1.1.0").status_code == 302

    page = publish(ivy, "1.2.0").get_data(as_text=True)
    assert "was published after you started this draft" in page
    assert published()[-1] == (2, "1.1.0", "studio")
    assert "Someone published version 1.1.0 after you started" in ivy.get(PUBLISH).get_data(
        as_text=True
    )
    update = STUDIO + "/draft/update"
    done = ivy.post(update, data={"csrf_token": csrf_token(ivy, PUBLISH)})
    assert done.status_code == 302
    assert publish(ivy, "1.2.0").status_code == 302
    newest = db.session.get_one(CourseVersion, course().current_version_id)
    texts = {m.slug: m.source for m in drafts.modules_of(newest)}
    assert texts["first-steps"] == FIX
    assert texts["second-module"] == "Cora's rewrite of the second module."


def test_both_changed_the_same_module_shows_both_texts_and_asks(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    edit("ivy@example.org", "first-steps", "Ivy's version of the text.")
    edit("cora@example.org", "first-steps", "Cora's version of the text.")
    assert publish(cora, "1.0.1").status_code == 302
    update = STUDIO + "/draft/update"
    before = table_counts()
    asked = ivy.post(update, data={"csrf_token": csrf_token(ivy, PUBLISH)})
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert "Ivy&#39;s version of the text." in html and "Cora&#39;s version of the text." in html
    assert table_counts() == before
    kept = ivy.post(
        update, data={"csrf_token": csrf_token(ivy, PUBLISH), "choice-first-steps": "mine"}
    )
    assert kept.status_code == 302
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert drafts.module_of(draft, "first-steps").source == "Ivy's version of the text."
    assert draft.base_id == course().current_version_id


def test_lint_findings_are_recorded_per_version_and_shown(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    version = db.session.get_one(CourseVersion, course().current_version_id)
    assert [(f["severity"], f["quiz"]) for f in version.lint] == [("warning", "01-first-steps")]
    page = ivy.get(STUDIO).get_data(as_text=True)
    section = page.split('id="lint"')[1]
    assert "0 errors (they block a CE final) and 1 warning" in section
    assert version.lint[0]["message"] in section.replace("&#39;", "'").replace("&#34;", '"')
    draft = drafts.open_draft(course(), person("ivy@example.org"))
    assert draft.lint == version.lint  # the editor does not change quizzes


def test_a_course_created_in_the_studio_is_published_listed_and_taken(
    app: Flask, make_user, client: FlaskClient
) -> None:
    from eduapp.studio.newcourse import create_course

    make_user("ivy@example.org", "Ivy", role="instructor")
    create_course(
        title="Draping Basics",
        slug="draping-basics",
        summary="How to drape a client securely and respectfully.",
        creator=person("ivy@example.org"),
    )
    db.session.commit()
    ivy = app.test_client()
    AuthActions(ivy).login("ivy@example.org")
    studio, publish_page = (
        "/studio/courses/draping-basics",
        "/studio/courses/draping-basics/publish",
    )
    new = db.session.execute(db.select(Course).filter_by(slug="draping-basics")).scalar_one()
    edit_draft = drafts.draft_of(new, person("ivy@example.org"))
    intro = drafts.modules_of(edit_draft)[0]
    drafts.save_module(
        edit_draft,
        intro,
        title="Introduction",
        source="Drape so that only the area being worked on is uncovered.",
        based_on=drafts.text_hash(intro.source, intro.title),
        catalogue=FIXTURES / "courses",
    )
    db.session.commit()
    page = ivy.get(publish_page).get_data(as_text=True)
    assert 'value="1.0.0"' in page and "the course&#39;s first published version" in page
    assert "Show the course in the catalogue" in page
    done = ivy.post(
        publish_page,
        data={
            "label": "1.0.0",
            "note": "First version.",
            "listed": "y",
            "csrf_token": csrf_token(ivy, publish_page),
        },
    )
    assert done.status_code == 302
    AuthActions(client).signup()
    assert "Draping Basics" in client.get("/").get_data(as_text=True)
    client.post(
        "/courses/draping-basics/start",
        data={"csrf_token": csrf_token(client, "/courses/draping-basics")},
    )
    module = client.get("/courses/draping-basics/modules/introduction").get_data(as_text=True)
    assert "only the area being worked on is uncovered" in module

    # Out of the catalogue: new learners no longer find it; the enrolled one keeps it.
    ivy.post(studio + "/listing", data={"csrf_token": csrf_token(ivy, studio)})
    assert "Draping Basics" not in app.test_client().get("/").get_data(as_text=True)
    assert app.test_client().get("/courses/draping-basics").status_code == 404
    assert client.get("/courses/draping-basics/modules/introduction").status_code == 200
