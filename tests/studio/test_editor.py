"""The draft overview and the module editor, through their routes: a draft opened from the
course page, saves that change only the draft, problems flashed, a save over a newer save
refused with both texts (JSON 409 and a no-JavaScript page), modules added, moved and the
draft discarded after a confirmation, and who may reach any of it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import CourseVersion, Module
from eduapp.studio import drafts
from eduapp.studio.preview import MAX_BODY_CHARS
from tests.conftest import AuthActions, csrf_token
from tests.studio.conftest import grant
from tests.studio.editorkit import (
    COURSE,
    DRAFT,
    EDIT,
    course,
    draft_module,
    published_module,
    save,
    start,
    user,
)

IVY = "ivy@example.org"


def test_start_editing_opens_a_draft_listed_on_the_course_page(instructor: FlaskClient) -> None:
    page = instructor.get(f"/studio/courses/{COURSE}").get_data(as_text=True)
    assert "Start editing" in page and "Continue your draft" not in page
    assert "Start editing" in instructor.get(DRAFT).get_data(as_text=True)
    start(instructor)
    overview = instructor.get(DRAFT).get_data(as_text=True)
    assert "Based on" in overview and "version 1.0" in overview and "Last saved" in overview
    assert overview.index("First Steps") < overview.index("Second Module")
    assert f'href="{EDIT}"' in overview
    assert "Continue your draft" in instructor.get(f"/studio/courses/{COURSE}").get_data(
        as_text=True
    )
    start(instructor)  # pressed again (another tab): the same draft
    db.session.rollback()
    versions = db.session.scalars(
        db.select(CourseVersion).filter_by(course_id=course().id, author_id=user(IVY).id)
    ).all()
    assert len(versions) == 1


def test_a_save_changes_the_draft_and_not_what_learners_read(
    instructor: FlaskClient, app: Flask, make_user
) -> None:
    token = start(instructor)
    before = published_module().source
    editor = instructor.get(EDIT).get_data(as_text=True)
    assert 'name="based_on"' in editor and drafts.text_hash(before, "First Steps") in editor
    assert "Massage is the manual manipulation" in editor  # the source, in the textarea
    response = save(
        instructor,
        token,
        "A new first paragraph [@furlan2015].\r\n",
        based_on=drafts.text_hash(before, "First Steps"),
        title="First Steps, revised",
    )
    assert response.status_code == 302 and response.headers["Location"] == EDIT
    page = instructor.get(EDIT).get_data(as_text=True)
    assert "Saved." in page and "problem" not in page.split("flashes")[1].split("</div>")[0]
    changed = draft_module(IVY)
    assert (changed.title, changed.source) == (
        "First Steps, revised",
        "A new first paragraph [@furlan2015].\n",
    )
    assert "A new first paragraph" in changed.body_html
    assert (published_module().title, published_module().source) == ("First Steps", before)
    make_user("lea@example.org", "Lea")
    learner = app.test_client()
    AuthActions(learner).login("lea@example.org")
    reading = learner.get(f"/courses/{COURSE}/modules/first-steps").get_data(as_text=True)
    assert "manual manipulation" in reading and "A new first paragraph" not in reading


def test_a_save_without_javascript_lists_the_problems_with_their_lines(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    based_on = drafts.text_hash(published_module().source, published_module().title)
    body = "Fine text.\n\nA claim [@nobody2020].\n"
    response = save(instructor, token, body, based_on=based_on, json=False)
    flash = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved. 1 problem would stop this module from being published: line 3:" in flash
    assert "nobody2020" in flash
    assert draft_module(IVY).source == body  # saved all the same: nothing typed is lost


def test_autosave_answers_json_and_a_newer_save_is_refused_with_both_texts(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    loaded = drafts.text_hash(published_module().source, published_module().title)
    first = save(instructor, token, "Tab one's text.", based_on=loaded, json=True)
    assert first.status_code == 200
    answer = first.get_json()
    assert answer["based_on"] == drafts.text_hash("Tab one's text.", "First Steps")
    assert re.fullmatch(r"\d\d:\d\d", answer["saved_at"]) and answer["problems"] == []
    # A second tab still holds the text from before and saves: refused, both texts back.
    second = save(instructor, token, "Tab two's text.", based_on=loaded, json=True)
    assert second.status_code == 409
    conflict = second.get_json()
    assert (conflict["mine"], conflict["theirs"]) == ("Tab two's text.", "Tab one's text.")
    assert (
        conflict["based_on"] == answer["based_on"] and "saved somewhere else" in conflict["message"]
    )
    assert draft_module(IVY).source == "Tab one's text."
    # "Keep my text": saved again, based on the saved text.
    kept = save(instructor, token, "Tab two's text.", based_on=conflict["based_on"], json=True)
    assert kept.status_code == 200 and draft_module(IVY).source == "Tab two's text."


def test_the_same_conflict_without_javascript_is_a_page_with_both_choices(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    loaded = drafts.text_hash(published_module().source, published_module().title)
    save(instructor, token, "Saved <first>.", based_on=loaded)
    response = save(instructor, token, "Mine <second>.", based_on=loaded)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Mine &lt;second&gt;." in page and "Saved &lt;first&gt;." in page
    assert "<first>" not in page and "<second>" not in page
    assert (
        f'value="{drafts.text_hash("Saved <first>.", "First Steps")}"' in page
    )  # keep mine: over theirs
    assert "Keep my text" in page and f'href="{EDIT}"' in page  # or take the saved one
    assert draft_module(IVY).source == "Saved <first>."


def test_refused_input_names_the_field_and_saves_nothing(instructor: FlaskClient) -> None:
    token = start(instructor)
    loaded = drafts.text_hash(published_module().source, published_module().title)
    page = save(instructor, token, "New.", based_on=loaded, title="  ")
    assert page.status_code == 200 and 'id="title-error"' in page.get_data(as_text=True)
    assert "Give the module a title." in page.get_data(as_text=True)
    refused = save(instructor, token, "New.", based_on=loaded, title=" ", json=True)
    assert refused.status_code == 400
    assert refused.get_json()["message"] == "Not saved: Give the module a title."
    too_long = save(instructor, token, "x" * (MAX_BODY_CHARS + 1), based_on=loaded, json=True)
    assert too_long.status_code == 413 and "200,000" in too_long.get_json()["message"]
    page_413 = save(instructor, token, "x" * (MAX_BODY_CHARS + 1), based_on=loaded)
    assert page_413.status_code == 413 and "200,000" in page_413.get_data(as_text=True)
    assert save(instructor, token, "New.", based_on="nonsense").status_code == 400
    assert draft_module(IVY).source == published_module().source


def test_modules_move_up_and_down_and_are_added(instructor: FlaskClient) -> None:
    token = start(instructor)

    def order() -> list[str]:
        db.session.rollback()
        found = drafts.draft_of(course(), user(IVY))
        return [m.slug for m in drafts.modules_of(found)]

    move = f"{DRAFT}/modules/second-module/move"
    response = instructor.post(move, data={"csrf_token": token, "direction": "up"})
    assert response.status_code == 302 and order() == ["second-module", "first-steps"]
    instructor.post(move, data={"csrf_token": token, "direction": "up"})  # already first
    assert order() == ["second-module", "first-steps"]
    instructor.post(move, data={"csrf_token": token, "direction": "down"})
    assert order() == ["first-steps", "second-module"]
    assert instructor.post(move, data={"csrf_token": token, "direction": "left"}).status_code == 400
    nowhere = f"{DRAFT}/modules/no-such-module/move"
    assert (
        instructor.post(nowhere, data={"csrf_token": token, "direction": "up"}).status_code == 404
    )

    empty = instructor.post(f"{DRAFT}/modules", data={"csrf_token": token, "new_title": " "})
    assert empty.status_code == 200 and 'id="new_title-error"' in empty.get_data(as_text=True)
    added = instructor.post(
        f"{DRAFT}/modules", data={"csrf_token": token, "new_title": "Aftercare advice"}
    )
    assert added.headers["Location"] == f"{DRAFT}/modules/aftercare-advice"
    assert order() == ["first-steps", "second-module", "aftercare-advice"]
    assert instructor.get(added.headers["Location"]).status_code == 200
    assert published_module("second-module").position == 2  # the published order stays


def test_discarding_asks_first_and_leaves_the_published_course(instructor: FlaskClient) -> None:
    token = start(instructor)
    asked = instructor.post(f"{DRAFT}/discard", data={"csrf_token": token})
    assert asked.status_code == 200 and "Discard my draft" in asked.get_data(as_text=True)
    db.session.rollback()
    assert drafts.draft_of(course(), user(IVY)) is not None
    done = instructor.post(f"{DRAFT}/discard", data={"csrf_token": token, "confirmed": "yes"})
    assert done.headers["Location"] == f"/studio/courses/{COURSE}"
    db.session.rollback()
    assert drafts.draft_of(course(), user(IVY)) is None
    assert published_module().title == "First Steps"
    assert instructor.get(EDIT).status_code == 404  # no draft: nothing to edit
    assert instructor.post(f"{DRAFT}/discard", data={"csrf_token": token}).status_code == 404


def test_the_preview_uses_the_authors_draft(instructor: FlaskClient) -> None:
    token = start(instructor)
    draft = drafts.draft_of(course(), user(IVY))
    draft.references = [*draft.references, {"id": "newref2026", "citation": "New 2026."}]
    db.session.commit()
    body = "Cites the draft's own reference [@newref2026]."
    response = instructor.post(
        f"/studio/courses/{COURSE}/preview", data={"csrf_token": token, "body": body}
    )
    assert "No problems" in response.get_data(as_text=True)


def test_the_preview_button_posts_the_editor_form_to_the_full_preview_page(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    editor = instructor.get(EDIT).get_data(as_text=True)
    action = f"/studio/courses/{COURSE}/preview?page=1"
    assert f'formaction="{action}"' in editor
    based_on = drafts.text_hash(published_module().source, published_module().title)
    response = instructor.post(
        action,
        data={"csrf_token": token, "title": "T", "based_on": based_on, "body": "## Seen\n\nText."},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Preview a module" in page and ">Seen</h2>" in page
    assert draft_module(IVY).source == published_module().source  # a preview saves nothing


def test_a_module_carried_over_without_markdown_warns_before_it_is_replaced(
    instructor: FlaskClient,
) -> None:
    start(instructor)
    module = draft_module(IVY)
    module.source = None
    db.session.commit()
    page = instructor.get(EDIT).get_data(as_text=True)
    assert "carried over from before the studio kept each module's Markdown" in page


ROUTES = [
    ("GET", DRAFT),
    ("POST", DRAFT),
    ("GET", EDIT),
    ("POST", EDIT),
    ("POST", f"{DRAFT}/modules"),
    ("POST", f"{DRAFT}/modules/first-steps/move"),
    ("POST", f"{DRAFT}/discard"),
    ("POST", f"{DRAFT}/figures"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_learners_are_refused_and_other_instructors_see_nothing(
    app: Flask, imported: None, make_user, method: str, url: str
) -> None:
    make_user(IVY, "Ivy", role="instructor")
    grant(IVY, COURSE)
    make_user("olly@example.org", "Olly", role="instructor")
    make_user("lea@example.org", "Lea")
    owner = app.test_client()
    AuthActions(owner).login(IVY)
    start(owner)  # the owner has a draft: the others must still not reach it
    for email, status in (("lea@example.org", 403), ("olly@example.org", 404)):
        client = app.test_client()
        AuthActions(client).login(email)
        token = csrf_token(client, "/account")
        data = {"csrf_token": token, "direction": "up", "title": "T", "body": "B"}
        response = client.open(url, method=method, data=data if method == "POST" else None)
        assert response.status_code == status, email
    if method == "POST":
        missing = owner.post(url, data={"direction": "up", "title": "T", "body": "x"})
        assert missing.status_code == 400
        assert draft_module(IVY).source == published_module().source
    assert db.session.scalar(db.select(db.func.count()).select_from(Module)) > 0
