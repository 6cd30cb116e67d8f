"""Every API endpoint with every kind of caller: the clinic's manager, another clinic's
manager, an admin (404 on clinics, as on the clinic pages), a learner, a token without the
scope, expired, revoked, unknown, none, and a signed-in browser's cookie alone.

Refused requests answer a problem document and write nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func

from eduapp.api import tokens
from eduapp.extensions import db
from eduapp.models import Assignment, ClinicInvite, Course, WebhookEndpoint
from tests.api.conftest import ALL, ApiWorld
from tests.conftest import AuthActions
from tests.world import EMAILS


def endpoints(api: ApiWorld) -> list[tuple[str, str, Any, str | None]]:
    """(method, path, JSON body, scope needed); writes last, so reads see the world intact."""
    a = api.a
    clinic = f"/api/v1/clinics/{a['clinic_id']}"
    hook = f"{clinic}/webhooks/{api.world.endpoint_id}"
    new_hook = {"url": "https://hr.example.com/new", "events": ["certificate.issued"]}
    course = db.session.execute(db.select(Course.id)).scalars().first()
    db.session.rollback()
    return [
        ("GET", "/api/v1/clinics", None, None),
        ("GET", "/api/v1/courses", None, None),
        ("GET", "/api/v1/certificates?since=2020-01-01", None, tokens.ADMIN),
        ("GET", f"{clinic}/staff", None, tokens.COMPLIANCE),
        ("GET", f"{clinic}/completions?since=2020-01-01", None, tokens.COMPLETIONS),
        ("GET", f"{clinic}/certificates?since=2020-01-01", None, tokens.COMPLETIONS),
        ("GET", f"{clinic}/invites", None, tokens.MANAGE),
        ("GET", f"{clinic}/assignments", None, tokens.MANAGE),
        ("GET", f"{clinic}/webhooks", None, tokens.WEBHOOKS),
        ("POST", f"{clinic}/invites", {"emails": ["fresh@example.org"]}, tokens.MANAGE),
        (
            "POST",
            f"{clinic}/assignments",
            {"course_id": course, "due_on": "2027-01-31"},
            tokens.MANAGE,
        ),
        ("DELETE", f"{clinic}/invites/{a['invite_id']}", None, tokens.MANAGE),
        ("DELETE", f"{clinic}/assignments/{a['assignment_id']}", None, tokens.MANAGE),
        ("POST", f"{clinic}/webhooks", new_hook, tokens.WEBHOOKS),
        ("PATCH", hook, {"active": False}, tokens.WEBHOOKS),
        ("DELETE", hook, None, tokens.WEBHOOKS),
    ]


# The status each caller gets, by the endpoint's index in ``endpoints``.
OK = (200, 200, 403, 200, 200, 200, 200, 200, 200, 201, 201, 204, 204, 201, 200, 204)
FOREIGN = (200, 200, 403, *(404,) * 13)  # their own clinics and courses only
ADMIN = (200, 200, 200, *(404,) * 13)
EXPECTED = {"manager_a": OK, "manager_b": FOREIGN, "admin": ADMIN, "learner": FOREIGN}


def writes() -> tuple[int, ...]:
    return (
        db.session.scalar(db.select(func.count()).select_from(ClinicInvite)),
        db.session.scalar(db.select(func.count()).select_from(Assignment)),
        db.session.scalar(
            db.select(func.count())
            .select_from(ClinicInvite)
            .where(ClinicInvite.revoked_at.is_not(None))
        ),
        db.session.scalar(db.select(func.count()).select_from(WebhookEndpoint)),
        db.session.scalar(
            db.select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.active.is_(True))
        ),
    )


def check_problem(response: Any, status: int) -> None:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_endpoint_for_every_role(api: ApiWorld, role: str) -> None:
    secret = api.token(role, [*ALL, tokens.ADMIN] if role == "admin" else ALL)
    failures = []
    for (method, path, body, _scope), status in zip(endpoints(api), EXPECTED[role], strict=True):
        before = writes()
        db.session.rollback()
        response = api.send(method, path, secret, body)
        if response.status_code != status:
            failures.append(f"{method} {path}: {response.status_code}, expected {status}")
        if status >= 400:
            check_problem(response, status)
            assert writes() == before, (method, path)
        db.session.rollback()
    assert not failures, f"as {role}:\n" + "\n".join(failures)


def test_a_token_without_the_scope_is_refused(api: ApiWorld) -> None:
    for method, path, body, scope in endpoints(api):
        if scope is None:
            continue
        others = [s for s in ALL if s != scope]
        secret = api.token("manager_a", others)
        before = writes()
        db.session.rollback()
        check_problem(api.send(method, path, secret, body), 403)
        assert writes() == before
        db.session.rollback()


@pytest.mark.parametrize("case", ["none", "unknown", "revoked", "expired", "not bearer", "cookie"])
def test_no_live_token_is_a_401(api: ApiWorld, clock: Any, case: str) -> None:
    secret: str | None = api.token("manager_a", days=30)
    headers: dict[str, str] = {}
    if case == "none":
        secret = None
    elif case == "unknown":
        secret = "edu_" + "A" * 43
    elif case == "revoked":
        tokens.revoke(db.session.execute(db.select(tokens.ApiToken)).scalar_one())
        db.session.commit()
    elif case == "expired":
        clock.shift(timedelta(days=31))
    elif case == "not bearer":
        headers["Authorization"] = f"Basic {secret}"
        secret = None
    elif case == "cookie":  # a signed-in manager's browser: the cookie alone opens nothing
        AuthActions(api.client).login(EMAILS["manager_a"])
        secret = None
    for method, path, body, _scope in endpoints(api):
        before = writes()
        db.session.rollback()
        response = api.client.open(
            path,
            method=method,
            json=body,
            headers=headers or ({"Authorization": f"Bearer {secret}"} if secret else {}),
        )
        check_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert writes() == before
        db.session.rollback()


def test_a_deactivated_owner_or_a_demoted_admin_loses_access(api: ApiWorld) -> None:
    secret = api.token("admin")
    assert api.get("/api/v1/certificates?since=2020-01-01", secret).status_code == 200
    admin = api.world.users["admin"]
    db.session.get_one(type(admin), admin.id).role = "learner"
    db.session.commit()
    check_problem(api.get("/api/v1/certificates?since=2020-01-01", secret), 403)
    manager = db.session.get_one(type(admin), api.world.users["manager_a"].id)
    secret = api.token("manager_a")
    manager.deactivated_at = manager.created_at
    db.session.commit()
    check_problem(api.get("/api/v1/clinics", secret), 401)


def malformed(method: str, path: str) -> tuple[str, Any]:
    """The endpoint's request with arguments no schema accepts: a bad query for reads, a
    body of unknown fields for writes."""
    if method == "GET":
        return path.split("?")[0] + "?since=yesterday&limit=-5", None
    return path, {"nonsense": True}


def takes_arguments(method: str, path: str) -> bool:
    """Reads without arguments of their own ignore a query string; a DELETE reads no body."""
    listed = path.split("?")[0].rsplit("/", 1)[1] in (
        "staff",
        "completions",
        "certificates",
        "invites",
    )
    return method in ("POST", "PATCH") or listed


def test_the_clinic_and_the_scope_are_checked_before_the_arguments(api: ApiWorld) -> None:
    """Another clinic is a 404 and a missing scope a 403 whatever the request carries: only a
    token allowed to call the endpoint hears what its arguments lack (422)."""
    foreign = api.token("manager_b", ALL)
    allowed = api.token("manager_a", ALL)
    for method, path, body, scope in endpoints(api):
        if scope is None:
            continue
        path, body = malformed(method, path)
        lacking = api.token("manager_a", [s for s in ALL if s != scope])
        before = writes()
        db.session.rollback()
        check_problem(api.send(method, path, lacking, body), 403)
        if scope == tokens.ADMIN:  # not a clinic's: an admin's token with the scope may
            admin = api.token("admin", [*ALL, tokens.ADMIN])
            check_problem(api.send(method, path, admin, body), 422)
        else:
            check_problem(api.send(method, path, foreign, body), 404)
            if takes_arguments(method, path):
                check_problem(api.send(method, path, allowed, body), 422)
        assert writes() == before, (method, path)
        db.session.rollback()
