"""A new learner in Chromium: sign up, open the course, read a module, take its quiz.

Every page visited is checked with axe; screenshots land in test-artifacts/screenshots/.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_width, confirm_signup, screenshot

pytestmark = pytest.mark.browser
COURSE = "Massage in Pain Management and Rehabilitation"


def test_sign_up_open_course_and_read_a_module(
    page: Any, live_server: str, live_app: Flask
) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Create account").click()
    assert_accessible(page)

    # A mistake first: the error names the field and nothing is created.
    page.get_by_label("Name").fill("Nguyễn Thị Łucja")
    page.get_by_label("Email").fill("lucja@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("#password-error").inner_text() == "Use between 8 and 1024 characters."
    screenshot(page, "signup-error")
    assert_accessible(page)

    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Create account").click()
    assert_accessible(page)
    confirm_signup(page, live_app, live_server, "lucja@example.org")
    assert "Welcome, Nguyễn Thị Łucja" in page.locator(".flash").inner_text()

    page.get_by_role("link", name=COURSE).click()
    assert page.locator("h1").inner_text() == COURSE
    assert page.locator("#ref-furlan2015").count() == 1
    screenshot(page, "course-before")
    assert_accessible(page)

    page.get_by_role("button", name="Start the course").click()
    assert page.locator("h1").inner_text() != COURSE
    assert page.locator("aside.evidence").count() > 0
    # A citation link jumps to the module's own reference list.
    first_cite = page.locator("a.cite").first
    target = first_cite.get_attribute("href")
    first_cite.click()
    assert page.locator(f"li{target}").is_visible()
    screenshot(page, "module")
    assert_accessible(page)

    page.get_by_role("button", name="Mark as read").click()
    assert "marked as read" in page.locator(".flash").inner_text()

    # Take the module's quiz, answering with the keyboard-reachable controls.
    page.locator(".quiz-status a").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
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
        assert questions.nth(i).locator("input").first.is_checked()
    screenshot(page, "quiz")
    assert_accessible(page)
    page.get_by_role("button", name="Submit answers").click()
    assert page.locator("h1").inner_text() == "Result: attempt 1"
    assert page.locator(".big-score").inner_text().endswith("%")
    assert page.locator(".explanation").count() == questions.count()
    screenshot(page, "result")
    assert_accessible(page)

    page.get_by_role("link", name="Back to the course").click()
    assert "quiz: best" in page.locator(".module-list li").first.inner_text()
    screenshot(page, "course-after")
    assert_accessible(page)

    page.get_by_role("link", name="My learning").click()
    assert page.locator(".course-card h3").inner_text() == COURSE
    screenshot(page, "my-learning")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_module_page_on_a_phone(page: Any, live_server: str, live_app: Flask) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill("Phone User")
    page.get_by_label("Email").fill("phone@example.org")
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()
    confirm_signup(page, live_app, live_server, "phone@example.org")
    page.goto(live_server + "/courses/massage-pain-rehab/modules/pain-relief")
    assert_fits_width(page)
    screenshot(page, "module-phone")
    assert_accessible(page)
