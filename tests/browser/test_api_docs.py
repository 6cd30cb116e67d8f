"""The API's browsable docs in a real Chromium: Swagger UI, vendored, renders every
operation under the docs page's own Content-Security-Policy, which the browser enforces."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


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
    page.locator(".opblock-summary-path", has_text="/api/v1/courses").first.click()
    expect(page.locator(".opblock.is-open .responses-table").first).to_be_visible()
    screenshot(page, "api-docs")
    print("\n".join(messages))
    # Nothing refused by the CSP, nothing fetched from anywhere but the site itself.
    assert not [m for m in messages if "Content Security Policy" in m or m.startswith("error")]
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requests)
