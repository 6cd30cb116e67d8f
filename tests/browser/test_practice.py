"""A practice exam in Chromium: a learner reads what the exam is and is not for, takes 50
questions drawn by content area, reads the score per area, and finds what they missed in their
review deck. axe on each page; screenshots at 1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import PracticeExam, ReviewCard, Role, User
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    follow,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "pia@practice.example"


def test_a_learner_takes_a_practice_exam_and_reads_it_by_area(
    page: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        register("Pia Practice", EMAIL, PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()
    sign_in(page, live_server, EMAIL, PASSWORD)
    page.goto(f"{live_server}/my-learning")
    follow(page, page.get_by_role("link", name="Practice exams by content area"))
    expect(page.locator("main")).to_contain_text("Not for:")
    assert_accessible(page)
    screenshot(page, "practice-index")
    page.get_by_label("Timed, as an exam is").check()
    follow(page, page.get_by_role("button", name="Start a practice exam"))
    questions = page.locator("li.question fieldset")
    expect(questions).to_have_count(50)
    expect(page.get_by_role("timer")).to_contain_text("Time left")
    assert_accessible(page)
    # The first option of every question that has options: some right, most not.
    for index in range(50):
        options = questions.nth(index).locator("input[type=radio]")
        if options.count():
            options.first.check()
            if index == 0:  # saved as given, so a timed exam that runs out keeps it
                expect(page.locator("#save-status")).to_have_text("All answers saved.")
    follow(page, page.get_by_role("button", name="Submit the practice exam"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice exam result")
    expect(page.locator(".flashes")).to_contain_text("in your review deck, due tomorrow")
    # One row per content area (a matching question's review has a table of its own, and
    # whether one is drawn is chance).
    expect(page.locator("table[aria-labelledby=areas-heading] tbody tr")).to_have_count(6)
    assert_accessible(page)
    screenshot(page, "practice-result")
    set_viewport(page, {"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, "practice-result-375")
    set_viewport(page, {"width": 1280, "height": 900})
    with live_app.app_context():
        pia = db.session.execute(db.select(User).filter_by(email=EMAIL)).scalar_one()
        exam = db.session.execute(db.select(PracticeExam).filter_by(user_id=pia.id)).scalar_one()
        assert exam.submitted_at is not None and len(exam.snapshot["questions"]) == 50
        assert all(q["course_slug"] for q in exam.snapshot["questions"])
        cards = db.session.execute(db.select(ReviewCard).filter_by(user_id=pia.id)).scalars()
        assert len(list(cards)) == sum(not r["correct"] for r in exam.results["questions"].values())
