"""An instructor's item analysis in Chromium, over 240 simulated attempts of a real quiz."""

from __future__ import annotations

import math
import random
import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Course, Quiz, Role
from eduapp.quiz.snapshot import take_snapshot
from tests.browser.conftest import ARTIFACTS, assert_accessible, follow, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.studio.attempts import graded_attempt, learners
from tests.studio.conftest import grant

pytestmark = pytest.mark.browser
COURSE = "massage-pain-rehab"


def simulate(app: Flask, count: int = 240) -> str:
    """Learners of varied ability answer a module quiz; returns the quiz key."""
    rng = random.Random(4)
    with app.app_context():
        quiz = (
            db.session.execute(
                db.select(Quiz)
                .join(Course)
                .where(Course.slug == COURSE, Quiz.key != "final")
                .order_by(Quiz.id)
            )
            .scalars()
            .first()
        )
        questions = take_snapshot(quiz)["questions"]
        difficulty = {q["key"]: rng.uniform(-2, 1) for q in questions}
        difficulty[questions[0]["key"]] = -3.5  # one that nearly everyone gets right
        for learner in learners(count, prefix="analysis"):
            ability = rng.gauss(0, 1)
            responses = {}
            for q in questions:
                right = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - difficulty[q["key"]])))
                keys = [c["key"] for c in q["choices"] if c["correct"] == right]
                responses[q["key"]] = (
                    keys
                    if q["type"] == "multiple" and right
                    else keys[:1] or [q["choices"][0]["key"]]
                )
            graded_attempt(quiz, learner, responses)
        register("Ivy Instructor", "ivy@example.org", PASSWORD, "UTC", Role.INSTRUCTOR)
        db.session.commit()
        grant("ivy@example.org", COURSE)
        return quiz.key


def test_item_analysis_in_chromium(page: Any, live_app: Flask, live_server: str) -> None:
    key = simulate(live_app)
    sign_in(page, live_server, "ivy@example.org", PASSWORD)
    page.goto(f"{live_server}/courses/{COURSE}/quizzes/{key}")
    follow(page, page.get_by_role("link", name="Item analysis"))
    expect(page.locator("h1")).to_have_text("Item analysis")
    assert page.locator(".facts dd").first.inner_text() == "240"
    chart = page.locator("figure.analysis-chart svg")
    assert chart.get_attribute("role") == "img"
    assert (
        chart.locator("rect.bar-facility").count()
        == page.locator(".analysis-table tbody tr").count()
    )
    assert "too easy" in page.locator(".analysis-table").inner_text()
    screenshot(page, "item-analysis")
    chart.screenshot(path=str(ARTIFACTS / "item-analysis-chart.png"))
    assert_accessible(page)
    page.get_by_label("All graded attempts").check()
    follow(page, page.get_by_role("button", name="Show"))
    expect(page).to_have_url(re.compile(r"attempts=all$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith("-item-analysis-all.csv")
