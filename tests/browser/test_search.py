"""Search in Chromium: the header's box on the catalogue, what a signed-out visitor finds, a
learner's results with marked excerpts, and a result that opens the module at the words."""

from __future__ import annotations

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
    assert_fits_width,
    follow,
    main_text,
    screenshot,
    set_viewport,
    sign_in,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_searching_the_catalogue_signed_out_and_in(
    page: Any, live_app: Flask, live_server: str
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/")
    box = page.get_by_role("search", name="Catalogue").get_by_label("Search the catalogue")
    box.fill('"deep vein thrombosis"')
    with page.expect_navigation():
        box.press("Enter")
    text = main_text(page, "Search the courses")
    assert 'results for "deep vein thrombosis".' in text
    assert "sign in to search the text of the modules too" in text
    first = page.locator(".search-hit").first
    expect(first.locator("h2")).to_have_text("Deep Vein Thrombosis and Anticoagulants")
    expect(first.locator("h2 mark")).to_have_count(3)
    expect(page.get_by_role("searchbox", name='Words, or a "phrase in quotes"')).to_have_value(
        '"deep vein thrombosis"'
    )
    screenshot(page, "search-signed-out")
    assert_accessible(page)

    with live_app.app_context():
        register("Sela Searcher", "sela@example.org", PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()
    sign_in(page, live_server, "sela@example.org", PASSWORD)
    page.get_by_label("Search the catalogue").fill("effleurage strokes")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    text = main_text(page, "Search the courses")
    assert "sign in" not in text
    hit = page.locator(".search-hit", has_text="The Swedish Strokes")
    expect(hit.locator(".search-excerpt mark").first).to_be_visible()
    assert "Module in Massage Techniques, version" in hit.inner_text()
    screenshot(page, "search-signed-in")
    assert_accessible(page)

    # The result opens the module, and Chromium scrolls to the words the excerpt showed.
    link = hit.get_by_role("link")
    assert "#:~:text=" in (link.get_attribute("href") or "")
    follow(page, link)
    expect(page.locator("h1")).to_have_text(
        "The Swedish Strokes: Effleurage, Petrissage, Tapotement, Friction and Vibration"
    )
    # Chromium scrolled to the fragment's words (and highlights them): the window, not the
    # whole page, shows where the learner lands.
    page.wait_for_function("() => window.scrollY > 0", timeout=5000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-opened-module.png"))

    set_viewport(page, {"width": 375, "height": 800})
    page.goto(live_server + "/search?q=consent")
    main_text(page, "Search the courses")
    assert_fits_width(page)
    screenshot(page, "search-phone")
    assert_accessible(page)
    assert errors == []
