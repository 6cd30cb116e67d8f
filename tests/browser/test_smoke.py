"""The catalogue in a real Chromium: it renders, it is accessible, it fits a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot

pytestmark = pytest.mark.browser


def test_catalogue_in_chromium(page: Any, live_server: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/")
    assert page.title() == "Courses · eduapp"
    card = page.locator(".course-card", has_text="Massage in Pain Management and Rehabilitation")
    assert card.count() == 1
    assert card.locator("dt", has_text="CE hours").count() == 1
    screenshot(page, "catalogue-desktop")
    assert_accessible(page)
    # The CSP blocks nothing of ours: no console errors, the stylesheet applied.
    assert errors == []
    header_colour = page.eval_on_selector(
        ".site-header", "e => getComputedStyle(e).backgroundColor"
    )
    assert header_colour == "rgb(31, 95, 91)"


def test_catalogue_fits_a_phone_and_works_by_keyboard(page: Any, live_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/")
    assert_fits_width(page)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class("skip-link")
    screenshot(page, "catalogue-phone")
    assert_accessible(page)
