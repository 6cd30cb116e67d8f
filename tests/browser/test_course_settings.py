"""The studio in Chromium: an instructor creates a course (the address suggested from the
title), opens its settings, adds a reference and sets CE hours; hours above what the text
supports are refused beside the field, with nothing saved. Pages checked with axe, and at a
phone's width."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Course, Role, User
from eduapp.studio import drafts
from tests.browser.conftest import (
    ROOT,
    assert_accessible,
    assert_fits_width,
    follow,
    main_text,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "ivy@settings.example"
TITLE = "Neck Pain: What Massage Can Do"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def both_widths(page: Any, name: str) -> None:
    """A screenshot at desktop and phone width; nothing may scroll sideways on the phone."""
    screenshot(page, f"{name}-1280")
    assert_accessible(page)
    set_viewport(page, PHONE)
    assert_fits_width(page)
    screenshot(page, f"{name}-375")
    set_viewport(page, DESKTOP)


def write_words(live_app: Flask, slug: str, words: int) -> None:
    """Stand in for the module editor: the draft's first module now has this many words."""
    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        ivy = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        draft = drafts.draft_of(course, ivy)
        assert draft is not None
        drafts.modules_of(draft)[0].word_count = words
        drafts.touch(draft)
        db.session.commit()


def test_an_instructor_creates_a_course_and_edits_its_settings(
    page: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        register("Ivy Instructor", EMAIL, PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
    sign_in(page, live_server, EMAIL, PASSWORD)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Studio"))
    follow(page, page.get_by_role("link", name="Create a course"))
    expect(page.locator("h1")).to_have_text("Create a course")
    page.get_by_label("Title").fill(TITLE)
    # The address follows the title in the page's script, which may answer a moment later.
    expect(page.get_by_label("Web address")).to_have_value("neck-pain-what-massage-can-do")
    page.get_by_label("Summary").fill("What the evidence says about massage for neck pain.")
    both_widths(page, "studio-new-course")
    follow(page, page.get_by_role("button", name="Create the course"))

    main = main_text(page, TITLE)
    assert "is created, with a first module" in main and "Not published yet" in main
    both_widths(page, "studio-new-course-created")

    # The learners' catalogue does not list it.
    page.goto(live_server + "/")
    assert TITLE not in main_text(page, "Courses")
    page.go_back()

    write_words(live_app, "neck-pain-what-massage-can-do", 12_500)
    follow(page, page.get_by_role("link", name="Settings", exact=True))
    expect(page.locator("h1")).to_have_text(f"Settings of {TITLE}")
    assert "12,500 words, which support up to 1 CE hours" in page.locator("#ce-words").inner_text()
    page.get_by_label("Learning objectives").fill(
        "Explain what massage can and cannot do for neck pain."
    )
    first = page.locator("fieldset", has=page.get_by_text("Reference 1", exact=True))
    first.get_by_label("ID", exact=True).fill("bervoets2015")
    first.get_by_label("Citation").fill(
        "Bervoets DC, et al. Massage therapy has short-term benefits for people with common "
        "musculoskeletal disorders. J Physiother 2015."
    )
    first.get_by_label("DOI or web address").fill("https://doi.org/10.1016/j.jphys.2015.05.018")
    page.get_by_label("CE hours", exact=True).fill("1.5")
    follow(page, page.get_by_role("button", name="Save settings"))

    error = page.locator("#ce_hours-error")
    assert "CE hours: 1.5 is more than the modules' text supports" in error.inner_text()
    assert "12,500 words, which give 1 CE hours" in error.inner_text()
    assert page.get_by_label("CE hours", exact=True).get_attribute("aria-invalid") == "true"
    assert "Nothing was saved" in page.get_by_role("alert").inner_text()
    both_widths(page, "studio-settings-refused")

    page.get_by_label("CE hours", exact=True).fill("1")
    follow(page, page.get_by_role("button", name="Save settings"))
    flash = page.locator(".flashes").inner_text()
    assert "Saved in your draft:" in flash and "CE hours" in flash and "References" in flash
    assert page.get_by_label("CE hours", exact=True).input_value() == "1"
    first = page.locator("fieldset", has=page.get_by_text("Reference 1 (bervoets2015)"))
    assert first.get_by_label("DOI or web address").input_value() == "10.1016/j.jphys.2015.05.018"
    both_widths(page, "studio-settings-saved")


def test_a_title_typed_before_the_page_script_runs_still_gives_the_address(
    page: Any, live_server: str, live_app: Flask
) -> None:
    """On a slow connection the instructor may type the title before the page's script has
    arrived: the script, once it runs, suggests the address from the title already there."""
    email = "una@settings.example"
    with live_app.app_context():
        register("Una Instructor", email, PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
    sign_in(page, live_server, email, PASSWORD)
    # The page's script arrives, but starts only when the test says: as if it came late.
    script = (ROOT / "eduapp" / "static" / "studio-new-course.js").read_text()
    page.route(
        "**/static/studio-new-course.js*",
        lambda route: route.fulfill(
            content_type="text/javascript", body=f"window.startLate = function () {{{script}}};"
        ),
    )
    page.goto(live_server + "/studio/courses/new")
    page.get_by_label("Title").fill(TITLE)
    assert page.get_by_label("Web address").input_value() == ""  # nobody listened
    page.evaluate("window.startLate()")
    expect(page.get_by_label("Web address")).to_have_value("neck-pain-what-massage-can-do")
