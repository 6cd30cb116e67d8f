"""After the journeys: sign-in limits and CSRF across the servers, and what the database holds.

The database is the judge of "no attempt graded twice, no answer lost": each attempt the
learners took is graded once, with one graded answer per question, and its saved answers are
exactly the ones sent.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import psycopg

from .browser import Browser, JourneyError, Tally, form_on
from .journeys import COURSE, PASSWORD, Learner

# eduapp.auth.services.FAILURE_LIMIT: failed sign-ins from one address within the window.
FAILURE_LIMIT = 10


def sign_in(browser: Browser, address: str, password: str, expect: int) -> None:
    fields = form_on(browser.get("/login"), "/login")
    fields.update(email=[address], password=[password])
    browser.post("/login", fields, expect=expect)


def lockout(port: int, tally: Tally, context: ssl.SSLContext, victim: Learner) -> list[str]:
    """One client locks itself out, alternating servers; a forged X-Forwarded-For does not let it
    out; another client signs in to the account it was aiming at."""
    attacker = Browser(port, "127.0.0.250", tally, context)
    for _ in range(FAILURE_LIMIT):
        sign_in(attacker, "nobody@two-servers.example.org", "guess", expect=200)
    sign_in(attacker, "nobody@two-servers.example.org", "guess", expect=429)
    sign_in(attacker, victim.email, PASSWORD, expect=429)
    attacker.extra_headers["X-Forwarded-For"] = "203.0.113.9"
    sign_in(attacker, victim.email, PASSWORD, expect=429)
    neighbour = Browser(port, "127.0.0.251", tally, context)
    sign_in(neighbour, victim.email, "a wrong password", expect=200)
    sign_in(neighbour, victim.email, PASSWORD, expect=302)
    return [
        f"{FAILURE_LIMIT} failed sign-ins from 127.0.0.250 over both servers, then 429 (also with "
        "a forged X-Forwarded-For); 127.0.0.251 signed in to the same account"
    ]


def csrf(learner: Learner) -> list[str]:
    """A form without its token is refused by both servers; one with a token another server
    issued is accepted (every journey's POST already was)."""
    b = learner.browser
    for _ in range(2):
        b.post(f"/courses/{COURSE}/start", {"csrf_token": ["forged"]}, expect=400)
        b.post(f"/courses/{COURSE}/start", {}, expect=400)
    return ["POSTs without a valid CSRF token: 400 from both servers"]


def database(url: str, learners: list[Learner], timeout: float = 60) -> list[str]:
    """Raise JourneyError unless the database shows every journey done exactly once."""
    with psycopg.connect(url, autocommit=True) as db:
        attempts = 0
        for learner in learners:
            attempts += _attempts(db, learner)
            _certificate(db, learner)
        deadline = time.monotonic() + timeout
        while (pending := _unsent(db)) and time.monotonic() < deadline:
            time.sleep(0.5)
        if pending:
            raise JourneyError(f"mail still not sent: {pending}")
        sent = db.execute("SELECT count(*) FROM outgoing_messages").fetchone()
    return [
        f"{attempts} attempts by {len(learners)} learners, each graded once, one graded answer "
        "per question, saved answers exactly as sent",
        f"{len(learners)} certificates issued with their PDF; {sent[0] if sent else 0} mails sent",
    ]


def _attempts(db: psycopg.Connection[Any], learner: Learner) -> int:
    for attempt_id, sent in learner.attempts.items():
        row = db.execute(
            "SELECT status, submitted_at, responses, snapshot,"
            " (SELECT count(*) FROM answers WHERE attempt_id = a.id)"
            " FROM attempts a WHERE id = %s",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise JourneyError(f"attempt {attempt_id} is gone")
        status, submitted, responses, snapshot, graded = row
        if status != "graded" or submitted is None:
            raise JourneyError(f"attempt {attempt_id} is {status}, not graded")
        asked = len(snapshot["questions"])  # a case's description is graded too, at no marks
        if graded != asked:
            raise JourneyError(f"attempt {attempt_id}: {graded} graded answers for {asked}")
        if responses != {name[2:]: values for name, values in sent.items()}:
            raise JourneyError(f"attempt {attempt_id}: saved answers differ from those sent")
    repeats = db.execute(
        "SELECT q.key, count(*) FROM attempts a JOIN users u ON u.id = a.user_id"
        " JOIN quizzes q ON q.id = a.quiz_id WHERE u.email = %s GROUP BY q.key"
        " HAVING count(*) > 1",
        (learner.email,),
    ).fetchall()
    if repeats:
        raise JourneyError(f"{learner.email} has more than one attempt at {repeats}")
    return len(learner.attempts)


def _certificate(db: psycopg.Connection[Any], learner: Learner) -> None:
    row = db.execute(
        "SELECT c.pdf IS NOT NULL, e.completed_at FROM certificates c"
        " JOIN users u ON u.id = c.user_id"
        " JOIN enrolments e ON e.user_id = u.id AND e.course_id = c.course_id"
        " WHERE c.code = %s AND u.email = %s",
        (learner.certificate, learner.email),
    ).fetchone()
    if row is None or not row[0] or row[1] is None:
        raise JourneyError(f"{learner.email}: certificate {learner.certificate} incomplete: {row}")


def _unsent(db: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT status, count(*) FROM outgoing_messages WHERE status <> 'sent' GROUP BY status"
    ).fetchall()
