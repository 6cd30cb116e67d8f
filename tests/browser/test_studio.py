"""The studio in Chromium: an admin assigns an instructor as a course's owner; the instructor
finds the course in My courses from the menu and adds a co-author, whose studio then lists it.
An error for an address that is not an instructor's sits beside the field."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Role
from tests.browser.conftest import assert_accessible, follow, main_text, screenshot, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
DOMAIN = "studio.example"
TITLE = "Massage Techniques"


def open_studio(page: Any) -> str:
    """Open the studio from the menu; the text of its page."""
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Studio"))
    return main_text(page, "My courses")


def test_an_owner_is_assigned_and_adds_a_co_author(
    page: Any, browser: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        register("Ada Admin", f"ada@{DOMAIN}", PASSWORD, "UTC", Role.ADMIN)
        register("Ivy Instructor", f"ivy@{DOMAIN}", PASSWORD, "UTC", Role.INSTRUCTOR)
        register("Cora Co-author", f"cora@{DOMAIN}", PASSWORD, "UTC", Role.INSTRUCTOR)
        register("Lea Learner", f"lea@{DOMAIN}", PASSWORD, "UTC")
        db.session.commit()

    # Ivy owns nothing yet: her studio says who assigns courses.
    ivy_context = browser.new_context(viewport={"width": 1280, "height": 900})
    ivy = ivy_context.new_page()
    sign_in(ivy, live_server, f"ivy@{DOMAIN}", PASSWORD)
    assert "An admin assigns courses to instructors" in open_studio(ivy)
    screenshot(ivy, "studio-my-courses-empty")
    assert_accessible(ivy)

    # The admin opens the course in the studio and assigns Ivy as its owner.
    sign_in(page, live_server, f"ada@{DOMAIN}", PASSWORD)
    open_studio(page)
    follow(page, page.get_by_role("link", name=TITLE, exact=True))
    expect(page.locator("h1")).to_have_text(TITLE)
    page.get_by_label("Email of the new owner").fill(f"ivy@{DOMAIN}")
    follow(page, page.get_by_role("button", name="Assign owner"))
    assert f"Ivy Instructor is now an owner of {TITLE}" in page.locator(".flashes").inner_text()
    assert "Owner" in page.get_by_role("region", name="Owners and co-authors").inner_text()

    # Ivy now finds the course in My courses, with its state, and opens it.
    open_studio(ivy)
    row = ivy.get_by_role("row").filter(has_text=TITLE)
    assert "Published" in row.inner_text()
    screenshot(ivy, "studio-my-courses")
    assert_accessible(ivy)
    follow(ivy, row.get_by_role("link", name=TITLE, exact=True))

    # A learner's address is refused beside the field; then Cora is added.
    ivy.get_by_label("Email of the co-author").fill(f"lea@{DOMAIN}")
    follow(ivy, ivy.get_by_role("button", name="Add co-author"))
    error = ivy.locator("#email-error")
    assert f"No instructor account has the address lea@{DOMAIN}" in error.inner_text()
    assert "Lea" not in error.inner_text()  # the form tells nobody who has an account
    assert ivy.get_by_label("Email of the co-author").get_attribute("aria-invalid") == "true"
    screenshot(ivy, "studio-co-author-error")
    assert_accessible(ivy)
    ivy.get_by_label("Email of the co-author").fill(f"cora@{DOMAIN}")
    follow(ivy, ivy.get_by_role("button", name="Add co-author"))
    assert f"Cora Co-author is now a co-author of {TITLE}" in ivy.locator(".flashes").inner_text()
    people = ivy.get_by_role("region", name="Owners and co-authors").inner_text()
    assert "Cora Co-author" in people and "Co-author" in people and "Ivy Instructor" in people
    screenshot(ivy, "studio-course-people")
    assert_accessible(ivy)
    ivy_context.close()

    # Cora's studio lists the course too.
    cora_context = browser.new_context(viewport={"width": 1280, "height": 900})
    cora = cora_context.new_page()
    sign_in(cora, live_server, f"cora@{DOMAIN}", PASSWORD)
    open_studio(cora)
    assert TITLE in cora.locator("main table").inner_text()
    cora_context.close()
