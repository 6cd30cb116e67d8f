"""What changed, in Chromium: an owner publishes a correction, reads the new version's changes
word by word from the course's studio page, then rolls back to the version before it through
the publish page. Screenshots at 1280 and 375 px; axe on both pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, User
from eduapp.studio import compare, drafts, publishing
from tests.browser.conftest import (
    ROOT,
    assert_accessible,
    assert_fits_width,
    instructor_on,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "wes@changes.example"
SLUG = "body-mechanics-documentation"
ADDED = "Check the table height before every session, not once a week."


def publish_a_correction(live_app: Flask) -> tuple[str, str]:
    """Wes adds a sentence to the first module and publishes; returns (old, new) labels."""
    with live_app.app_context():
        wes = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        old = course.version
        draft = drafts.open_draft(course, wes)
        first = drafts.modules_of(draft)[0]
        drafts.save_module(
            draft,
            first,
            title=first.title,
            source=f"{first.source}\n\n{ADDED}\n",
            based_on=drafts.text_hash(first.source, first.title),
            catalogue=ROOT / "courses",
        )
        label, _ = publishing.suggest_label(draft, publishing.changes(draft))
        publishing.publish(
            draft, wes, label=label, note="Adds the table-height check.", catalogue=ROOT / "courses"
        )
        db.session.commit()
        return old, label


def test_an_owner_reads_what_changed_and_rolls_back(
    page: Any, live_server: str, live_app: Flask
) -> None:
    instructor_on(live_app, "Wes Owner", EMAIL, PASSWORD, SLUG, "owner")
    old, new = publish_a_correction(live_app)
    sign_in(page, live_server, EMAIL, PASSWORD)

    page.goto(f"{live_server}/studio/courses/{SLUG}")
    page.get_by_role("link", name=f"What changed in version {new}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed")
    expect(page.locator(".lead")).to_contain_text(f"From version {old}")
    expect(page.locator(".diff ins").first).to_contain_text(ADDED)
    expect(page.get_by_label("From version")).to_have_value("1")
    screenshot(page, "studio-changes")
    assert_accessible(page)
    set_viewport(page, {"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, "studio-changes-375")
    set_viewport(page, {"width": 1280, "height": 900})

    page.get_by_role("button", name=f"Roll back to version {old}").click()
    expect(page.locator(".flashes")).to_contain_text(f"Your draft now holds version {old}")
    note = page.get_by_label("What changed")
    expect(note).to_have_value(f"Back to version {old}.")
    note.fill(f"Back to version {old}: the check belongs in the safety course.")
    page.get_by_role("button", name="Publish version").click()
    expect(page.locator(".flashes")).to_contain_text("is published")
    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        newest = db.session.get_one(CourseVersion, course.current_version_id)
        first = db.session.execute(
            db.select(CourseVersion).filter_by(course_id=course.id, number=1)
        ).scalar_one()
        assert newest.number == 3 and compare.compare(first, newest).same
