"""Users for admins, in Chromium: an admin finds a learner, deactivates them (the learner's
open session, in another browser, is signed out at its next request and cannot sign in
again), reactivates them and sends a reset link; the history lists all three. Screenshots at
1280 and 375 px; axe on the list, the account's page and the confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Role
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"
ADMIN, LEARNER = "ari@users.example", "lina@users.example"


def sign_in(page: Any, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def both_widths(page: Any, name: str) -> None:
    screenshot(page, name)
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_fits_width(page)
    screenshot(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_deactivates_reactivates_and_sends_a_reset_link(
    page: Any, browser: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        register("Ari Admin", ADMIN, PASSWORD, "UTC", Role.ADMIN)
        register("Lina Learner", LEARNER, PASSWORD, "UTC")
        db.session.commit()
    learner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    learner = learner_context.new_page()
    sign_in(learner, live_server, LEARNER)
    expect(learner.get_by_role("button", name="Sign out")).to_be_visible()

    # The admin finds Lina from the Users link.
    sign_in(page, live_server, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    page.get_by_label("Find people by name or email").fill("LINA")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("table")).to_contain_text("lina@users.example")
    expect(page.locator("tbody tr")).to_have_count(1)
    both_widths(page, "admin-users")
    page.get_by_role("link", name="Lina Learner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lina Learner")

    # Deactivate, through the confirmation page.
    page.locator("#status-reason").fill("Finished the programme")
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Lina Learner's account?")
    screenshot(page, "admin-user-deactivate-confirm")
    assert_accessible(page)
    page.get_by_role("button", name="Deactivate Lina Learner").click()
    expect(page.locator(".flashes")).to_contain_text("deactivated and signed out everywhere")
    expect(page.locator(".facts")).to_contain_text("Deactivated on")

    # Lina's open session ends at her next click; her password no longer signs her in.
    learner.get_by_role("navigation", name="Main").get_by_role("link", name="My CE").click()
    expect(learner.get_by_role("button", name="Sign in")).to_be_visible()
    expect(learner.get_by_role("button", name="Sign out")).to_have_count(0)
    sign_in(learner, live_server, LEARNER)
    expect(learner.locator(".flashes")).to_contain_text(
        "That email and password do not match an account."
    )

    # Reactivated, she signs in again.
    page.get_by_role("button", name="Reactivate the account").click()
    expect(page.locator(".flashes")).to_contain_text("active again")
    sign_in(learner, live_server, LEARNER)
    expect(learner.get_by_role("button", name="Sign out")).to_be_visible()
    learner_context.close()

    # A reset link, then the history, newest first.
    page.locator("#reset-reason").fill("Asked at the front desk")
    page.get_by_role("button", name="Send a reset link").click()
    expect(page.locator(".flashes")).to_contain_text("reset link is on its way to " + LEARNER)
    rows = page.get_by_role("region", name="Changes to this account").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Password reset link sent")
    expect(rows.nth(1)).to_contain_text("Reactivated")
    expect(rows.nth(2)).to_contain_text("Finished the programme")
    both_widths(page, "admin-user")
