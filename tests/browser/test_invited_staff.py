"""Where a manager and a new staff member meet, in Chromium: an invitation by email, opened
signed out, survives creating an account; the manager assigns a course; the staff member
finds it under "Assigned to you" on My learning, and through the reminder email's link.

Screenshots land in test-artifacts/screenshots/ (invite-*.png); axe checks the new pages.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Assignment, Clinic, ClinicMember, Course, OutgoingMessage, User
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
COURSE = "Ethics and Scope of Practice"
OLDER = "massage-safety"
NEW_PERSON = "nora@lakeside.example"


def newest_link(live_app: Flask, recipient: str, pattern: str) -> str:
    """The path (and fragment) of the newest link matching ``pattern`` mailed to someone."""
    with live_app.app_context():
        bodies = db.session.execute(
            db.select(OutgoingMessage.body)
            .where(OutgoingMessage.recipient == recipient)
            .order_by(OutgoingMessage.id.desc())
        ).scalars()
        for body in bodies:
            match = re.search(re.escape(live_app.config["BASE_URL"]) + f"({pattern})", body)
            if match:
                return match.group(1)
    raise AssertionError(f"no {pattern} mailed to {recipient}")


def test_an_invited_person_signs_up_accepts_and_finds_the_assignment(
    browser: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        manager = register("Lena Manager", "lena@lakeside.example", PASSWORD, "UTC")
        clinic = Clinic(name="Lakeside Clinic")
        db.session.add(clinic)
        db.session.flush()
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"))
        db.session.commit()
        clinic_id = clinic.id
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in "ab"]
    try:
        journey(contexts[0].new_page(), contexts[1].new_page(), live_server, live_app, clinic_id)
    finally:
        for context in contexts:
            context.close()


def journey(boss: Any, nora: Any, live_server: str, live_app: Flask, clinic_id: int) -> None:

    # The manager invites a new person by email.
    sign_in(boss, live_server, "lena@lakeside.example", PASSWORD)
    boss.goto(f"{live_server}/clinics/{clinic_id}/staff")
    boss.get_by_label("Email addresses").fill(NEW_PERSON)
    follow(boss, boss.get_by_role("button", name="Send invitations"))
    assert "1 invitation sent." in boss.locator(".flash").first.inner_text()
    link = newest_link(live_app, NEW_PERSON, r"/invites/[A-Za-z0-9_-]+")

    # Signed out, the link asks them to sign in and says which invitation this is.
    nora.goto(live_server + link)
    assert nora.locator("h1").inner_text() == "Sign in"
    assert "Lakeside Clinic invited nora@lakeside.example" in nora.locator(
        ".invitation-note"
    ).inner_text().replace("\n", " ")
    screenshot(nora, "invite-1-sign-in")
    follow(nora, nora.get_by_role("link", name="Create an account"))
    expect(nora.locator("h1")).to_have_text("Create an account")
    assert nora.get_by_label("Email").input_value() == NEW_PERSON  # filled in from the invite
    nora.get_by_label("Name").fill("Nora Lindqvist")
    nora.get_by_label("Password").fill(PASSWORD)
    screenshot(nora, "invite-2-sign-up")
    assert_accessible(nora)
    follow(nora, nora.get_by_role("button", name="Create account"))

    # No email round trip: the invitation proved the address, and it is waiting.
    expect(nora.locator("h1")).to_have_text("Share your CE with Lakeside Clinic?")
    assert nora.url == live_server + link
    screenshot(nora, "invite-3-accept")
    assert_accessible(nora)
    nora.get_by_label(re.compile("I agree to share")).check()
    follow(nora, nora.get_by_role("button", name="Join and share"))
    assert "You now share your CE with Lakeside Clinic" in nora.locator(".flash").inner_text()

    # The manager assigns a course to her.
    boss.goto(f"{live_server}/clinics/{clinic_id}/assignments")
    boss.get_by_label("Course").select_option(label=COURSE)
    due = date.today() + timedelta(days=7)
    boss.get_by_label("Due by").fill(due.isoformat())
    boss.get_by_label("Who").select_option(label="Nora Lindqvist")
    follow(boss, boss.get_by_role("button", name="Assign"))
    assert "The course is assigned." in boss.locator(".flash").first.inner_text()

    # An older assignment to all staff, already overdue, as a manager may have made.
    with live_app.app_context():
        safety = db.session.execute(db.select(Course).filter_by(slug=OLDER)).scalar_one()
        manager_id = db.session.execute(
            db.select(User.id).filter_by(email="lena@lakeside.example")
        ).scalar_one()
        db.session.add(
            Assignment(
                clinic_id=clinic_id,
                course_id=safety.id,
                due_on=date.today() - timedelta(days=3),
                created_by_id=manager_id,
            )
        )
        db.session.commit()

    # She sees both on My learning, the overdue one first, said in words...
    nora.goto(live_server + "/my-learning")
    section = nora.locator("#assigned")
    assert section.locator("h2").inner_text() == "Assigned to you"
    cards = section.locator(".assigned-card")
    assert cards.count() == 2
    assert "Overdue" in cards.nth(0).inner_text()
    text = cards.nth(1).inner_text()
    assert COURSE in text and "Lakeside Clinic" in text and "Not started" in text
    assert f"{due.day} {due:%B %Y}" in text
    assert "You have not started a course yet" not in nora.content()
    screenshot(nora, "invite-4-my-learning")
    assert_accessible(nora)
    set_viewport(nora, {"width": 375, "height": 800})
    assert_fits_width(nora)
    screenshot(nora, "invite-4-my-learning-phone")
    set_viewport(nora, {"width": 1280, "height": 900})

    # The catalogue marks both courses.
    nora.goto(live_server + "/")
    marks = nora.locator(".assigned-mark").all_inner_texts()
    assert sum("(overdue)" in m for m in marks) == 1
    assert len(marks) == 2 and all("Assigned by Lakeside Clinic, due" in m for m in marks)
    screenshot(nora, "invite-4-catalogue")
    assert_accessible(nora)

    # ... and through the reminder email's link.
    result = live_app.test_cli_runner().invoke(args=["ce", "remind"])
    assert result.exit_code == 0, result.output
    reminder = newest_link(live_app, NEW_PERSON, r"/my-learning#assigned")
    nora.goto(live_server + "/")
    nora.goto(live_server + reminder)
    assert nora.url.endswith("/my-learning#assigned")
    expect(nora.locator("#assigned")).to_be_visible()
    assert nora.locator("#assigned").evaluate("el => el.matches(':target')")
    screenshot(nora, "invite-5-reminder-link")
    follow(nora, nora.get_by_role("link", name=COURSE).first)  # the course page, to start it
    expect(nora.locator("h1")).to_have_text(COURSE)
