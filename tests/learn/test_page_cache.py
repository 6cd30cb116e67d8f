"""The versions each process keeps for the learner's pages (``eduapp.learn.structure``): a
publish shows on the next request, no learner ever sees another's progress through them,
and what is kept is only a version's own content, read only."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm.exc import UnmappedInstanceError

from eduapp.extensions import db
from eduapp.learn import structure
from eduapp.models import Course, CourseVersion, Module, Quiz
from eduapp.studio import drafts, publishing
from tests.conftest import FIXTURES, AuthActions, csrf_token

COURSE = "/courses/sample-course"
FIRST = COURSE + "/modules/first-steps"
OLD_TEXT = "manual manipulation"


def course() -> Course:
    return db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()


def publish_new_text(make_user, text: str) -> CourseVersion:
    """An instructor rewrites the first module in the studio and publishes it."""
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    from tests.studio.conftest import grant

    grant("ivy@example.org", "sample-course")
    draft = drafts.open_draft(course(), ivy)
    module = drafts.module_of(draft, "first-steps")
    assert module is not None
    drafts.save_module(
        draft,
        module,
        title=module.title,
        source=f"{text} [@furlan2015].\n\n::: evidence moderate [@furlan2015]\nStill so.\n:::\n",
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=FIXTURES / "courses",
    )
    published = publishing.publish(
        draft, ivy, label="9.0.0", note="Reworded.", catalogue=FIXTURES / "courses"
    )
    db.session.commit()
    return published


def test_a_publish_shows_on_the_next_request_and_enrolled_learners_keep_their_version(
    app: Flask, client: FlaskClient, auth: AuthActions, imported: None, make_user
) -> None:
    other = app.test_client()
    AuthActions(other).signup("bo@example.org", "Bo")
    # Bo starts the course (and keeps its version); Ann only reads.
    other.post(COURSE + "/start", data={"csrf_token": csrf_token(other, COURSE)})
    auth.signup()
    for reader in (client, other):  # both pages served, so the process keeps the version
        assert OLD_TEXT in reader.get(FIRST).get_data(as_text=True)
    db.session.rollback()
    old = course().current_version_id
    assert old in structure._kept

    published = publish_new_text(make_user, "Gentle rewording on stroke pressure")

    page = client.get(FIRST).get_data(as_text=True)
    assert "Gentle rewording on stroke pressure" in page and OLD_TEXT not in page
    assert "9.0.0" in client.get(COURSE).get_data(as_text=True)
    kept = other.get(FIRST).get_data(as_text=True)  # Bo stays on what he started
    assert OLD_TEXT in kept and "Gentle rewording" not in kept
    assert {old, published.id} <= set(structure._kept)


def test_one_learners_progress_never_reaches_another(
    app: Flask, client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    auth.signup()
    client.post(COURSE + "/start", data={"csrf_token": csrf_token(client, COURSE)})
    client.post(FIRST + "/read", data={"csrf_token": csrf_token(client, FIRST)})
    second = COURSE + "/modules/second-module"
    client.post(second + "/read", data={"csrf_token": csrf_token(client, second)})
    mine = client.get(COURSE).get_data(as_text=True)
    # The second module has no quiz: reading it completed it.
    assert "(1 of 2 modules" in mine and "Continue" in mine

    other = app.test_client()
    AuthActions(other).signup("bo@example.org", "Bo")
    theirs = other.get(COURSE).get_data(as_text=True)
    assert "(1 of 2 modules" not in theirs and "Start the course" in theirs
    assert "(completed)" not in theirs and "(completed)" in mine
    # A visitor who is not signed in gets the course, and no one's progress.
    signed_out = app.test_client().get(COURSE).get_data(as_text=True)
    assert "(completed)" not in signed_out and "Ann Example" not in signed_out


def test_only_a_versions_own_content_is_kept_and_it_is_read_only(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    auth.signup()
    client.get(FIRST)
    assert structure._kept
    for content in structure._kept.values():
        assert type(content.version).model is CourseVersion
        assert {type(m).model for m in content.modules} == {Module}
        assert {type(q).model for q in content.quizzes.values()} == {Quiz}
    content = next(iter(structure._kept.values()))
    module = content.modules[0]
    with pytest.raises(AttributeError):
        module.title = "changed by a request"
    with pytest.raises(UnmappedInstanceError):
        db.session.add(module)  # never part of a transaction
    assert content.quizzes[None].is_final  # the model's properties come along


def test_drafts_are_read_each_time_never_kept(
    client: FlaskClient, auth: AuthActions, imported: None, make_user
) -> None:
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    draft = drafts.open_draft(course(), ivy)
    db.session.commit()
    first = structure.version_content(draft.id)
    module = drafts.module_of(draft, "first-steps")
    assert module is not None
    module.title = "Retitled in the draft"
    db.session.commit()
    again = structure.version_content(draft.id)
    assert draft.id not in structure._kept
    assert first.modules[0].title != again.modules[0].title == "Retitled in the draft"


def test_parts_kept_for_a_version_hold_nothing_of_a_learner(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    auth.signup()  # Ann Example
    client.post(COURSE + "/start", data={"csrf_token": csrf_token(client, COURSE)})
    client.post(FIRST + "/read", data={"csrf_token": csrf_token(client, FIRST)})
    course_page = client.get(COURSE).get_data(as_text=True)
    module_page = client.get(FIRST).get_data(as_text=True)
    db.session.rollback()
    parts = structure._kept[course().current_version_id].parts
    assert {key.split(":")[0] for key in parts} == {
        "learn/_course_about.html",
        "learn/_course_references.html",
        "learn/_module_references.html",
        "module-links",
    }
    links = parts["module-links:sample-course"]
    assert all(url in course_page for _module, url, _quiz, _minutes in links)
    for key, html in parts.items():
        if key.startswith("module-links"):
            continue
        assert html in course_page or html in module_page  # what the pages showed
        assert "Ann" not in html and "csrf" not in html and "completed" not in html
