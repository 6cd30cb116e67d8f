"""Issue 14's question journey in Chromium, as an instructor who has never seen a quiz file:
add a module, build its quiz from three types of question in the browser (seeing the lint
flag a key that stands out, and the learner's view), import a Moodle GIFT export into another
module's quiz, publish, and read what changed. axe on every page of the way; screenshots at
1280 and 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Question, Quiz
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    follow,
    instructor_on,
    screenshot,
    set_viewport,
    sign_in,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
EMAIL = "quinn@questions.example"
SLUG = "massage-techniques"
SAVED = (
    "() => document.getElementById('save-status').textContent.startsWith('Saved at')"
    " && !sessionStorage.getItem(document.getElementById('module-form').dataset.storageKey)"
)
# What Moodle's exporter writes: an [html] question text, [moodle] and [plain] answers.
MOODLE_GIFT = """// question: 101  name: Effleurage direction
// [tag:strokes]
::Effleurage direction::[html]<p>Effleurage on a limb is usually <b>directed</b> where?</p>{
\t=[moodle]Toward the heart#[html]<p>Right: the usual direction of venous return.</p>
\t~[moodle]Away from the heart#[html]<p>No: strokes usually follow venous return.</p>
\t~[moodle]Across the limb#[html]<p>No: that describes cross-fibre work.</p>
}

::Name the stroke::[html]<p>Name the kneading stroke of Swedish massage.</p>{
\t=[plain]Petrissage
\t=[plain]Pétrissage
}
"""


def add_question(page: Any, kind: str) -> None:
    """From the quiz page: choose the type and open the editor for it."""
    page.get_by_label(kind).check()
    follow(page, page.get_by_role("button", name="Write the question"))


def test_an_instructor_builds_a_quiz_imports_a_moodle_bank_publishes_and_reads_the_changes(
    page: Any, live_server: str, live_app: Flask, tmp_path: Any
) -> None:
    instructor_on(live_app, "Quinn Author", EMAIL, PASSWORD, SLUG, "owner")
    sign_in(page, live_server, EMAIL, PASSWORD)
    page.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    follow(page, page.get_by_role("button", name="Start editing"))

    # A new module, with a little text.
    page.get_by_label("Title of the new module").fill("Working with the breath")
    follow(page, page.get_by_role("button", name="Add module"))
    page.get_by_role("toolbar", name="Formatting").wait_for()
    page.get_by_label("Module text (Markdown)").fill(
        "## Pacing strokes with the breath\n\nSlow gliding strokes can be paced with the "
        "client's breathing out, which many clients find calming.\n"
    )
    page.wait_for_function(SAVED, timeout=15_000)

    # Its quiz, built from three types.
    page.goto(f"{live_server}/studio/courses/{SLUG}/draft")
    follow(page, page.get_by_role("link", name="Quiz questions of Working with the breath"))
    expect(page.locator("main")).to_contain_text("has no questions yet")
    assert_accessible(page)

    add_question(page, "True or false")
    page.get_by_label("Question", exact=True).fill(
        "Pacing strokes with the breath is a proven cure for anxiety disorders."
    )
    page.get_by_label("The statement is false").check()
    page.get_by_label("Feedback for a learner who answers False").fill(
        "Right: clients often find it calming, which is not the same as treating a disorder."
    )
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".flashes")).to_contain_text("Saved question")
    expect(page.locator("#preview")).to_contain_text("Pacing strokes with the breath")
    expect(page.locator("#preview").get_by_role("radio", name="True", exact=True)).to_be_visible()
    assert_accessible(page)

    follow(page, page.get_by_role("link", name="Back to the quiz"))
    add_question(page, "Single answer: one correct choice")
    page.get_by_label("Question", exact=True).fill("When is a breath-paced stroke usually done?")
    page.get_by_label("Text of choice 1").fill(
        "As the client breathes out, slowly, with the stroke's length matched to the breath"
    )
    page.get_by_label("Choice 1 is the correct answer").check()
    page.get_by_label("Text of choice 2").fill("Never")
    page.get_by_label("Text of choice 3").fill("At random")
    page.get_by_label("Feedback when chosen").nth(1).fill("No: it is a common, gentle technique.")
    # As it is typed: the lint and the learner's view update beside the form, nothing saved.
    expect(page.locator("#live-status")).to_have_text("Lint and preview updated.")
    expect(page.locator("#question-aside .findings").first).to_contain_text("key-length")
    expect(page.locator("#question-aside")).to_contain_text("No: it is a common, gentle technique.")
    # Without the script, Preview does the same as a form post.
    follow(page, page.get_by_role("button", name="Preview"))
    # The lint flags the key that stands out, before anything is saved.
    expect(page.locator("#lint-heading")).to_contain_text("as previewed, not saved")
    expect(page.locator(".findings").first).to_contain_text("key-length")
    expect(page.locator("#preview-heading")).to_have_text("Preview (not saved yet)")
    screenshot(page, "question-editor-lint")
    assert_accessible(page)
    # Taking the lint's advice: distractors as long and careful as the key.
    page.get_by_label("Text of choice 2").fill(
        "As the client breathes in, quickly, with the stroke's length kept the same throughout"
    )
    page.get_by_label("Text of choice 3").fill(
        "While the client holds their breath, firmly, with the pressure rising at each stroke"
    )
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".flashes")).to_contain_text("Saved question")
    expect(page.locator("#lint-heading + p")).to_have_text(
        "The item-writing lint finds nothing in this question."
    )
    screenshot(page, "question-editor-saved")

    follow(page, page.get_by_role("link", name="Back to the quiz"))
    add_question(page, "Short answer: the learner types a word or phrase")
    page.get_by_label("Question", exact=True).fill("Name the stroke usually paced with the breath.")
    page.get_by_label("Answer 1").fill("Effleurage")
    page.get_by_label("Answer 2").fill("Gliding")
    page.get_by_label("Credit (%)").nth(1).fill("50")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".flashes")).to_contain_text("Saved question")

    follow(page, page.get_by_role("link", name="Back to the quiz"))
    expect(page.locator(".quiz-questions > li")).to_have_count(3)
    page.get_by_label("Attempts allowed").fill("three")
    follow(page, page.get_by_role("button", name="Save the settings"))
    expect(page.locator("#max_attempts-error")).to_have_text("Write a whole number.")
    page.get_by_label("Attempts allowed").fill("3")
    follow(page, page.get_by_role("button", name="Save the settings"))
    expect(page.locator(".flashes")).to_contain_text("Saved the settings")
    screenshot(page, "quiz-page")
    assert_accessible(page)
    set_viewport(page, {"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, "quiz-page-375")
    set_viewport(page, {"width": 1280, "height": 900})

    # A Moodle export into the first module's quiz.
    bank = tmp_path / "moodle-export.gift"
    bank.write_text(MOODLE_GIFT, encoding="utf-8")
    page.goto(f"{live_server}/studio/courses/{SLUG}/draft/quizzes/swedish-strokes")
    follow(page, page.get_by_role("link", name="import questions"))
    page.get_by_label("Question bank file").set_input_files(str(bank))
    page.get_by_role("radio", name="GIFT").check()
    follow(page, page.get_by_role("button", name="Import the questions"))
    expect(page.locator(".flashes")).to_contain_text("2 questions from moodle-export.gift")

    # Publish, and read what changed.
    page.goto(f"{live_server}/studio/courses/{SLUG}/publish")
    expect(page.locator("main")).to_contain_text("Every module renders without a problem.")
    label = page.get_by_label("Version number").input_value()
    page.get_by_label("What changed").fill(
        "A module on pacing strokes with the breath, with a quiz."
    )
    follow(page, page.get_by_role("button", name="Publish version"))
    expect(page.locator(".flashes")).to_contain_text(f"Version {label} is published.")
    page.goto(f"{live_server}/studio/courses/{SLUG}")
    follow(page, page.get_by_role("link", name=f"What changed in version {label}"))
    expect(page.locator("main")).to_contain_text("questions added, changed or retired")
    expect(page.locator("main")).to_contain_text("Working with the breath")
    screenshot(page, "question-changes")
    assert_accessible(page)

    with live_app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=SLUG)).scalar_one()
        version = db.session.get_one(CourseVersion, course.current_version_id)
        keys = set(
            db.session.execute(
                db.select(Question.key).join(Quiz).where(Quiz.version_id == version.id)
            ).scalars()
        )
        assert {"effleurage-direction", "name-the-stroke"} <= keys
        assert "name-the-stroke-usually-paced" in keys
