"""What learners and an attacker do in the two-server run, every request on the other server.

A learner signs up (the confirmation mail goes through the Redis queue to a worker, which
writes it to the shared outbox), confirms, takes the whole course with autosaved answers,
sends the evaluation, waits for the certificate PDF a worker draws, and uploads a CE file that
the other server then serves. The answers come from the attempt's own snapshot in the database
(the run is checking the servers, not the learner).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

from .browser import Browser, JourneyError, Page, find, form_on

COURSE = "ethics-scope"
PASSWORD = "two servers, one database"


@dataclass
class Learner:
    browser: Browser
    email: str
    name: str
    attempts: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # id: answers sent
    retried_submits: int = 0
    certificate: str = ""


def confirmation_link(outbox: Path, address: str, timeout: float = 60) -> str:
    """The confirmation link mailed to ``address``, once a worker has written the mail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] and address in message["To"]:
                body = message.get_body(("plain",))
                text = body.get_content() if body is not None else ""
                match = re.search(r"https://[^\s]+(/signup/confirm/[^\s]+)", text)
                if match:
                    return match.group(1)
        time.sleep(0.2)
    raise JourneyError(f"no confirmation mail for {address} in {timeout:.0f} s")


def sign_up(learner: Learner, outbox: Path) -> None:
    b = learner.browser
    fields = form_on(b.get("/signup"), "/signup")
    fields.update(name=[learner.name], email=[learner.email], password=[PASSWORD])
    fields["timezone"] = ["America/New_York"]
    b.follow(b.post("/signup", fields))
    link = confirmation_link(outbox, learner.email)
    page = b.post(link, form_on(b.get(link), "/signup/confirm/"))
    if page.location != "/":
        raise JourneyError(f"{learner.email}: confirming went to {page.location}")


def _matching(pattern: str, page: Page) -> str:
    """A part of the address ``page`` redirects to."""
    match = re.fullmatch(pattern, page.location)
    if match is None:
        raise JourneyError(f"{page.path}: redirected to {page.location!r}, not {pattern}")
    return match.group(1)


def answers_from(db: psycopg.Connection[Any], attempt_id: int) -> dict[str, list[str]]:
    """The right answers to this attempt's questions, as the form fields a learner sends."""
    row = db.execute("SELECT snapshot FROM attempts WHERE id = %s", (attempt_id,)).fetchone()
    if row is None:
        raise JourneyError(f"attempt {attempt_id} is not in the database")
    return {
        f"q-{q['key']}": [c["key"] for c in q["choices"] if c["correct"]]
        for q in row[0]["questions"]
        if q["type"] != "description"
    }


def take_quiz(learner: Learner, db: psycopg.Connection[Any], key: str) -> None:
    """Start, autosave each answer on alternate servers, check the page shows them all, submit."""
    b = learner.browser
    overview = b.get(f"/courses/{COURSE}/quizzes/{key}")
    start = f"/courses/{COURSE}/quizzes/{key}/start"
    page = b.post(start, form_on(overview, start))
    attempt_id = int(_matching(r"/attempts/(\d+)", page))
    attempt = b.get(f"/attempts/{attempt_id}")
    token = form_on(attempt, "/submit")["csrf_token"]
    answers = answers_from(db, attempt_id)
    for name, values in answers.items():
        b.post(f"/attempts/{attempt_id}/save", {"csrf_token": token, name: values}, expect=None)
    shown = b.get(f"/attempts/{attempt_id}")
    for name, values in answers.items():
        for value in values:
            if not re.search(rf'name="{name}"[^>]*value="{re.escape(value)}" checked', shown.text):
                raise JourneyError(f"attempt {attempt_id}: the autosaved {name}={value} is lost")
    learner.attempts[attempt_id] = answers
    fields = {"csrf_token": token, **answers}
    page = b.post(f"/attempts/{attempt_id}/submit", fields, expect=None)
    if page.status == 409:  # a retried submit: the first one was graded
        learner.retried_submits += 1
    elif page.location != f"/attempts/{attempt_id}/result":
        raise JourneyError(f"submitting attempt {attempt_id} answered {page.status}")
    result = b.get(f"/attempts/{attempt_id}/result")
    if "100%" not in result.text:
        raise JourneyError(f"attempt {attempt_id} with every right answer did not score 100%")


def take_course(learner: Learner, db: psycopg.Connection[Any]) -> None:
    b = learner.browser
    course = b.get(f"/courses/{COURSE}")
    modules = list(
        dict.fromkeys(re.findall(rf'href="/courses/{COURSE}/modules/([\w-]+)"', course.text))
    )
    b.post(f"/courses/{COURSE}/start", form_on(course, "/start"))
    for slug in modules:
        page = b.get(f"/courses/{COURSE}/modules/{slug}")
        read = f"/courses/{COURSE}/modules/{slug}/read"
        if read in page.text:
            b.post(read, form_on(page, read))
        quiz = re.search(rf'href="/courses/{COURSE}/quizzes/([\w-]+)"', page.text)
        if quiz and quiz.group(1) != "final":
            take_quiz(learner, db, quiz.group(1))
    take_quiz(learner, db, "final")


def earn_certificate(learner: Learner) -> bytes:
    """Send the evaluation, then ask for the PDF until a worker has drawn it."""
    b = learner.browser
    path = f"/courses/{COURSE}/evaluation"
    fields = form_on(b.get(path), path)
    for key in ("objectives", "relevance", "evidence", "clarity", "time"):
        fields[key] = ["5"]
    page = b.post(path, fields)
    learner.certificate = _matching(r"/verify/([\w-]+)", page)
    verify = b.get(page.location)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        pdf = b.get(f"/certificates/{learner.certificate}.pdf", expect=None)
        if pdf.status == 200:
            break
        if pdf.status != 202:
            raise JourneyError(f"certificate PDF answered {pdf.status}")
        time.sleep(float(pdf.headers.get("Retry-After", "1")) / 3)
    else:
        raise JourneyError(f"certificate {learner.certificate}: no PDF after 90 s")
    if not pdf.body.startswith(b"%PDF-"):
        raise JourneyError("the certificate download is not a PDF")
    verify = b.get(f"/verify/{learner.certificate}")
    digest = hashlib.sha256(pdf.body).hexdigest()
    if digest not in verify.text:
        raise JourneyError(
            f"certificate {learner.certificate}: the PDF's SHA-256 is not on /verify"
        )
    return pdf.body


def upload_ce(learner: Learner, content: bytes) -> None:
    """Record an outside CE with its certificate on one server; fetch the file from the other."""
    b = learner.browser
    path = "/my-ce/external/new"
    fields = form_on(b.get(path), path)
    fields.update(
        title=["Outside course"], provider=["Another provider"], hours=["1"],
        completed_on=[date.today().isoformat()],
    )  # fmt: skip
    b.follow(b.post_file(path, fields, "file", ("outside.pdf", content, "application/pdf")))
    listing = b.get("/my-ce")
    link = find(r'href="(/my-ce/external/\d+/file)"', listing)
    for _ in range(2):  # once from each server
        got = b.get(link)
        if got.body != content:
            raise JourneyError(f"{link} from server {got.server} is not the file uploaded")


def journey(learner: Learner, outbox: Path, database: str) -> None:
    """One learner's whole journey; raises JourneyError at the first thing that goes wrong."""
    with psycopg.connect(database, autocommit=True) as db:
        sign_up(learner, outbox)
        take_course(learner, db)
    upload_ce(learner, earn_certificate(learner))
