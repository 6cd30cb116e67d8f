"""A learner submits a quiz with questions unanswered: the navigator, the summary, "Go back"
with every answer kept, then "Submit anyway"; at desktop and phone widths, with and without
JavaScript. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.extensions import db
from eduapp.models import FINAL_KEY, Course, Enrolment, Quiz, Role, User
from eduapp.quiz import services
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    confirm_signup,
    follow,
    screenshot,
    set_viewport,
)
from tests.studio.conftest import grant

pytestmark = pytest.mark.browser
QUIZ = "/courses/massage-pain-rehab/quizzes/pain-relief"


def sign_up(page: Any, live_app: Flask, live_server: str, name: str, email: str) -> None:
    page.goto(live_server + "/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough passphrase")
    follow(page, page.get_by_role("button", name="Create account"))
    confirm_signup(page, live_app, live_server, email)


def fits(page: Any, width: int) -> None:
    """Nothing on the page scrolls sideways at this width."""
    assert_fits_width(page, width)


def test_unanswered_summary_go_back_then_submit_anyway(
    page: Any, live_server: str, live_app: Flask
) -> None:
    sign_up(page, live_app, live_server, "Ama Mensah", "ama@example.org")
    page.goto(live_server + QUIZ)
    # The attempt page's script saves and marks each answer: after the load it listens.
    follow(page, page.get_by_role("button", name="Start the quiz"))
    nav = page.locator("nav.quiz-nav")
    expect(nav).to_contain_text("0 of 8 answered")
    questions = page.locator(".quiz-form li.question")
    expect(questions).to_have_count(8)
    for i in (0, 1):
        questions.nth(i).locator("input").first.check()
        expect(page.locator("#save-status")).to_have_text("All answers saved.")
    # The navigator follows each answer, in words and shape as well as colour.
    expect(nav).to_contain_text("2 of 8 answered")
    first = nav.locator('a[href="#question-1"]')
    expect(first).to_have_class("is-answered")
    expect(first).to_contain_text("✓")
    expect(nav.locator('a[href="#question-3"]')).to_have_class("is-open")
    expect(nav.locator('a[href="#question-3"] .nav-state')).to_have_text(", not answered")
    expect(first.locator(".nav-state")).to_have_text(", answered")
    nav.get_by_role("link", name=re.compile(r"Question\s+5\b")).click()
    expect(page).to_have_url(re.compile("#question-5$"))
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "quiz-navigator")
    assert_accessible(page)

    follow(page, page.get_by_role("button", name="Submit answers"))
    expect(page.locator("h1")).to_have_text("Submit with unanswered questions?")
    summary = page.locator(".unanswered-summary")
    expect(summary).to_contain_text("You answered 2 of 8 questions.")
    expect(summary).to_contain_text("Unanswered: 3, 4, 5, 6, 7, 8.")
    screenshot(page, "quiz-unanswered")
    assert_accessible(page)
    set_viewport(page, {"width": 375, "height": 800})
    fits(page, 375)
    screenshot(page, "quiz-unanswered-phone")

    follow(page, page.get_by_role("link", name="Go back"))
    assert page.url.endswith("#question-3")
    for i in (0, 1):
        assert questions.nth(i).locator("input").first.is_checked()
    for i in range(2, 8):
        assert not any(box.is_checked() for box in questions.nth(i).locator("input").all())
    fits(page, 375)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "quiz-phone")
    assert_accessible(page)
    set_viewport(page, {"width": 1280, "height": 900})

    follow(page, page.get_by_role("button", name="Submit answers"))
    follow(page, page.get_by_role("button", name="Submit anyway"))
    expect(page.locator("h1")).to_have_text("Result: attempt 1")
    assert page.locator(".big-score").inner_text().endswith("%")
    assert_accessible(page)


@pytest.fixture
def page_without_script(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_the_summary_needs_no_javascript(
    page_without_script: Any, live_server: str, live_app: Flask
) -> None:
    page = page_without_script
    sign_up(page, live_app, live_server, "Noor Haddad", "noor@example.org")
    page.goto(live_server + QUIZ)
    follow(page, page.get_by_role("button", name="Start the quiz"))
    questions = page.locator(".quiz-form li.question")
    for i in (0, 2, 5):
        questions.nth(i).locator("input").first.check()
    fits(page, 375)
    follow(page, page.get_by_role("button", name="Submit answers"))
    # Nothing was saved before this post: the summary's post saved the answers.
    expect(page.locator(".unanswered-summary")).to_contain_text("You answered 3 of 8 questions.")
    expect(page.locator(".unanswered-summary")).to_contain_text("Unanswered: 2, 4, 5, 7, 8.")
    follow(page, page.get_by_role("link", name="Go back"))
    for i in (0, 2, 5):
        assert questions.nth(i).locator("input").first.is_checked()
    expect(page.locator("nav.quiz-nav")).to_contain_text("3 of 8 answered")
    screenshot(page, "quiz-phone-no-script")
    follow(page, page.get_by_role("button", name="Submit answers"))
    follow(page, page.get_by_role("button", name="Submit anyway"))
    expect(page.locator("h1")).to_have_text("Result: attempt 1")


def pass_the_final(live_app: Flask, email: str, slug: str) -> int:
    """Record a completed course and a passed final (reading every module and answering 20
    questions is the learner journey's test); the attempt's id."""
    with live_app.app_context():
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        db.session.add(
            Enrolment(
                user_id=user.id,
                course_id=course.id,
                version_id=course.current_version_id,
                completed_at=datetime.now(UTC),
            )
        )
        db.session.commit()  # start_attempt begins its own serialising transaction
        final = db.session.execute(
            db.select(Quiz).filter_by(course_id=course.id, key=FINAL_KEY)
        ).scalar_one()
        attempt = services.start_attempt(user, final)
        right = {
            q["key"]: [c["key"] for c in q["choices"] if c["correct"]]
            for q in attempt.snapshot["questions"]
            if q["type"] != "description"
        }
        assert services.grade_and_record(attempt, right).passed
        db.session.commit()
        return attempt.id


def test_a_passed_final_leads_to_the_evaluation_then_the_certificate_on_my_learning(
    page: Any, live_server: str, live_app: Flask
) -> None:
    sign_up(page, live_app, live_server, "Sione Taufa", "sione@example.org")
    attempt_id = pass_the_final(live_app, "sione@example.org", "massage-safety")
    page.goto(f"{live_server}/attempts/{attempt_id}/result")
    step = page.locator("section.next-step")
    expect(step).to_contain_text("Next, a short course evaluation")
    screenshot(page, "final-next-step")
    assert_accessible(page)

    follow(page, step.get_by_role("link", name="Evaluate the course and get your certificate"))
    for fieldset in page.locator("fieldset.rating").all():
        fieldset.get_by_label("Agree", exact=True).check()
    follow(page, page.get_by_role("button", name="Send and get my certificate"))
    expect(page.locator("h1")).to_have_text("Certificate verification")
    code = page.url.rsplit("/", 1)[1]

    # The result page now leads straight to the certificate.
    page.goto(f"{live_server}/attempts/{attempt_id}/result")
    expect(step.get_by_role("link", name="Download your certificate (PDF)")).to_have_attribute(
        "href", f"/certificates/{code}.pdf"
    )

    follow(page, page.get_by_role("link", name="My learning"))
    mine = page.locator("section.my-certificates")
    expect(mine.locator("h2")).to_have_text("Certificates")
    expect(mine).to_contain_text("Safety: Contraindications, Red Flags and Referral")
    expect(mine.get_by_role("link", name=re.compile("^Download the PDF"))).to_have_attribute(
        "href", f"/certificates/{code}.pdf"
    )
    expect(mine.get_by_role("link", name=re.compile("^Verification page"))).to_have_attribute(
        "href", f"/verify/{code}"
    )
    screenshot(page, "my-learning-certificates")
    assert_accessible(page)
    set_viewport(page, {"width": 375, "height": 800})
    fits(page, 375)
    screenshot(page, "my-learning-certificates-phone")

    # As an instructor, one evaluation shows as a count only.
    with live_app.app_context():
        db.session.execute(
            db.update(User).filter_by(email="sione@example.org").values(role=Role.INSTRUCTOR)
        )
        db.session.commit()
        grant("sione@example.org", "massage-safety", role="co-author")
    set_viewport(page, {"width": 1280, "height": 900})
    page.goto(live_server + "/courses/massage-safety/evaluations")
    expect(page.locator("main")).to_contain_text("Results are shown from 5 responses")
    assert page.locator("main table").count() == 0
    screenshot(page, "evaluations-too-few")
    assert_accessible(page)
