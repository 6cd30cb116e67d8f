"""The fuzz test of the API (issue 17): every endpoint, with every kind of token, gets
hostile path values, query parameters, JSON bodies and Authorization headers. No answer may
be a 5xx, every error is a problem document, and a request that did not succeed writes
nothing. The site-wide fuzz test (tests/test_fuzz.py) sends the same routes forms and a
session cookie, which they answer with 401."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, got_request_exception
from sqlalchemy import func

from eduapp.api import tokens
from eduapp.extensions import db
from eduapp.models import ApiTokenUse, Assignment, ClinicInvite, OutgoingMessage, WebhookEndpoint
from tests.api.conftest import ALL, ApiWorld
from tests.fuzzhooks import where
from tests.fuzzinputs import HOSTILE, _q, build_path

# Plausible query values: every list's own parameters.
QUERY = {"since": b"2026-01-01", "limit": b"2", "cursor": b""}
TEXT = [v.decode("utf-8", "replace") for v in HOSTILE]
BODIES: list[Any] = [
    None,
    [],
    "x",
    1e308,
    {"emails": None},
    {"emails": [None, 1, {}, []]},
    *({"emails": [t]} for t in TEXT),
    {"emails": ["a@example.org"] * 501},
    {"emails": ["a@example.org"], "unknown": "field"},
    {"course_id": 2**64, "due_on": "2027-01-31"},
    {"course_id": -1, "due_on": "2027-01-31"},
    {"course_id": True, "due_on": "2027-01-31"},
    *({"course_id": 1, "due_on": t} for t in TEXT),
    {"course_id": 1, "due_on": "2027-01-31", "user_ids": "all"},
    {"course_id": 1, "due_on": "2027-01-31", "user_ids": [2**40, -1, 0]},
    {"course_id": 1, "due_on": "2027-01-31", "user_ids": [None]},
    {"course_id": 1, "due_on": "2027-01-31", "user_ids": list(range(1, 600))},
    *({"url": t, "events": ["course.completed"]} for t in TEXT),
    *({"url": "https://hr.example.com/in", "events": [t]} for t in TEXT),
    {"url": "https://hr.example.com/fuzz", "events": ["course.completed"]},
    {"url": "https://0x7f000001/in", "events": ["course.completed"]},
    {"url": "https://[::ffff:10.0.0.1]:8443/in", "events": ["course.completed"]},
    {"url": "https://hr.example.com/in", "events": ["course.completed"] * 1000},
    {"url": ["https://hr.example.com/in"], "events": None},
    {"active": False},
    {"active": True},
    {"active": "false"},
    {"active": [True]},
]
RAW_BODIES = [b'{"emails": [', b"\xff\xfe", b"{" * 5000, b'{"a": "\\ud800"}', b"a=b", b""]
BAD_HEADERS = [
    "Bearer",
    "Bearer ",
    "Bearer edu_",
    "Bearer edu_" + "A" * 5000,
    "Bearer edu_\x00abc",
    "Bearer edu_\u00ff\u00fe",
    "bearer edu_nonsense",
    "Basic dXNlcjpwYXNz",
    "Bearer a b c",
]


def api_rules(app: Flask) -> list[tuple[Any, str]]:
    rules = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0]
        in ("api_clinics", "api_manage", "api_webhooks", "api_catalogue")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(rules, key=lambda p: (p[1] == "DELETE", p[1] != "GET", p[0].endpoint))


def state() -> tuple[int, ...]:
    invites = db.select(func.count()).select_from(ClinicInvite)
    return (
        db.session.scalar(invites),
        db.session.scalar(invites.where(ClinicInvite.revoked_at.is_not(None))),
        db.session.scalar(db.select(func.count()).select_from(Assignment)),
        db.session.scalar(db.select(func.count()).select_from(OutgoingMessage)),
        db.session.scalar(db.select(func.count()).select_from(WebhookEndpoint)),
        db.session.scalar(
            db.select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.active.is_(True))
        ),
    )


def requests(api: ApiWorld, rule: Any, method: str) -> Iterator[tuple[str, bytes | None]]:
    """(url, body) for the route: plausible, then each part hostile in turn."""
    values = api.world.path_values()  # clinic A's rows, its webhook endpoint among them
    real = {name: str(values[name]).encode() for name in rule.arguments}
    path = build_path(rule, real)
    own = (
        ["since", "limit", "cursor"]
        if rule.endpoint.endswith(("completions", "certificates"))
        else []
    )
    own += (
        ["limit", "cursor"]
        if rule.endpoint.endswith(("staff", "invites")) and method == "GET"
        else []
    )
    plausible = "&".join(f"{k}={_q(QUERY[k])}" for k in own)
    base = path + (f"?{plausible}" if plausible else "")
    yield base, None
    for name in sorted(rule.arguments):
        for value in (*HOSTILE, b"x"):
            yield build_path(rule, {**real, name: value}), None
    for name in own:
        for value in HOSTILE:
            others = "&".join(f"{k}={_q(QUERY[k])}" for k in own if k != name)
            yield f"{path}?{others}&{name}={_q(value)}", None
    if method in ("POST", "PATCH"):
        for body in BODIES:
            yield base, json.dumps(body).encode()
        for raw in RAW_BODIES:
            yield base, raw


@pytest.fixture
def fuzzing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.config, "API_REQUESTS_PER_MINUTE", 10**6)
    return app


def send(api: ApiWorld, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Any:
    if body is not None:
        headers = {**headers, "Content-Type": "application/json"}
    return api.client.open(url, method=method, data=body, headers=headers)


def judge(response: Any, before: tuple[int, ...]) -> str | None:
    """What is wrong with this answer, if anything."""
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.data[:300]!r}"
    if status < 400:
        return None
    problem = response.json if response.mimetype == "application/problem+json" else None
    if not problem or problem.get("status") != status or not problem.get("detail"):
        return f"{status} is not a problem document"
    if state() != before:
        return f"{status}, yet it wrote"
    return None


@pytest.mark.parametrize("who", ["manager_a", "manager_b", "admin", "scopeless", "none"])
def test_fuzz_the_api(fuzzing: Flask, api: ApiWorld, who: str) -> None:
    app = fuzzing
    secret = None
    if who == "scopeless":
        secret = api.token("manager_a", [tokens.COMPLETIONS])
    elif who != "none":
        secret = api.token(who, [*ALL, tokens.ADMIN] if who == "admin" else ALL)
    own = {"Authorization": f"Bearer {secret}"} if secret else {}
    raised: list[BaseException] = []
    failures: list[str] = []
    sent = succeeded = 0

    def on_exception(sender: Flask, exception: BaseException, **extra: Any) -> None:
        raised.append(exception)

    with got_request_exception.connected_to(on_exception, app):
        for rule, method in api_rules(app):
            headers_list = [own]
            if method == "GET" and rule.rule.endswith("clinics"):
                headers_list += [{"Authorization": h} for h in BAD_HEADERS]
            for url, body in requests(api, rule, method):
                for headers in headers_list:
                    before = state()
                    db.session.rollback()
                    raised.clear()
                    response = send(api, method, url, body, headers)
                    sent += 1
                    succeeded += response.status_code < 400
                    problem = judge(response, before)
                    if problem:
                        cause = where(raised[-1]) if raised else ""
                        auth = headers.get("Authorization", "")[:40]
                        failures.append(
                            f"{problem}\n{who}: {method} {url[:200]} "
                            f"body={(body or b'')[:80]!r} {auth!r}\n{cause}"
                        )
                    db.session.rollback()
    running = db.session.scalar(
        db.select(func.count()).select_from(ApiTokenUse).where(ApiTokenUse.status.is_(None))
    )
    print(f"\napi fuzz as {who}: {sent} sent, {succeeded} succeeded")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:30])
    assert running == 0  # every logged use got its answer
    if who == "manager_a":
        assert succeeded >= len(api_rules(app))  # each endpoint's plausible request worked
