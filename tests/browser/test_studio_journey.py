"""Issue 13's journey in Chromium, as an instructor who has never seen a YAML file: create a
course, give it a reference, write two modules (one with an uploaded figure) with the live
preview, publish; a learner starts it; the instructor corrects a module and publishes again;
the learner who started keeps their version and is offered the new one, a new learner gets
the correction, and ``make run``'s import of ``courses/`` leaves it in place. axe runs on
every studio page on the way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.content.importer import import_courses
from eduapp.extensions import db
from eduapp.models import Role
from tests.browser.conftest import (
    ROOT,
    assert_accessible,
    assert_fits_width,
    confirm_signup,
    follow,
    screenshot,
    set_viewport,
    sign_in,
)
from tests.conftest import catalogue
from tests.figures.imagekit import raster

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
DOMAIN = "journey.example"
TITLE = "Draping for Comfort and Dignity"
SLUG = "draping-for-comfort-and-dignity"
SAVED = (
    "() => document.getElementById('save-status').textContent.startsWith('Saved at')"
    " && !sessionStorage.getItem(document.getElementById('module-form').dataset.storageKey)"
)
FIRST = (
    "## Why draping matters\n\n"
    "A client undresses to the level they choose, and the drape covers everything except the "
    "area being worked on [@mbl-draping].\n\n"
)
FIGURE = (
    "![A sheet folded back to uncover one leg only]"
    '(figures/leg-drape.png "Uncover one area at a time")\n'
)
FIXED = "A client undresses only to the level they are comfortable with"


def sign_up(page: Any, live_app: Flask, live_server: str, name: str, email: str) -> Any:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, email)
    return page


def editor_ready(page: Any) -> None:
    """Wait for the module editor's script: its toolbar is drawn by it, and what is typed or
    uploaded before it listens is neither autosaved nor put into the text."""
    page.get_by_role("toolbar", name="Formatting").wait_for()


def write(page: Any, text: str) -> None:
    """Type a module's text in the editor and wait for the autosave."""
    editor_ready(page)
    page.get_by_label("Module text (Markdown)").fill(text)
    page.wait_for_function(SAVED, timeout=15_000)


def publish(page: Any, live_server: str, note: str, first: bool = False) -> str:
    page.goto(f"{live_server}/studio/courses/{SLUG}/publish")
    assert "Every module renders without a problem." in page.locator("main").inner_text()
    assert_accessible(page)
    label = page.get_by_label("Version number").input_value()
    page.get_by_label("What changed").fill(note)
    if first:
        assert page.get_by_label("Show the course in the catalogue").is_checked()
    follow(page, page.get_by_role("button", name="Publish version"))
    assert f"Version {label} is published." in page.inner_text(".flashes")
    return label


def test_an_instructor_writes_publishes_and_corrects_a_course_in_the_browser(
    new_person: Callable[[], Any], live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        register("Ivy Instructor", f"ivy@{DOMAIN}", PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
    ivy = new_person()
    sign_in(ivy, live_server, f"ivy@{DOMAIN}", PASSWORD)

    # Create the course from My courses.
    follow(ivy, ivy.get_by_role("navigation", name="Main").get_by_role("link", name="Studio"))
    follow(ivy, ivy.get_by_role("link", name="Create a course"))
    assert_accessible(ivy)
    ivy.get_by_label("Title").fill(TITLE)
    expect(ivy.get_by_label("Web address")).to_have_value(SLUG)  # suggested by the script
    ivy.get_by_label("Summary").fill(
        "How to drape clients so they stay warm, covered and in charge."
    )
    follow(ivy, ivy.get_by_role("button", name="Create the course"))
    expect(ivy.locator("h1")).to_have_text(TITLE)
    screenshot(ivy, "journey-new-course")
    assert_accessible(ivy)

    # A reference, in the settings.
    follow(ivy, ivy.get_by_role("link", name="Settings").first)
    ivy.get_by_label("Learning objectives").fill(
        "Drape a client for each position on the table.\nExplain consent to draping changes."
    )
    ivy.get_by_label("ID", exact=True).first.fill("mbl-draping")
    ivy.get_by_label("Citation", exact=True).first.fill(
        "Massage & Bodywork Licensing Examination content outline: professional ethics and "
        "draping. Federation of State Massage Therapy Boards."
    )
    follow(ivy, ivy.get_by_role("button", name="Save settings"))
    screenshot(ivy, "journey-settings")
    assert "Saved in your draft" in ivy.inner_text(".flashes")
    assert ivy.get_by_label("ID", exact=True).first.input_value() == "mbl-draping"
    assert_accessible(ivy)

    # The first module: text with a citation and an uploaded figure, previewed as typed.
    ivy.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    assert_accessible(ivy)
    follow(ivy, ivy.get_by_role("link", name="Edit").first)
    editor_ready(ivy)
    ivy.get_by_label("Module title").fill("Why Draping Matters")
    ivy.get_by_label("Image file (PNG, JPEG, WebP or SVG, at most 1 MB)").set_input_files(
        {"name": "leg-drape.png", "mimeType": "image/png", "buffer": raster("PNG", (320, 200))}
    )
    ivy.get_by_role("button", name="Upload figure").click()
    ivy.get_by_text("figures/leg-drape.png is uploaded and put into the text").wait_for()
    write(ivy, FIRST + FIGURE)
    preview = ivy.locator("#live-preview")
    preview.get_by_role("heading", name="Why draping matters").wait_for()
    preview.locator("figure img").wait_for()
    assert "Uncover one area at a time" in preview.inner_text()
    screenshot(ivy, "journey-editor")
    assert_accessible(ivy)

    # The second module, added from the draft page.
    ivy.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    ivy.get_by_label("Title of the new module").fill("Turning the Client Over")
    follow(ivy, ivy.get_by_role("button", name="Add module"))
    write(
        ivy,
        "## Holding the drape\n\nAnchor the sheet against the table with your thigh while the "
        "client turns, and ask them to turn towards you.\n",
    )
    ivy.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    modules = ivy.locator("ol.draft-modules").inner_text()
    assert modules.index("Why Draping Matters") < modules.index("Turning the Client Over")
    first_version = publish(ivy, live_server, "The first version.", first=True)

    # A learner finds it in the catalogue and starts it.
    lea = sign_up(new_person(), live_app, live_server, "Lea Learner", f"lea@{DOMAIN}")
    lea.goto(live_server + "/")
    follow(lea, lea.get_by_role("link", name=TITLE))
    follow(lea, lea.get_by_role("button", name="Start the course"))
    assert "the area being worked on" in lea.locator("main").inner_text()
    assert lea.locator("figure img").get_attribute("alt") == (
        "A sheet folded back to uncover one leg only"
    )
    screenshot(lea, "journey-learner-module")

    # The instructor corrects the first module (in a new draft) and publishes again.
    ivy.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    follow(ivy, ivy.get_by_role("button", name="Start editing"))
    follow(ivy, ivy.get_by_role("link", name="Edit").first)
    write(ivy, FIRST.replace("A client undresses to the level they choose", FIXED) + FIGURE)
    second_version = publish(ivy, live_server, "Says who decides how far a client undresses.")
    assert second_version != first_version
    screenshot(ivy, "journey-studio-versions")
    assert_accessible(ivy)

    # make run imports courses/ on every start; the studio's correction stays.
    with live_app.app_context():
        import_courses(catalogue(ROOT / "courses"))
        db.session.commit()

    # Lea keeps the version she started and is offered the correction; Noa gets it.
    # (The module's address keeps the slug it was created with, whatever its title now.)
    lea.goto(f"{live_server}/courses/{SLUG}/modules/introduction")
    before = lea.locator("main").inner_text()
    assert "A client undresses to the level they choose" in before and FIXED not in before
    lea.goto(f"{live_server}/courses/{SLUG}")
    offer = lea.get_by_role("region", name="A newer version of this course is out")
    assert "Says who decides how far a client undresses." in offer.inner_text()
    noa = sign_up(new_person(), live_app, live_server, "Noa Newcomer", f"noa@{DOMAIN}")
    noa.goto(f"{live_server}/courses/{SLUG}")
    follow(noa, noa.get_by_role("button", name="Start the course"))
    assert FIXED in noa.locator("main").inner_text()
    set_viewport(noa, {"width": 375, "height": 800})
    assert_fits_width(noa)
    screenshot(noa, "journey-new-learner-375")
    follow(lea, lea.get_by_role("button", name=f"Move to version {second_version}"))
    expect(lea.locator(".flashes")).to_contain_text(f"You are now on version {second_version}.")
    lea.goto(f"{live_server}/courses/{SLUG}/modules/introduction")
    assert FIXED in lea.locator("main").inner_text()
