"""The module editor in Chromium: an instructor opens a draft, writes with the toolbar (a
citation and an evidence callout picked from lists), watches the live preview follow, sees
the autosave say "Saved", uploads a figure that is put into the text, reloads and finds it
all there. Screenshots at 1280 and 375 px; axe on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Course, CourseOwner, Role, User
from eduapp.studio import drafts
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.figures.imagekit import raster

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "ivy@editor.example"
SLUG = "massage-pain-rehab"
SAVED = (
    "() => document.getElementById('save-status').textContent.startsWith('Saved at')"
    " && !sessionStorage.getItem(document.getElementById('module-form').dataset.storageKey)"
)


def test_an_instructor_writes_a_module_with_the_toolbar_and_a_figure(
    page: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        ivy = register("Ivy Editor", EMAIL, PASSWORD, "UTC", Role.INSTRUCTOR)
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        db.session.add(CourseOwner(course_id=course.id, user_id=ivy.id, role="owner"))
        db.session.commit()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/studio/courses/{SLUG}")
    page.get_by_role("button", name="Start editing").click()
    assert page.locator("h1").inner_text().startswith("Your draft of")
    assert "Based on" in page.locator("main").inner_text()
    screenshot(page, "editor-draft")
    assert_accessible(page)
    page.get_by_role("link", name="Edit").first.click()
    assert page.locator("h1").inner_text().startswith("Edit “")

    text = page.get_by_label("Module text (Markdown)")
    text.fill("## Warm-up\n\nGentle strokes come first, as the evidence shows ")
    text.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
    page.get_by_role("button", name="Citation…").click()
    page.get_by_role("button", name="Insert citation").click()
    assert "[@" in text.input_value()
    text.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
    page.get_by_role("button", name="Evidence callout…").click()
    claim = page.get_by_label("Claim (from the catalogue's evidence list, with its verdict)")
    claim.select_option(index=0)
    refs = page.get_by_label("References for it (choose one or more)")
    refs.select_option(index=[0])
    page.get_by_role("button", name="Insert evidence callout").click()
    assert "::: evidence " in text.input_value()

    preview = page.locator("#live-preview")
    preview.get_by_role("heading", name="Warm-up").wait_for()
    preview.locator(".evidence").first.wait_for()
    page.wait_for_function(SAVED, timeout=10_000)
    assert page.get_by_role("status").filter(has_text="Saved at").count() == 1
    screenshot(page, "editor-module")
    assert_accessible(page)

    page.get_by_label("Image file (PNG, JPEG, WebP or SVG, at most 1 MB)").set_input_files(
        {"name": "Stroke Diagram.png", "mimeType": "image/png", "buffer": raster("PNG")}
    )
    page.get_by_role("button", name="Upload figure").click()
    page.get_by_text("figures/stroke-diagram.png is uploaded and put into the text").wait_for()
    assert "![describe what it shows](figures/stroke-diagram.png" in text.input_value()
    page.wait_for_function(SAVED, timeout=10_000)
    written = text.input_value()

    page.reload()
    assert page.get_by_label("Module text (Markdown)").input_value() == written
    assert page.locator("#restore-notice").is_hidden()
    assert "figures/stroke-diagram.png" in page.locator(".editor-figures").inner_text()
    screenshot(page, "editor-module-saved")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, "editor-module-375")
    assert_accessible(page)
    page.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    assert_fits_width(page)
    screenshot(page, "editor-draft-375")


def test_unsaved_text_survives_a_reload_and_a_newer_save_offers_both_texts(
    page: Any, live_server: str, live_app: Flask
) -> None:
    email = "cora@editor.example"
    with live_app.app_context():
        cora = register("Cora Editor", email, PASSWORD, "UTC", Role.INSTRUCTOR)
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        db.session.add(CourseOwner(course_id=course.id, user_id=cora.id, role="co-author"))
        db.session.commit()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    page.get_by_role("button", name="Start editing").click()
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_role("toolbar", name="Formatting").wait_for()

    # Text kept in the tab before a reload (as if the save had not happened yet) comes back.
    page.evaluate(
        """() => {
          const form = document.getElementById('module-form');
          sessionStorage.setItem(form.dataset.storageKey, JSON.stringify({
            title: form.title.value, body: 'Text typed before a reload.',
            basedOn: form.based_on.value}));
        }"""
    )
    page.reload()
    assert "unsaved text" in page.locator("#restore-notice").inner_text()
    text = page.get_by_label("Module text (Markdown)")
    assert text.input_value() == "Text typed before a reload."
    page.wait_for_function(SAVED, timeout=10_000)

    # The same module is saved somewhere else; the next autosave here is refused.
    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        found = drafts.draft_of(course, user)
        module = drafts.modules_of(found)[0]
        drafts.save_module(
            found,
            module,
            title=module.title,
            source="Saved in another tab.",
            based_on=drafts.text_hash(module.source, module.title),
            catalogue=Path(live_app.config["COURSES_DIR"]),
        )
        db.session.commit()
    text.press("End")
    text.press_sequentially(" And more.")
    panel = page.get_by_role("region", name="Saved somewhere else")
    panel.wait_for(timeout=10_000)
    assert panel.locator("#conflict-theirs").inner_text() == "Saved in another tab."
    assert panel.locator("#conflict-mine").inner_text() == "Text typed before a reload. And more."
    screenshot(page, "editor-conflict")
    assert_accessible(page)
    page.get_by_role("button", name="Keep my text").click()
    page.wait_for_function(SAVED, timeout=10_000)
    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        kept = drafts.modules_of(drafts.draft_of(course, user))[0].source
    assert kept == "Text typed before a reload. And more."

    # Text kept in the tab but written over a text saved since: both, to choose from.
    page.evaluate(
        """() => {
          const form = document.getElementById('module-form');
          sessionStorage.setItem(form.dataset.storageKey, JSON.stringify({
            title: form.title.value, body: 'Typed, never saved.', basedOn: '0'.repeat(64)}));
        }"""
    )
    page.reload()
    panel = page.get_by_role("region", name="Saved somewhere else")
    panel.wait_for()
    assert panel.locator("#conflict-mine").inner_text() == "Typed, never saved."
    assert panel.locator("#conflict-theirs").inner_text() == kept
    page.get_by_role("button", name="Take the saved text").click()
    assert page.get_by_label("Module text (Markdown)").input_value() == kept
    assert panel.is_hidden()

    # Saved elsewhere again, then the plain Save button: the conflict page, then the discard
    # confirmation, both checked by axe.
    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        found = drafts.draft_of(course, user)
        module = drafts.modules_of(found)[0]
        drafts.save_module(
            found,
            module,
            title=module.title,
            source="Saved on the phone.",
            based_on=drafts.text_hash(module.source, module.title),
            catalogue=Path(live_app.config["COURSES_DIR"]),
        )
        db.session.commit()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was saved somewhere else" in page.locator("h1").inner_text()
    screenshot(page, "editor-conflict-page")
    assert_accessible(page)
    page.get_by_role("link", name="Your draft").click()
    page.get_by_role("button", name="Discard this draft").click()
    assert page.locator("h1").inner_text().startswith("Discard your draft")
    assert_accessible(page)
    page.get_by_role("button", name="Discard my draft").click()
    assert "is discarded" in page.locator(".flashes").inner_text()


def test_without_javascript_save_preview_conflict_and_discard_all_work(
    browser: Any, live_server: str, live_app: Flask
) -> None:
    email = "noah@editor.example"
    with live_app.app_context():
        noah = register("Noah Nojs", email, PASSWORD, "UTC", Role.INSTRUCTOR)
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        db.session.add(CourseOwner(course_id=course.id, user_id=noah.id, role="co-author"))
        db.session.commit()
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    page.get_by_role("button", name="Start editing").click()
    page.get_by_role("button", name="Move down").first.click()
    assert "is now module 2" in page.locator(".flashes").inner_text()
    page.get_by_role("link", name="Edit").first.click()
    assert page.get_by_role("toolbar").count() == 0  # the toolbar needs the script

    text = page.get_by_label("Module text (Markdown)")
    text.fill("## Without a script\n\nA claim [@nobody2020].\n")
    page.get_by_role("button", name="Save", exact=True).click()
    flash = page.locator(".flashes").inner_text()
    assert "Saved. 1 problem would stop this module from being published: line 3:" in flash
    screenshot(page, "editor-nojs-saved")  # axe is a script: the JS tests run it on these pages
    page.get_by_role("button", name="Preview").click()
    assert page.locator("h1").inner_text().startswith("Preview a module")
    assert page.get_by_role("heading", name="Without a script").count() == 1
    page.go_back()

    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        found = drafts.draft_of(course, user)
        module = drafts.modules_of(found)[0]
        drafts.save_module(
            found,
            module,
            title=module.title,
            source="Saved on the tablet.",
            based_on=drafts.text_hash(module.source, module.title),
            catalogue=Path(live_app.config["COURSES_DIR"]),
        )
        db.session.commit()
    page.get_by_label("Module text (Markdown)").fill("Typed on the laptop.")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was saved somewhere else" in page.locator("h1").inner_text()
    assert "Saved on the tablet." in page.locator("main").inner_text()
    screenshot(page, "editor-nojs-conflict")
    page.get_by_role("button", name="Keep my text").click()
    assert page.locator(".flashes").inner_text().startswith("Saved.")
    assert page.get_by_label("Module text (Markdown)").input_value() == "Typed on the laptop."

    page.get_by_role("link", name="Your draft").click()
    page.get_by_role("button", name="Discard this draft").click()
    assert page.locator("h1").inner_text().startswith("Discard your draft")
    page.get_by_role("button", name="Discard my draft").click()
    assert "is discarded" in page.locator(".flashes").inner_text()
    assert page.get_by_role("button", name="Start editing").count() == 1
    context.close()
