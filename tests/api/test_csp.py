"""Every page keeps the strict Content-Security-Policy, the API's docs page included (Swagger
UI needs no relaxation: tests/browser/test_api_docs.py fails on any CSP report)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from eduapp.security import CSP
from tests.conftest import AuthActions
from tests.test_access_matrix import EXPECTED
from tests.world import EMAILS, build_world, url_for_rule


@pytest.mark.parametrize("role", ["anonymous", "manager_a", "admin"])
def test_every_page_keeps_the_strict_csp(
    app: Flask, imported: None, make_user: Any, role: str
) -> None:
    world = build_world(app, make_user)
    client = app.test_client()
    if role != "anonymous":
        AuthActions(client).login(EMAILS[role])
    for endpoint, method in EXPECTED:
        if method != "GET":
            continue
        url = url_for_rule(app, endpoint, world.path_values())
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == CSP, url
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and 'src="/static/api-docs.js"' in docs.get_data(as_text=True)
    assert "<script>" not in docs.get_data(as_text=True)  # the start-up code is a file
