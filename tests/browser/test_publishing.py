"""Publishing in Chromium: a course that needs a second instructor's approval; the co-author
reads and approves the owner's draft, the owner publishes it with a change note, and a learner
part-way through the earlier version is offered the new one and moves, keeping their reading
of the modules that did not change. Every page passes axe and fits a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Course, CourseOwner, Role
from eduapp.studio import drafts
from tests.browser.conftest import (
    ROOT,
    assert_accessible,
    assert_fits_width,
    confirm_signup,
    follow,
    main_text,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
DOMAIN = "publish.example"
SLUG = "special-populations"
ADDED = "Ask every client at every visit whether their medicines have changed since last time."


def test_approve_publish_and_move_to_the_new_version(
    new_person: Callable[[], Any], live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        ivy = register("Ivy Owner", f"ivy@{DOMAIN}", PASSWORD, "UTC", Role.INSTRUCTOR)
        cora = register("Cora Co-author", f"cora@{DOMAIN}", PASSWORD, "UTC", Role.INSTRUCTOR)
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        db.session.add(CourseOwner(course_id=course.id, user_id=ivy.id, role="owner"))
        db.session.add(CourseOwner(course_id=course.id, user_id=cora.id, role="co-author"))
        db.session.commit()

    # A learner starts the course and reads the first module.
    learner = new_person()
    learner.goto(live_server + "/signup")
    learner.get_by_label("Name").fill("Lea Learner")
    learner.get_by_label("Email").fill(f"lea@{DOMAIN}")
    learner.get_by_label("Password").fill(PASSWORD)
    follow(learner, learner.get_by_role("button", name="Create account"))
    confirm_signup(learner, live_app, live_server, f"lea@{DOMAIN}")
    learner.goto(f"{live_server}/courses/{SLUG}")
    follow(learner, learner.get_by_role("button", name="Start the course"))
    follow(learner, learner.get_by_role("button", name="Mark as read").first)
    expect(learner.locator(".flash")).to_contain_text("marked as read")

    # The owner asks for approval before publishing, then changes the last module.
    owner = new_person()
    sign_in(owner, live_server, f"ivy@{DOMAIN}", PASSWORD)
    owner.goto(f"{live_server}/studio/courses/{SLUG}")
    owner.get_by_label("Publishing needs another instructor's approval of the draft").check()
    follow(owner, owner.get_by_role("button", name="Save this setting"))
    assert "Publishing now needs another instructor's approval." in owner.inner_text(".flashes")
    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        draft = drafts.open_draft(course, db.session.merge(ivy))
        last = drafts.modules_of(draft)[-1]
        drafts.save_module(
            draft,
            last,
            title=last.title,
            source=f"{ADDED}\n\n{last.source}",
            based_on=drafts.text_hash(last.source, last.title),
            catalogue=ROOT / "courses",
        )
        db.session.commit()
        last_title = last.title
    owner.goto(f"{live_server}/studio/courses/{SLUG}/publish")
    text = owner.locator("main").inner_text()
    assert f"Changed: {last_title}" in text and "Every module renders without a problem." in text
    assert "needs another instructor's approval" in text
    screenshot(owner, "studio-publish")
    assert_accessible(owner)
    owner.get_by_label("What changed").fill("Adds the medicines question to every visit.")
    follow(owner, owner.get_by_role("button", name="Publish version"))
    assert "needs another instructor's approval" in owner.locator("main").inner_text()

    # The co-author reads the draft and approves it with a note.
    reviewer = new_person()
    sign_in(reviewer, live_server, f"cora@{DOMAIN}", PASSWORD)
    reviewer.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(reviewer, reviewer.get_by_role("link", name="Ivy Owner's draft"))
    assert ADDED in reviewer.locator("main").inner_text()
    screenshot(reviewer, "studio-review-draft")
    assert_accessible(reviewer)
    reviewer.get_by_label("What you checked").fill("Read the changed module; the advice is sound.")
    follow(reviewer, reviewer.get_by_role("button", name="Approve this draft"))
    assert "Your approval is recorded." in reviewer.inner_text(".flashes")

    owner.goto(f"{live_server}/studio/courses/{SLUG}/publish")
    assert "Approved by Cora Co-author" in owner.locator("main").inner_text()
    label = owner.get_by_label("Version number").input_value()
    owner.get_by_label("What changed").fill("Adds the medicines question to every visit.")
    follow(owner, owner.get_by_role("button", name="Publish version"))
    assert f"Version {label} is published." in owner.inner_text(".flashes")
    versions = owner.get_by_role("region", name="Versions").inner_text()
    assert "Adds the medicines question to every visit." in versions and "Ivy Owner" in versions
    screenshot(owner, "studio-course-versions")
    assert_accessible(owner)

    # The learner is offered the new version, with its note, and moves.
    learner.goto(f"{live_server}/courses/{SLUG}")
    offer = learner.get_by_role("region", name="A newer version of this course is out")
    assert "Adds the medicines question to every visit." in offer.inner_text()
    screenshot(learner, "learner-newer-version")
    assert_accessible(learner)
    follow(learner, learner.get_by_role("button", name=f"Move to version {label}"))
    assert f"You are now on version {label}." in learner.inner_text(".flashes")
    # The first module did not change: it is still read, its quiz still to pass.
    first = learner.locator(".module-list li").first.inner_text()
    assert "read, quiz to pass" in first
    set_viewport(learner, {"width": 375, "height": 800})
    assert_fits_width(learner)
    screenshot(learner, "learner-moved-375")
    follow(learner, learner.get_by_role("link", name=last_title))
    assert ADDED in main_text(learner, last_title)
