"""Sign-up and reset answer an address with an account exactly as one without: same status,
headers, body and session, after the same work, in the same time (p50 of 50 each)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import pytest
from flask import Flask

from eduapp.auth import passwords
from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import User
from tests.conftest import PASSWORD, csrf_token

# What is timed here is the password hash an unknown address must cost as well: the real one.
pytestmark = pytest.mark.real_password_hashing

ROUNDS = 50
# The machine is shared, so a burst of someone else's work can shift one batch's median by
# a few milliseconds. A real difference shows in every batch; noise does not, so a batch is
# measured again (with fresh addresses) before the test fails.
BATCHES = 5


def _accounts(count: int) -> list[str]:
    stored = passwords.hash_password(PASSWORD)  # one hash for all: set-up time, not the test's
    emails = [f"member{n}@example.org" for n in range(count)]
    db.session.add_all(
        User(email=e, name=f"Member {n}", password_hash=stored, email_verified_at=now())
        for n, e in enumerate(emails)
    )
    db.session.commit()
    return emails


def _shape(app: Flask, response: Any) -> tuple[Any, ...]:
    """What a stranger sees of an answer. Set-Cookie is compared by name, attributes and the
    session's decoded contents: its raw value carries a signature and a timestamp, which
    differ between any two answers, and the per-browser CSRF secret, which is random."""
    cookies = []
    for header in response.headers.getlist("Set-Cookie"):
        (morsel,) = SimpleCookie(header).values()
        contents = app.session_interface.get_signing_serializer(app).loads(morsel.value)
        contents.pop("csrf_token", None)
        cookies.append((morsel.key, sorted((k, v) for k, v in morsel.items() if v), contents))
    headers = sorted((k, v) for k, v in response.headers.items() if k != "Set-Cookie")
    return response.status_code, headers, cookies, response.get_data()


def _batch(app: Flask, path: str, batch: int, pairs: list[tuple[dict, dict]]) -> list[float]:
    """POST each pair's forms (known address, unknown address; which goes first alternates),
    each from its own fresh browser and client address so that no limit is reached. The
    answers must match; returns the median times in milliseconds [known, unknown]."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for n, pair in enumerate(pairs):
        shapes = {}
        order = [(True, pair[0]), (False, pair[1])]
        for known, form in order if n % 2 else order[::-1]:
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"10.{batch}.{n}.{int(known)}"
            data = {**form, "csrf_token": csrf_token(client, path)}
            start = time.perf_counter()
            response = client.post(path, data=data)
            times[known].append(time.perf_counter() - start)
            shapes[known] = _shape(app, response)
        assert shapes[True] == shapes[False], f"round {n}: the answers differ"
    return [statistics.median(times[k]) * 1000 for k in (True, False)]


def _alike(known: float, unknown: float) -> bool:
    """Within 5 ms, or 25% of the faster answer on a loaded machine: CI runs two suites side
    by side on two cores, which stretches every request and, with it, the one small INSERT a
    known address costs (a reset token) from about 1 ms to 5 or 6, and the sign-up's account
    INSERT more (10% was once exceeded on CI). What this test exists to catch, a password hash
    on one path only, is about three quarters of a sign-up's time: a 300% difference, not 25%."""
    return abs(known - unknown) < max(5.0, 0.25 * min(known, unknown))


def _timed(app: Flask, path: str, pairs_for: Callable[[int], list[tuple[dict, dict]]]) -> str:
    medians = []
    for batch in range(BATCHES):
        medians.append(_batch(app, path, batch, pairs_for(batch)))
        if _alike(*medians[-1]):
            break
    report = "; ".join(f"known {k:.1f} ms, unknown {u:.1f} ms" for k, u in medians)
    assert _alike(*medians[-1]), report
    return report


def test_signup_answers_alike_for_taken_and_new_addresses(app: Flask) -> None:
    taken = _accounts(ROUNDS)
    form = {"name": "Someone", "password": "a passphrase of theirs", "timezone": "UTC"}

    def pairs(batch: int) -> list[tuple[dict, dict]]:
        return [
            ({**form, "email": e}, {**form, "email": f"new{batch}-{n}@example.org"})
            for n, e in enumerate(taken)
        ]

    print(f"\nsign-up p50: {_timed(app, '/signup', pairs)}")
    db.session.rollback()
    new = db.session.scalar(db.select(db.func.count()).select_from(User)) - ROUNDS
    assert new % ROUNDS == 0  # an account for each new address, none for a taken one


def test_reset_answers_alike_for_known_and_unknown_addresses(app: Flask) -> None:
    known = _accounts(ROUNDS)

    def pairs(batch: int) -> list[tuple[dict, dict]]:
        return [
            ({"email": e}, {"email": f"ghost{batch}-{n}@example.org"}) for n, e in enumerate(known)
        ]

    print(f"\nreset p50: {_timed(app, '/reset', pairs)}")
