"""Per-token rate limits counted in the database (so every server sees one count), the
bounded log of uses, and ETags on every GET."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import ApiTokenUse, Assignment
from tests.api.conftest import ApiWorld


def test_each_token_has_its_own_limit_and_refusals_do_not_extend_it(
    app: Flask, api: ApiWorld, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "API_REQUESTS_PER_MINUTE", 3)
    mine, other = api.token("manager_a"), api.token("manager_a")
    assert [api.get("/api/v1/courses", mine).status_code for _ in range(3)] == [200] * 3
    refused = api.get("/api/v1/courses", mine)
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert api.get("/api/v1/courses", other).status_code == 200  # its own count
    clock.shift(timedelta(seconds=30))
    assert api.get("/api/v1/courses", mine).status_code == 429  # hammering
    clock.shift(timedelta(seconds=31))
    assert api.get("/api/v1/courses", mine).status_code == 200  # the refusals did not count
    statuses = db.session.execute(db.select(ApiTokenUse.status).order_by(ApiTokenUse.id)).scalars()
    assert list(statuses) == [200, 200, 200, 429, 200, 429, 200]


def test_a_limited_write_writes_nothing(
    app: Flask, api: ApiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "API_REQUESTS_PER_MINUTE", 1)
    secret = api.token("manager_a")
    api.get("/api/v1/courses", secret)
    course = api.get("/api/v1/courses", api.token("manager_a")).json[0]["id"]
    path = f"/api/v1/clinics/{api.a['clinic_id']}/assignments"
    response = api.send("POST", path, secret, {"course_id": course, "due_on": "2027-01-31"})
    assert response.status_code == 429
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 2


def test_the_log_keeps_only_its_retention(
    app: Flask, api: ApiWorld, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "API_LOG_DAYS", 2)
    secret = api.token("manager_a", days=30)
    api.get("/api/v1/courses", secret)
    clock.shift(timedelta(days=3))
    api.get("/api/v1/clinics", secret)
    paths = db.session.execute(db.select(ApiTokenUse.path)).scalars().all()
    assert paths == ["/api/v1/clinics"]


def test_gets_carry_an_etag_and_answer_304_while_unchanged(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    path = f"/api/v1/clinics/{api.a['clinic_id']}/assignments"
    first = api.get(path, secret)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first.headers["Vary"]
    again = api.get(path, secret, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    course = api.get("/api/v1/courses", secret).json[0]["id"]
    api.send("POST", path, secret, {"course_id": course, "due_on": "2027-01-31"})
    changed = api.get(path, secret, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    uses = db.session.execute(db.select(ApiTokenUse.status).order_by(ApiTokenUse.id)).scalars()
    assert list(uses)[:2] == [200, 304]
