"""A module with a figure in Chromium: the image loads through /figures/, keeps its caption,
and fits the column at 1280 and 375 pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth import services as auth_services
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Role
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    screenshot,
    set_viewport,
    sign_in,
)
from tests.conftest import PASSWORD
from tests.content.figurekit import write_course
from tests.studio.conftest import grant

pytestmark = pytest.mark.browser
EMAIL = "fig@example.org"
# A wide drawing, so the phone test proves it shrinks: outline, hands, arrows and labels.
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="960" height="480" viewBox="0 0 960 480">
<rect width="960" height="480" fill="#fff"/>
<ellipse cx="480" cy="240" rx="360" ry="120" fill="none" stroke="#333" stroke-width="4"/>
<path d="M220 300 C380 200 580 200 740 300" fill="none" stroke="#1f5f5b" stroke-width="8"
  stroke-dasharray="18 10" marker-end="url(#arrow)"/>
<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="6" refY="5" orient="auto">
<path d="M0 0 L10 5 L0 10 z" fill="#1f5f5b"/></marker></defs>
<text x="480" y="90" font-family="sans-serif" font-size="36" text-anchor="middle">Client prone:
stroke toward the heart</text>
</svg>"""
ALT = "A client lying prone with a dashed arrow gliding from the low back toward the shoulders"
CAPTION = "Effleurage: long gliding strokes toward the heart, both palms flat"


@pytest.fixture(scope="module")
def figure_module(live_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("figure-course")
    body = f'Read the stroke first.\n\n![{ALT}](figures/effleurage.svg "{CAPTION}")\n\nThen try it.'
    folder = write_course(root, body, {"figures/effleurage.svg": SVG}, slug="figure-course")
    course_file = folder / "course.yml"
    # A draft: only its owner sees it, so the shipped catalogue other tests read is unchanged.
    course_file.write_text(course_file.read_text().replace("published", "draft"))
    with live_app.app_context():
        import_courses(load_catalogue(Path(root)))
        auth_services.register("Fig Instructor", EMAIL, PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
        grant(EMAIL, "figure-course")
    return "/courses/figure-course/modules/strokes"


def test_a_figure_shows_at_desktop_and_phone_width(
    page: Any, live_server: str, figure_module: str
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, EMAIL, PASSWORD)
    page.goto(live_server + figure_module)

    image = page.locator("figure.figure img")
    image.scroll_into_view_if_needed()
    # A function, not an expression: the page's CSP forbids eval, which Playwright would use
    # to run a bare expression inside the page.
    expect(image).to_have_js_property("complete", True)
    assert image.get_attribute("alt") == ALT
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("960", "480")
    assert image.get_attribute("loading") == "lazy"
    assert image.evaluate("i => i.naturalWidth") == 960  # the bytes arrived and decoded
    assert page.locator("figure.figure figcaption").inner_text() == CAPTION
    assert errors == []
    box = image.bounding_box()
    column = page.locator(".module-body").bounding_box()
    assert box["width"] <= column["width"]
    assert abs(box["height"] / box["width"] - 0.5) < 0.01  # height follows width
    screenshot(page, "figure-desktop")
    assert_accessible(page)

    set_viewport(page, {"width": 375, "height": 800})
    page.goto(live_server + figure_module)
    image.scroll_into_view_if_needed()
    # A function, not an expression: the page's CSP forbids eval, which Playwright would use
    # to run a bare expression inside the page.
    expect(image).to_have_js_property("complete", True)
    assert_fits_width(page)
    box = image.bounding_box()
    assert box["width"] < 375
    assert abs(box["height"] / box["width"] - 0.5) < 0.01
    screenshot(page, "figure-phone")
