"""The studio in Chromium: an instructor creates a course (the address suggested from the
title), opens its settings, adds a reference and sets CE hours; hours above what the text
supports are refused beside the field, with nothing saved. Pages checked with axe, and at a
phone's width."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Course, Role, User
from eduapp.studio import drafts
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "ivy@settings.example"
TITLE = "Neck Pain: What Massage Can Do"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page: Any, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def both_widths(page: Any, name: str) -> None:
    """A screenshot at desktop and phone width; nothing may scroll sideways on the phone."""
    screenshot(page, f"{name}-1280")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_fits_width(page)
    screenshot(page, f"{name}-375")
    page.set_viewport_size(DESKTOP)


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
    sign_in(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Studio").click()
    page.get_by_role("link", name="Create a course").click()
    assert page.locator("h1").inner_text() == "Create a course"
    page.get_by_label("Title").fill(TITLE)
    assert page.get_by_label("Web address").input_value() == "neck-pain-what-massage-can-do"
    page.get_by_label("Summary").fill("What the evidence says about massage for neck pain.")
    both_widths(page, "studio-new-course")
    page.get_by_role("button", name="Create the course").click()

    assert page.locator("h1").inner_text() == TITLE
    main = page.locator("main").inner_text()
    assert "is created, with a first module" in main and "Not published yet" in main
    both_widths(page, "studio-new-course-created")

    # The learners' catalogue does not list it.
    page.goto(live_server + "/")
    assert TITLE not in page.locator("main").inner_text()
    page.go_back()

    write_words(live_app, "neck-pain-what-massage-can-do", 12_500)
    page.get_by_role("link", name="Settings", exact=True).click()
    assert page.locator("h1").inner_text() == f"Settings of {TITLE}"
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
    page.get_by_role("button", name="Save settings").click()

    error = page.locator("#ce_hours-error")
    assert "CE hours: 1.5 is more than the modules' text supports" in error.inner_text()
    assert "12,500 words, which give 1 CE hours" in error.inner_text()
    assert page.get_by_label("CE hours", exact=True).get_attribute("aria-invalid") == "true"
    assert "Nothing was saved" in page.get_by_role("alert").inner_text()
    both_widths(page, "studio-settings-refused")

    page.get_by_label("CE hours", exact=True).fill("1")
    page.get_by_role("button", name="Save settings").click()
    flash = page.locator(".flashes").inner_text()
    assert "Saved in your draft:" in flash and "CE hours" in flash and "References" in flash
    assert page.get_by_label("CE hours", exact=True).input_value() == "1"
    first = page.locator("fieldset", has=page.get_by_text("Reference 1 (bervoets2015)"))
    assert first.get_by_label("DOI or web address").input_value() == "10.1016/j.jphys.2015.05.018"
    both_widths(page, "studio-settings-saved")
