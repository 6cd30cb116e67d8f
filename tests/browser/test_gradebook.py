"""A learner chooses to share their results, and the course's owner then sees them in the
gradebook (before that, figures only) and downloads them as CSV, built by the job worker; the
learner then sees that the owner looked, on the page and in the download."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Role
from tests.browser.conftest import (
    ARTIFACTS,
    assert_accessible,
    follow,
    instructor_on,
    main_text,
    screenshot,
    sign_in,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SLUG, TITLE = "massage-techniques", "Massage Techniques"


def test_a_learner_shares_and_the_owner_sees_them(
    page: Any,
    new_person: Any,
    live_app: Flask,
    live_server: str,
    request: pytest.FixtureRequest,
) -> None:
    instructor_on(live_app, "Gail Gradebook", "gail@example.org", PASSWORD, SLUG, "owner")
    with live_app.app_context():
        register("Sam Sharer", "sam.sharer@example.org", PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()

    sign_in(page, live_server, "sam.sharer@example.org", PASSWORD)
    page.goto(f"{live_server}/courses/{SLUG}")
    follow(page, page.get_by_role("button", name="Start the course"))
    page.goto(f"{live_server}/courses/{SLUG}")
    box = page.get_by_label("Share my results with this course's instructors")
    expect(box).not_to_be_checked()

    owner = new_person()
    sign_in(owner, live_server, "gail@example.org", PASSWORD)
    owner.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(owner, owner.get_by_role("link", name="Gradebook"))
    before = main_text(owner, "Gradebook")
    assert "Sam Sharer" not in before
    assert "No learner shares their results" in before

    box.check()
    follow(page, page.get_by_role("button", name="Save my choice"))
    expect(page.locator(".flash")).to_contain_text("are shared with its owners and co-authors")
    expect(page.get_by_label("Share my results with this course's instructors")).to_be_checked()
    expect(page.locator("#sharing")).to_contain_text("Nobody has looked at your own results")
    assert_accessible(page)

    owner.reload()
    after = main_text(owner, "Gradebook")
    assert "Sam Sharer" in after
    assert "sam.sharer@example.org" not in after  # owners do not see addresses
    expect(owner.locator(".learners-table")).to_contain_text("Sam Sharer")
    owner.locator("#people-heading").scroll_into_view_if_needed()
    screenshot(owner, "gradebook-owner")
    assert_accessible(owner)

    # The learners' rows as CSV: asked for, built by the job worker, downloaded. The worker
    # starts only now, after this test's own writes, which then need no write lock.
    request.getfixturevalue("job_worker")
    prepare = owner.get_by_role("button", name=re.compile(r"Prepare the learners. rows"))
    follow(owner, prepare)
    expect(owner.locator("h1")).to_have_text(f"Gradebook learners (CSV) of {TITLE}")
    link = owner.get_by_role("link", name="Download the gradebook learners (CSV)")
    expect(link).to_be_visible(timeout=30_000)
    screenshot(owner, "gradebook-learners-export")
    assert_accessible(owner)
    with owner.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("gradebook-learners-")
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.startswith('"name","version"') and "Sam Sharer" in text
    assert "sam.sharer@example.org" not in text  # owners do not get addresses

    # The learner sees who looked at their results.
    page.reload()
    looks = page.locator("ul.looks")
    expect(looks).to_contain_text("Gail Gradebook, an owner or co-author of this course, in a")
    expect(looks).to_contain_text("Gail Gradebook, an owner or co-author")
    screenshot(page, "gradebook-sharing-choice")
    page.locator("#sharing").screenshot(path=str(ARTIFACTS / "gradebook-sharing-panel.png"))
    assert_accessible(page)
