"""A new learner in Chromium: sign up, open the course, read a module, take its quiz.

Every page visited is checked with axe; screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    confirm_signup,
    follow,
    screenshot,
)

pytestmark = pytest.mark.browser
COURSE = "Massage in Pain Management and Rehabilitation"


def test_sign_up_open_course_and_read_a_module(
    page: Any, live_server: str, live_app: Flask
) -> None:
    page.goto(live_server + "/")
    follow(page, page.get_by_role("link", name="Create account"))
    assert_accessible(page)

    # A mistake first: the error names the field and nothing is created.
    page.get_by_label("Name").fill("Nguyễn Thị Łucja")
    page.get_by_label("Email").fill("lucja@example.org")
    page.get_by_label("Password").fill("short")
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.locator("#password-error")).to_have_text("Use between 8 and 1024 characters.")
    screenshot(page, "signup-error")
    assert_accessible(page)

    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_label("Time zone").select_option("America/Chicago")
    follow(page, page.get_by_role("button", name="Create account"))
    assert_accessible(page)
    confirm_signup(page, live_app, live_server, "lucja@example.org")
    assert "Welcome, Nguyễn Thị Łucja" in page.locator(".flash").inner_text()

    follow(page, page.get_by_role("link", name=COURSE))
    expect(page.locator("h1")).to_have_text(COURSE)
    assert page.locator("#ref-furlan2015").count() == 1
    screenshot(page, "course-before")
    assert_accessible(page)

    follow(page, page.get_by_role("button", name="Start the course"))
    expect(page.locator("h1")).not_to_have_text(COURSE)
    assert page.locator("aside.evidence").count() > 0
    # A citation link jumps to the module's own reference list.
    first_cite = page.locator("a.cite").first
    target = first_cite.get_attribute("href")
    first_cite.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.locator(f"li{target}")).to_be_visible()
    screenshot(page, "module")
    assert_accessible(page)

    follow(page, page.get_by_role("button", name="Mark as read"))
    assert "marked as read" in page.locator(".flash").inner_text()

    # Take the module's quiz, answering with the keyboard-reachable controls.
    follow(page, page.locator(".quiz-status a"))
    assert_accessible(page)
    # The attempt page's script saves each answer: after the load it listens.
    follow(page, page.get_by_role("button", name="Start the quiz"))
    html = page.content()
    for leak in ('class="feedback"', 'class="explanation"', "Correct answer", 'class="marker"'):
        assert leak not in html
    questions = page.locator("li.question")
    for i in range(questions.count()):
        questions.nth(i).locator("input").first.check()
        expect(page.locator("#save-status")).to_have_text("All answers saved.")
    # Autosave: a reload (or another browser) shows every answer given so far.
    page.reload()
    for i in range(questions.count()):
        expect(questions.nth(i).locator("input").first).to_be_checked()
    screenshot(page, "quiz")
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Submit answers"))
    expect(page.locator("h1")).to_have_text("Result: attempt 1")
    assert page.locator(".big-score").inner_text().endswith("%")
    assert page.locator(".explanation").count() == questions.count()
    screenshot(page, "result")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="Back to the course"))
    assert "quiz: best" in page.locator(".module-list li").first.inner_text()
    screenshot(page, "course-after")
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="My learning"))
    assert page.locator(".course-card h3").inner_text() == COURSE
    screenshot(page, "my-learning")
    assert_accessible(page)

    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_module_page_on_a_phone(page: Any, live_server: str, live_app: Flask) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill("Phone User")
    page.get_by_label("Email").fill("phone@example.org")
    page.get_by_label("Password").fill("a long enough passphrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, "phone@example.org")
    page.goto(live_server + "/courses/massage-pain-rehab/modules/pain-relief")
    assert_fits_width(page)
    screenshot(page, "module-phone")
    assert_accessible(page)
