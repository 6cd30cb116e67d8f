"""The module editor in Chromium: an instructor opens a draft, writes with the toolbar (a
citation and an evidence callout picked from lists), watches the live preview follow, sees
the autosave say "Saved", uploads a figure that is put into the text, reloads and finds it
all there. Screenshots at 1280 and 375 px; axe on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.models import Course, User
from eduapp.studio import drafts
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    follow,
    instructor_on,
    main_text,
    screenshot,
    set_viewport,
    sign_in,
    starting_with,
)
from tests.figures.imagekit import raster

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "ivy@editor.example"
SLUG = "massage-pain-rehab"
SAVED = (
    "() => document.getElementById('save-status').textContent.startsWith('Saved at')"
    " && !sessionStorage.getItem(document.getElementById('module-form').dataset.storageKey)"
)


def save_elsewhere(live_app: Flask, email: str, source: str) -> None:
    """Save the first module of this person's draft as another tab or device would, so that
    the page open in the test is now behind. It takes the write lock before reading, as the
    app's own writes do: a read transaction that later writes fails at once ("database is
    locked", whatever the busy timeout) if the page's autosave committed in between."""
    with live_app.app_context():
        begin_write()
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        found = drafts.draft_of(course, user)
        module = drafts.modules_of(found)[0]
        drafts.save_module(
            found,
            module,
            title=module.title,
            source=source,
            based_on=drafts.text_hash(module.source, module.title),
            catalogue=Path(live_app.config["COURSES_DIR"]),
        )
        db.session.commit()


def open_first_module(page: Page) -> None:
    """From the draft page, open the first module's editor and wait for its script: the
    toolbar is drawn by it, and text typed before the script listens is never autosaved."""
    follow(page, page.get_by_role("link", name="Edit").first)
    expect(page.locator("h1")).to_have_text(starting_with("Edit “"))
    page.get_by_role("toolbar", name="Formatting").wait_for()


def test_an_instructor_writes_a_module_with_the_toolbar_and_a_figure(
    page: Any, live_server: str, live_app: Flask
) -> None:
    instructor_on(live_app, "Ivy Editor", EMAIL, PASSWORD, SLUG, "owner")
    sign_in(page, live_server, EMAIL, PASSWORD)

    page.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(page, page.get_by_role("button", name="Start editing"))
    assert "Based on" in main_text(page, starting_with("Your draft of"))
    screenshot(page, "editor-draft")
    assert_accessible(page)
    open_first_module(page)

    text = page.get_by_label("Module text (Markdown)")
    text.fill("## Warm-up\n\nGentle strokes come first, as the evidence shows ")
    text.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
    page.get_by_role("button", name="Citation…").click()
    page.get_by_role("button", name="Insert citation").click()
    expect(text).to_have_value(re.compile(re.escape("[@")))
    text.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
    page.get_by_role("button", name="Evidence callout…").click()
    claim = page.get_by_label("Claim (from the catalogue's evidence list, with its verdict)")
    claim.select_option(index=0)
    refs = page.get_by_label("References for it (choose one or more)")
    refs.select_option(index=[0])
    page.get_by_role("button", name="Insert evidence callout").click()
    expect(text).to_have_value(re.compile(re.escape("::: evidence ")))

    preview = page.locator("#live-preview")
    preview.get_by_role("heading", name="Warm-up").wait_for()
    preview.locator(".evidence").first.wait_for()
    page.wait_for_function(SAVED, timeout=10_000)
    expect(page.get_by_role("status").filter(has_text="Saved at")).to_have_count(1)
    screenshot(page, "editor-module")
    assert_accessible(page)

    page.get_by_label("Image file (PNG, JPEG, WebP or SVG, at most 1 MB)").set_input_files(
        {"name": "Stroke Diagram.png", "mimeType": "image/png", "buffer": raster("PNG")}
    )
    page.get_by_role("button", name="Upload figure").click()
    page.get_by_text("figures/stroke-diagram.png is uploaded and put into the text").wait_for()
    figure = "![describe what it shows](figures/stroke-diagram.png"
    expect(text).to_have_value(re.compile(re.escape(figure)))
    page.wait_for_function(SAVED, timeout=10_000)
    written = text.input_value()

    page.reload()
    expect(page.get_by_label("Module text (Markdown)")).to_have_value(written)
    expect(page.locator("#restore-notice")).to_be_hidden()
    assert "figures/stroke-diagram.png" in page.locator(".editor-figures").inner_text()
    screenshot(page, "editor-module-saved")
    set_viewport(page, {"width": 375, "height": 800})
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
    instructor_on(live_app, "Cora Editor", email, PASSWORD, SLUG, "co-author")
    sign_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(page, page.get_by_role("button", name="Start editing"))
    open_first_module(page)

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
    expect(page.locator("#restore-notice")).to_contain_text("unsaved text")
    text = page.get_by_label("Module text (Markdown)")
    expect(text).to_have_value("Text typed before a reload.")
    page.wait_for_function(SAVED, timeout=10_000)

    # The same module is saved somewhere else; the next autosave here is refused.
    save_elsewhere(live_app, email, "Saved in another tab.")
    text.press("End")
    text.press_sequentially(" And more.")
    panel = page.get_by_role("region", name="Saved somewhere else")
    panel.wait_for(timeout=10_000)
    expect(panel.locator("#conflict-theirs")).to_have_text("Saved in another tab.")
    expect(panel.locator("#conflict-mine")).to_have_text("Text typed before a reload. And more.")
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
    expect(panel.locator("#conflict-mine")).to_have_text("Typed, never saved.")
    expect(panel.locator("#conflict-theirs")).to_have_text(kept)
    page.get_by_role("button", name="Take the saved text").click()
    expect(page.get_by_label("Module text (Markdown)")).to_have_value(kept)
    expect(panel).to_be_hidden()

    # Saved elsewhere again, then the plain Save button: the conflict page, then the discard
    # confirmation, both checked by axe.
    save_elsewhere(live_app, email, "Saved on the phone.")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator("h1")).to_contain_text("was saved somewhere else")
    screenshot(page, "editor-conflict-page")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Your draft"))
    follow(page, page.get_by_role("button", name="Discard this draft"))
    expect(page.locator("h1")).to_have_text(starting_with("Discard your draft"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Discard my draft"))
    assert "is discarded" in page.locator(".flashes").inner_text()


def test_without_javascript_save_preview_conflict_and_discard_all_work(
    browser: Any, live_server: str, live_app: Flask
) -> None:
    email = "noah@editor.example"
    instructor_on(live_app, "Noah Nojs", email, PASSWORD, SLUG, "co-author")
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(page, page.get_by_role("button", name="Start editing"))
    follow(page, page.get_by_role("button", name="Move down").first)
    assert "is now module 2" in page.locator(".flashes").inner_text()
    follow(page, page.get_by_role("link", name="Edit").first)
    expect(page.locator("h1")).to_have_text(starting_with("Edit “"))
    assert page.get_by_role("toolbar").count() == 0  # the toolbar needs the script

    text = page.get_by_label("Module text (Markdown)")
    text.fill("## Without a script\n\nA claim [@nobody2020].\n")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    flash = page.locator(".flashes").inner_text()
    assert "Saved. 1 problem would stop this module from being published: line 3:" in flash
    screenshot(page, "editor-nojs-saved")  # axe is a script: the JS tests run it on these pages
    follow(page, page.get_by_role("button", name="Preview"))
    expect(page.locator("h1")).to_have_text(starting_with("Preview a module"))
    assert page.get_by_role("heading", name="Without a script").count() == 1
    page.go_back()

    save_elsewhere(live_app, email, "Saved on the tablet.")
    page.get_by_label("Module text (Markdown)").fill("Typed on the laptop.")
    follow(page, page.get_by_role("button", name="Save", exact=True))
    expect(page.locator("h1")).to_contain_text("was saved somewhere else")
    assert "Saved on the tablet." in page.locator("main").inner_text()
    screenshot(page, "editor-nojs-conflict")
    follow(page, page.get_by_role("button", name="Keep my text"))
    expect(page.locator(".flashes")).to_have_text(starting_with("Saved."))
    assert page.get_by_label("Module text (Markdown)").input_value() == "Typed on the laptop."

    follow(page, page.get_by_role("link", name="Your draft"))
    follow(page, page.get_by_role("button", name="Discard this draft"))
    expect(page.locator("h1")).to_have_text(starting_with("Discard your draft"))
    follow(page, page.get_by_role("button", name="Discard my draft"))
    assert "is discarded" in page.locator(".flashes").inner_text()
    assert page.get_by_role("button", name="Start editing").count() == 1
    context.close()
