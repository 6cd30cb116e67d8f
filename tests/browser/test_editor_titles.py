"""The editor in Chromium when a module was renamed in another tab: this tab's next autosave is
refused, both titles are shown with both texts, and taking the saved one brings its title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.extensions import db
from eduapp.models import Course, User
from eduapp.studio import drafts
from tests.browser.conftest import assert_accessible, instructor_on, screenshot, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "tess@titles.example"
SLUG = "massage-pain-rehab"


def rename_elsewhere(live_app: Flask, title: str) -> str:
    """Another tab saves the first module under a new title, text unchanged; returns the text."""
    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        draft = drafts.draft_of(course, user)
        assert draft is not None
        module = drafts.modules_of(draft)[0]
        drafts.save_module(
            draft,
            module,
            title=title,
            source=module.source or "",
            based_on=drafts.text_hash(module.source, module.title),
            catalogue=Path(live_app.config["COURSES_DIR"]),
        )
        db.session.commit()
        return module.source or ""


def test_a_rename_in_another_tab_shows_both_titles_and_taking_it_keeps_it(
    page: Any, live_server: str, live_app: Flask
) -> None:
    instructor_on(live_app, "Tess Titles", EMAIL, PASSWORD, SLUG, "co-author")
    sign_in(page, live_server, EMAIL, PASSWORD)
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    page.get_by_role("button", name="Start editing").click()
    expect(page.locator("h1")).to_contain_text("Your draft of")
    page.get_by_role("link", name="Edit").first.click()
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    title = page.get_by_label("Title")
    loaded_title = title.input_value()

    saved_text = rename_elsewhere(live_app, "Renamed on the phone")
    text = page.get_by_label("Module text (Markdown)")
    text.press("End")
    text.press_sequentially(" One more sentence.")
    panel = page.get_by_role("region", name="Saved somewhere else")
    expect(panel).to_be_visible(timeout=10_000)
    expect(panel.locator("#conflict-mine-title")).to_have_text(f"Title: {loaded_title}")
    expect(panel.locator("#conflict-theirs-title")).to_have_text("Title: Renamed on the phone")
    expect(panel.locator("#conflict-theirs")).to_have_text(saved_text)
    screenshot(page, "editor-title-conflict")
    assert_accessible(page)

    page.get_by_role("button", name="Take the saved text").click()
    expect(panel).to_be_hidden()
    expect(title).to_have_value("Renamed on the phone")
    expect(text).to_have_value(saved_text)
    # An edit after taking it saves over the saved state, under the saved title.
    text.press("End")
    text.press_sequentially(" Added after.")
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        module = drafts.modules_of(drafts.draft_of(course, user))[0]
        assert module.title == "Renamed on the phone"
        assert (module.source or "").endswith(" Added after.")
