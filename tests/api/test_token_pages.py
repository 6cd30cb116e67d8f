"""Account → API tokens: made in the browser, the secret shown once and stored hashed,
scoped, expiring, revocable; the form's errors name the field, and CSRF is required."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from flask.testing import FlaskClient

from eduapp.api import tokens
from eduapp.extensions import db
from eduapp.models import ApiToken, ApiTokenUse
from tests.api.conftest import ApiWorld
from tests.conftest import AuthActions, csrf_token
from tests.world import EMAILS

SECRET = re.compile(r'id="new-token" value="(edu_[A-Za-z0-9_-]+)"')


def signed_in(api: ApiWorld, role: str) -> FlaskClient:
    client = api.client
    AuthActions(client).login(EMAILS[role])
    return client


def make(client: FlaskClient, **fields: Any) -> Any:
    data = {"name": "HR system", "scopes": [tokens.COMPLIANCE], "days": "90", **fields}
    token = csrf_token(client, "/account/api-tokens")
    return client.post("/account/api-tokens", data={**data, "csrf_token": token})


def test_a_manager_makes_a_token_shown_once_and_stored_hashed(api: ApiWorld) -> None:
    client = signed_in(api, "manager_a")
    response = make(client, scopes=[tokens.COMPLIANCE, tokens.MANAGE])
    assert response.status_code == 200
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    row = db.session.execute(db.select(ApiToken)).scalar_one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {row.token_hash, row.prefix} and secret.startswith(row.prefix)
    assert row.scopes == [tokens.COMPLIANCE, tokens.MANAGE]
    assert (row.expires_at - row.created_at).days == 90
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in page and row.prefix in page and "Never" in page  # not used yet
    assert client.get("/api/v1/clinics", headers={"Authorization": f"Bearer {secret}"}).json
    db.session.rollback()
    assert row.prefix in client.get("/account/api-tokens").get_data(as_text=True)
    detail = client.get(f"/account/api-tokens/{row.id}").get_data(as_text=True)
    assert "GET /api/v1/clinics" in detail and "200" in detail and "Never" not in detail


def test_errors_name_the_field_and_nothing_is_made(api: ApiWorld) -> None:
    client = signed_in(api, "manager_a")
    for fields, field in (
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["admin:read"]}, "scopes"),  # an admin's scope, offered to admins only
        ({"scopes": ["everything"]}, "scopes"),
        ({"days": "9999"}, "days"),
        ({"days": ""}, "days"),
    ):
        page = make(client, **fields).get_data(as_text=True)
        assert f'id="{field}-error"' in page, fields
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0


def test_the_form_needs_its_csrf_token(api: ApiWorld) -> None:
    client = signed_in(api, "manager_a")
    response = client.post(
        "/account/api-tokens", data={"name": "x", "scopes": [tokens.COMPLIANCE], "days": "30"}
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0


def test_only_managers_and_admins_hold_tokens(api: ApiWorld) -> None:
    assert signed_in(api, "learner").get("/account/api-tokens").status_code == 403
    client = signed_in(api, "admin")
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert "admin:read" in page  # offered to admins
    make(client, scopes=["admin:read"])
    assert db.session.execute(db.select(ApiToken.scopes)).scalar_one() == ["admin:read"]


def test_revoking_asks_then_stops_the_token_at_once(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    row_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    db.session.rollback()
    client = signed_in(api, "manager_a")
    url = f"/account/api-tokens/{row_id}/revoke"
    token = csrf_token(client, "/account/api-tokens")
    asked = client.post(url, data={"csrf_token": token})
    assert asked.status_code == 200 and "Revoke the token" in asked.get_data(as_text=True)
    assert api.get("/api/v1/clinics", secret).status_code == 200
    done = client.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 302
    response = api.get("/api/v1/clinics", secret)
    assert response.status_code == 401 and response.json["status"] == 401


def test_another_persons_token_is_not_found(api: ApiWorld) -> None:
    api.token("manager_b")
    row_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    db.session.rollback()
    client = signed_in(api, "manager_a")
    assert client.get(f"/account/api-tokens/{row_id}").status_code == 404
    token = csrf_token(client, "/account/api-tokens")
    revoke = client.post(f"/account/api-tokens/{row_id}/revoke", data={"csrf_token": token})
    assert revoke.status_code == 404
    assert db.session.execute(db.select(ApiToken.revoked_at)).scalar_one() is None


def test_every_use_is_logged_with_its_answer(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    clinic = api.a["clinic_id"]
    api.get("/api/v1/clinics", secret)
    api.get(f"/api/v1/clinics/{api.b['clinic_id']}/staff", secret)
    api.get(f"/api/v1/clinics/{clinic}/completions", secret)  # no since: 422
    uses = db.session.execute(
        db.select(ApiTokenUse.method, ApiTokenUse.path, ApiTokenUse.status).order_by(ApiTokenUse.id)
    ).all()
    assert [tuple(u) for u in uses] == [
        ("GET", "/api/v1/clinics", 200),
        ("GET", f"/api/v1/clinics/{api.b['clinic_id']}/staff", 404),
        ("GET", f"/api/v1/clinics/{clinic}/completions", 422),
    ]
    assert db.session.execute(db.select(ApiToken.last_used_at)).scalar_one() is not None
