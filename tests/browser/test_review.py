"""A learner fails a shipped final (``review: after_pass``) and reads the result in Chromium:
the score, their own answers, and nothing that tells a right answer from a wrong one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import (
    assert_accessible,
    confirm_signup,
    follow,
    main_text,
    screenshot,
)

pytestmark = pytest.mark.browser
FINAL = "/courses/massage-pain-rehab/quizzes/final"


def test_a_failed_final_shows_the_score_and_no_key(
    page: Any, live_app: Flask, live_server: str
) -> None:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill("Rae Review")
    page.get_by_label("Email").fill("rae@example.org")
    page.get_by_label("Password").fill("a long pass phrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, "rae@example.org")
    page.goto(live_server + FINAL)
    follow(page, page.get_by_role("button", name="Start the quiz"))
    follow(page, page.get_by_role("button", name="Submit answers"))
    # Nothing answered: a fail.
    follow(page, page.get_by_role("button", name="Submit anyway"))

    text = main_text(page, "Result: attempt 1")
    assert page.locator(".big-score").inner_text() == "0%"
    assert "appear once you pass this quiz" in text
    assert page.locator("li.question:not(.description)").count() == 20
    for trace in (
        ".verdict",
        "li.question.right, li.question.wrong, li.question.partial",
        ".review-choices .key, .review-choices .wrong",
        ".review-table tr.right, .review-table tr.wrong",
        ".feedback",
        ".explanation",
    ):
        assert page.locator(trace).count() == 0, trace
    for words in ("Correct", "Incorrect", "Accepted", "(right)", "(wrong)"):
        assert words not in text, words
    screenshot(page, "result-key-hidden")
    assert_accessible(page)
