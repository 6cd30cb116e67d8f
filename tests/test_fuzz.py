"""Every route, every method, every role, with hostile values in every path parameter, query
parameter, form field and file (issue 9): no answer may be a 5xx, and every route a role may
use must be reached with them.

"Reached" is counted inside the view, beneath its login check, so a route that only ever
answered with the sign-in redirect or a 429 does not count; which routes a role may use is
read from the access matrix's table. CSRF is off and sign-in limits are cleared after every
POST, so neither hides a view behind a 400 or a 429.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from flask_login import current_user

from eduapp.auth import services as auth_services
from eduapp.extensions import db
from eduapp.models import AccountRequest, ClinicInvite, EmailVerification, LoginFailure, User
from tests.fuzzforms import FORMS, reads
from tests.fuzzhooks import login_protected, recording, sign_in, where
from tests.fuzzinputs import Case
from tests.fuzzworld import RAW_FIELDS, cases, every_question_type, target
from tests.test_access_matrix import EXPECTED, expected
from tests.world import EMAILS, World, build_world

# Hostile cases per (route, method, role): fewer where the role is refused (403, 404, the
# sign-in redirect). EDUAPP_FUZZ_ALL=1 sends every case instead: some 53,000 requests, ten
# minutes or more, for a deeper look before a release. EDUAPP_FUZZ_SAMPLE="2,1" sends fewer
# (.ci/run's clock-shifted runs, which look for dates gone wrong, not for new inputs).
SAMPLE, SAMPLE_REFUSED = (
    (None, None)
    if os.environ.get("EDUAPP_FUZZ_ALL")
    else tuple(int(n) for n in os.environ.get("EDUAPP_FUZZ_SAMPLE", "9,2").split(","))
)
# Everyone who owns something real; other_learner and manager_b would repeat learner's and
# manager_a's requests against the same code.
FUZZ_ROLES = ("anonymous", "learner", "instructor", "admin", "manager_a", "staff_b")
# State-changing routes go last, so that what they end (a session, a licence, an open
# attempt, a membership) is still there for every other route's cases.
DESTRUCTIVE = re.compile(r"logout|leave|delete|revoke|correct|submit|accept|reset_password")


def methods(app: Flask) -> list[tuple[Any, str]]:
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    return sorted(
        pairs,
        key=lambda p: (bool(DESTRUCTIVE.search(p[0].endpoint)), p[1] != "GET", p[0].endpoint),
    )


def allowed(endpoint: str, method: str, role: str, view: Callable[..., Any]) -> bool:
    """The access matrix lets ``role`` use this route: not refused, and for anonymous users
    not sent to sign in. A route the table lacks yet (its own test says so) counts as open."""
    row = EXPECTED.get((endpoint, method))
    status = expected(row, role) if row else 200
    return status not in (401, 403, 404) and not (role == "anonymous" and login_protected(view))


def restore(client: FlaskClient, user_id: int | None, token: str | None) -> str | None:
    """Undo what a POST may have done to the next case: clear sign-in failures and account
    requests (so no 429 hides a view) and put the role's session back if the case ended it or
    signed up someone else. Returns the session token now in use."""
    for limiter in (LoginFailure, AccountRequest):  # sign-in, sign-up and reset limits
        if db.session.execute(db.select(limiter.id).limit(1)).first():
            db.session.execute(db.delete(limiter))
    current = db.session.get_one(User, user_id).session_token if user_id else None
    db.session.commit()  # ends the read transaction too: SQLite would refuse the next write
    if user_id is None:
        with client.session_transaction() as session:
            session.clear()
    elif current != token:
        return sign_in(client, user_id)
    return token


def live_tokens(world: World, role: str) -> dict[str, str]:
    """Tokens that open their pages: a reset link for the role (the learner's when nobody is
    signed in) and an invitation to clinic A addressed to the role."""
    user = world.users.get(role, world.users["learner"])
    tokens = {
        "auth.reset_password": auth_services.create_reset_token(user),
        # A live confirmation link for the role's account, as sign-up mails one.
        "auth.confirm": f"fuzz-confirm-{role}-" + "k" * 20,
    }
    db.session.add(
        EmailVerification(
            user_id=user.id,
            token_hash=hashlib.sha256(tokens["auth.confirm"].encode()).hexdigest(),
            expires_at=datetime(2099, 1, 1, tzinfo=UTC),
        )
    )
    if role != "anonymous":
        tokens["clinics.accept"] = f"fuzz-invite-{role}-" + "k" * 20
        db.session.add(
            ClinicInvite(
                clinic_id=world.clinic_a["clinic_id"],
                email=EMAILS[role],
                token_hash=hashlib.sha256(tokens["clinics.accept"].encode()).hexdigest(),
                created_by_id=world.users["manager_a"].id,
                expires_at=datetime(2099, 1, 1, tzinfo=UTC),
            )
        )
    db.session.commit()
    return tokens


def send(client: FlaskClient, case: Case) -> Any:
    body, content_type = case.body()
    headers = {"Accept": "application/json"} if case.json else {}
    return client.open(
        case.url, method=case.method, data=body, content_type=content_type, headers=headers
    )


@pytest.fixture
def fuzzing(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    # A 500 is answered (and reported below), not raised into the test.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    return app


@pytest.fixture(scope="module")
def totals() -> Iterator[dict[str, float]]:
    figures = dict.fromkeys(("sent", "reached", "5xx", "seconds"), 0.0)
    yield figures
    print(
        f"\nfuzz, all roles: {figures['sent']:.0f} requests sent, {figures['reached']:.0f} "
        f"reached a view, {figures['5xx']:.0f} 5xx, in {figures['seconds']:.1f} s"
    )


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_fuzz(
    fuzzing: Flask, imported: None, make_user: Any, role: str, totals: dict[str, float]
) -> None:
    app = fuzzing
    started = time.perf_counter()
    world = build_world(app, make_user)
    every_question_type(world)
    tokens = live_tokens(world, role)
    aim = target(world, role, tokens)
    role_of = {user.id: name for name, user in world.users.items()}
    user_id = world.users[role].id if role in world.users else None
    views = dict(app.view_functions)
    client = app.test_client()
    session_token = sign_in(client, user_id) if user_id else None
    db.session.rollback()  # no read transaction open in the test: SQLite would refuse writes

    calls: list[tuple[str, str, str]] = []
    raised: list[BaseException] = []
    failures: list[str] = []
    sent = reached = errors = 0

    def who() -> str:
        return role_of.get(current_user.id, "?") if current_user.is_authenticated else "anonymous"

    def on_exception(sender: Flask, exception: BaseException, **extra: Any) -> None:
        raised.append(exception)

    with recording(app, calls, who), got_request_exception.connected_to(on_exception, app):
        for rule, method in methods(app):
            view = views[rule.endpoint]
            sample = SAMPLE if allowed(rule.endpoint, method, role, view) else SAMPLE_REFUSED
            for case in cases(rule, method, role, aim, view, sample):
                raised.clear()
                before = len(calls)
                try:
                    response = send(client, case)
                    status, snippet = response.status_code, response.get_data()[:300]
                except Exception as error:  # a streamed body failed after its headers
                    status, snippet = 500, b""
                    raised.append(error)
                sent += 1
                reached += len(calls) > before
                if status >= 500:
                    errors += 1
                    cause = where(raised[-1]) if raised else ""
                    failures.append(f"{status} as {role}: {case.describe()}\n{snippet!r}\n{cause}")
                if method != "GET":
                    session_token = restore(client, user_id, session_token)

    unreached = [
        (rule.endpoint, method, role)
        for rule, method in methods(app)
        if allowed(rule.endpoint, method, role, views[rule.endpoint])
        and (rule.endpoint, method, role) not in set(calls)
    ]
    seconds = time.perf_counter() - started
    for key, value in (("sent", sent), ("reached", reached), ("5xx", errors), ("seconds", seconds)):
        totals[key] += value
    print(f"\nfuzz as {role}: {sent} sent, {reached} reached a view, {errors} 5xx, {seconds:.1f} s")
    assert not failures, f"{len(failures)} 5xx:\n\n" + "\n\n".join(failures[:40])
    assert not unreached, f"no request reached these views: {unreached}"


def test_every_post_route_names_its_form(app: Flask) -> None:
    """A new POST route must say which form it reads, or its fields are never fuzzed."""
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    assert posts - set(FORMS) == set(), "add these endpoints to tests/fuzzforms.py FORMS"
    assert set(FORMS) - posts == set(), "these endpoints no longer take a POST"
    for endpoint, form in FORMS.items():
        if form is not None:
            source = Path(inspect.getsourcefile(inspect.unwrap(app.view_functions[endpoint])))
            assert form.__name__ in source.read_text(), (endpoint, form)


def test_query_parameters_are_found_in_the_source(app: Flask) -> None:
    """Every ``request.args`` name written in eduapp/ is found on some route, so the fuzz
    test sends it; and ``page`` is found through the helper that reads it."""
    package = Path(__file__).parent.parent / "eduapp"
    written = {
        name
        for path in package.rglob("*.py")
        for name in re.findall(r"request\.args\.get\(\s*\"(\w+)\"", path.read_text())
    }
    found = {n for view in app.view_functions.values() for n in reads(view, "args") or ()}
    assert written - found == set()
    assert {"page", "status", "sort", "q"} <= (
        reads(app.view_functions["clinics.dashboard_page"], "args") or set()
    )


def test_raw_form_readers_get_their_fields(app: Flask) -> None:
    """Views that read ``request.form`` beyond their form class get those fields fuzzed."""
    readers = {e for e, view in app.view_functions.items() if reads(view, "form") is not None}
    assert readers == set(RAW_FIELDS), "list their fields in tests/fuzzworld.py RAW_FIELDS"


def test_only_calls_past_the_sign_in_check_count(app: Flask, make_user: Any) -> None:
    """The hook sits beneath ``login_required``: the sign-in redirect is not "reached"."""
    user = make_user()
    calls: list[tuple[str, str, str]] = []
    client = app.test_client()
    with recording(app, calls, lambda: "someone" if current_user.is_authenticated else "nobody"):
        assert client.get("/my-ce").status_code == 302
        assert client.get("/").status_code == 200
        sign_in(client, user.id)
        assert client.get("/my-ce").status_code == 200
    assert calls == [("learn.catalogue", "GET", "nobody"), ("ce.my_ce", "GET", "someone")]
    assert client.get("/my-ce").status_code == 200
    assert len(calls) == 2  # the views are themselves again
