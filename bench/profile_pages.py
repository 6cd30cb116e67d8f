"""Where a page's time goes: each page profiled in process (cProfile, the test client, the
bench's database and production settings), its own time summed by the library it is spent
in, and the app's functions that cost most including what they call.

Used by ``bench/pages.py --profile``; the split, not the absolute times, is the finding
(cProfile slows Python code more than C code such as SQLite's).
"""

from __future__ import annotations

import cProfile
import pstats
import re
from collections import defaultdict
from typing import Any

from flask.testing import FlaskClient

from bench.item_analysis import PASSWORD
from eduapp import create_app

AREAS = [
    ("SQL driver (SQLite/psycopg, C)", re.compile(r"sqlite3|psycopg")),
    ("SQLAlchemy", re.compile(r"/sqlalchemy/")),
    ("Jinja templates", re.compile(r"/jinja2/|\.html$|<template>|/markupsafe/")),
    (
        "Flask, Werkzeug, Flask-Login, WTForms",
        re.compile(
            r"/(flask|werkzeug|flask_login|flask_wtf|wtforms|itsdangerous|blinker|flask_sqlalchemy)/"
        ),
    ),
    ("eduapp", re.compile(r"/eduapp/")),
]
REQUESTS = 40


def _area(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for label, pattern in AREAS:
        if pattern.search(where):
            return label
    return "other (stdlib, builtins)"


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token"
    return token[1]


def _sign_in(client: FlaskClient, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    answer = client.post(
        "/login", data={"email": email, "password": PASSWORD, "next": "", "csrf_token": _csrf(page)}
    )
    assert answer.status_code == 302, answer.status_code


def report(name: str, profiler: cProfile.Profile, calls: int) -> None:
    """Print one profile: own time per area, and the app's costliest functions."""
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    by_area: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, func), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        by_area[_area(filename, func)] += tottime
        total += tottime
    print(f"\n#### {name}: {total / calls * 1000:.1f} ms per request under cProfile\n")
    print("| Own time in | share |")
    print("|---|---:|")
    for label, spent in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {100 * spent / total:.0f}% |")
    ours = sorted(
        (
            (ct, f"{filename.split('/eduapp/')[-1]}:{func}")
            for (filename, _line, func), (_cc, _nc, _tt, ct, _c) in raw.items()
            if "/eduapp/" in filename and not func.startswith("<")
        ),
        reverse=True,
    )
    print("\n| eduapp function (with what it calls) | ms per request |")
    print("|---|---:|")
    for ct, label in ours[:12]:
        print(f"| `{label}` | {ct / calls * 1000:.2f} |")


def profile(
    routes: list[tuple[str, str]], learner: str, submitters: list[str], course: str
) -> None:
    """Profile each route as the learner, and the graded submit of the course's final."""
    app = create_app()
    client = app.test_client()
    _sign_in(client, learner)
    for name, path in routes:
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(REQUESTS):
            client.get(path)
        profiler.disable()
        report(f"{name} `{path}`", profiler, REQUESTS)
    profiler = cProfile.Profile()
    for email in submitters:
        taker = app.test_client()
        _sign_in(taker, email)
        overview = f"/courses/{course}/quizzes/final"
        page = taker.get(overview).get_data(as_text=True)
        started = taker.post(overview + "/start", data={"csrf_token": _csrf(page)})
        attempt = started.headers["Location"]
        page = taker.get(attempt).get_data(as_text=True)
        chosen: dict[str, str] = {}
        for key, value in re.findall(r'name="q-([^"]+)"[^>]*? value="([^"]+)"', page):
            chosen.setdefault(f"q-{key}", value)
        form = {**chosen, "confirmed": "yes", "csrf_token": _csrf(page)}
        profiler.enable()
        answer = taker.post(attempt + "/submit", data=form)
        profiler.disable()
        assert answer.status_code == 302, answer.status_code
    report("graded submit of the final (20 questions)", profiler, len(submitters))
