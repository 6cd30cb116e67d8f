"""The API in a real Chromium: Swagger UI, vendored, renders every operation under the
site's strict Content-Security-Policy, which the browser enforces; a manager makes a token
(shown once) and revokes it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from eduapp.auth.services import register
from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember
from tests.browser.conftest import assert_accessible, follow, screenshot, sign_in

pytestmark = pytest.mark.browser
PASSWORD = "a long pass phrase"


def test_the_api_docs_render_under_their_csp(page: Any, live_server: str) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("eduapp clinics API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/clinics/{clinic_id}/staff")
    ).to_have_count(1)
    # Sections under the tags' names, each with its description.
    staff = page.locator("#operations-tag-Staff")
    expect(staff).to_contain_text("Staff")
    expect(staff).to_contain_text("each licence's compliance")
    expect(page.locator("#operations-tag-api_clinics")).to_have_count(0)
    page.locator(".opblock-summary-path", has_text="/api/v1/courses").first.click()
    expect(page.locator(".opblock.is-open .responses-table").first).to_be_visible()
    screenshot(page, "api-docs")
    print("\n".join(messages))
    # Nothing refused by the CSP, nothing fetched from anywhere but the site itself.
    assert not [m for m in messages if "Content Security Policy" in m or m.startswith("error")]
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requests)


def test_a_manager_makes_a_token_sees_it_once_and_revokes_it(
    page: Any, live_server: str, live_app: Flask
) -> None:
    with live_app.app_context():
        manager = register("Tia Token", "tia@tokens.example", PASSWORD, "UTC")
        clinic = Clinic(name="Token Clinic")
        db.session.add(clinic)
        db.session.flush()
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"))
        db.session.commit()
    sign_in(page, live_server, "tia@tokens.example", PASSWORD)
    page.goto(live_server + "/account")
    follow(page, page.get_by_role("link", name="API tokens"))
    follow(page, page.get_by_role("button", name="Make the token"))  # nothing filled in
    expect(page.locator("#name-error")).to_have_text("Give the token a name.")
    expect(page.locator("#scopes-error")).to_contain_text("Choose at least one")
    page.get_by_label("Name").fill("HR system")
    page.get_by_label("Read staff compliance").check()
    follow(page, page.get_by_role("button", name="Make the token"))
    secret = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert secret.startswith("edu_")
    expect(page.get_by_label("Read staff compliance")).not_to_be_checked()  # a fresh form
    screenshot(page, "api-token-made")
    assert_accessible(page)
    page.goto(live_server + "/account/api-tokens")
    expect(page.locator("main")).to_contain_text("HR system")
    assert secret not in page.content()  # shown once only
    follow(page, page.get_by_role("button", name="Revoke HR system"))
    follow(page, page.get_by_role("button", name="Revoke the token"))
    expect(page.locator("main")).to_contain_text("Revoked")
