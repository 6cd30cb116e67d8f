"""The fuzz test's cases for one route, one method and one role, drawn from the shared world.

Each case keeps the request's other parts plausible (the role's real ids, values a person
would type) and makes one part hostile, so the hostile value travels as deep into the view
as it can; a few cases make everything hostile at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from flask_wtf.file import FileField
from werkzeug.routing import Rule
from wtforms import BooleanField, DateField, DecimalField, EmailField, IntegerField

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Attempt, Course, PracticeExam, RulePack
from eduapp.quiz import services as quiz_services
from eduapp.studio import quizedit
from tests.conftest import FIXTURES
from tests.fuzzforms import FORMS, form_fields, reads
from tests.fuzzinputs import (
    CONTENT_TYPE_LIES,
    HOSTILE,
    HOSTILE_FILES,
    PDF,
    WORST,
    Case,
    Upload,
    Value,
    build_path,
)
from tests.world import EMAILS, World

GENERIC_QUERY = ("next", "page")  # sent to every route, read or not
# Fields no form has, added to every form: the quiz reads any name starting "q-".
STRAY_FIELDS = ("q-", "q-no-such-question", "q-" + "x" * 300, "\ufffd", "csrf_token")
BY_TYPE: tuple[tuple[type, bytes], ...] = (
    (BooleanField, b"y"),
    (DateField, b"2026-06-01"),
    (DecimalField, b"1.5"),
    (IntegerField, b"1"),
    (EmailField, b"fuzz@example.org"),
)


@dataclass
class Target:
    """What the cases of one role point at: real path values and plausible field values."""

    path: dict[str, Any]
    tokens: dict[str, str]  # endpoint: a live token for its <token>
    fields: dict[str, bytes]  # field name: a value a person would send
    raw_fields: dict[str, dict[str, list[bytes]]]  # endpoint: raw request.form fields

    def path_for(self, endpoint: str, rule: Rule) -> dict[str, bytes]:
        values = {**self.path, "token": self.tokens.get(endpoint, "bogus-token")}
        return {name: str(values.get(name, "x")).encode() for name in rule.arguments}


def every_question_type(world: World) -> None:
    """Point the learner's attempt at a quiz with every question type, so the answers the
    fuzz test sends go through each type's parsing and grading, not only choices."""
    import_courses(load_catalogue(FIXTURES / "types"))
    course = db.session.execute(db.select(Course).filter_by(slug="types-course")).scalar_one()
    quiz = quiz_services.quiz_in_course(course, "types")
    assert quiz is not None
    db.session.commit()
    world.attempt_id = quiz_services.start_attempt(world.users["learner"], quiz).id
    db.session.commit()


def answer(question: dict[str, Any]) -> list[bytes]:
    """A well-formed answer to a snapshot's question, as its form would send it."""
    if question["type"] == "matching":
        option = question["options"][0]["key"]
        return [f"{stem['key']}:{option}".encode() for stem in question["stems"]]
    if question["type"] == "ordering":
        return [f"{item['key']}:{n}".encode() for n, item in enumerate(question["items"], 1)]
    if question.get("choices"):
        return [str(question["choices"][0]["key"]).encode()]
    return [b"15"]


def attempt_answers(world: World) -> dict[str, list[bytes]]:
    """The attempt's own answer fields (``q-<question key>``), each well formed."""
    snapshot = db.session.get_one(Attempt, world.attempt_id).snapshot
    return {f"q-{q['key']}": answer(q) for q in snapshot["questions"] if q["type"] != "description"}


# Views that read request.form beyond their form class, and the fields they read.
RAW_FIELDS: dict[str, Callable[[World], dict[str, list[bytes]]]] = {
    "quiz.save": attempt_answers,
    "quiz.submit": attempt_answers,
    # A choice per module and per setting both the author and the newest version changed.
    "studio.update_draft": lambda world: {
        "choice-first-steps": [b"mine", b"theirs"],
        "setting-summary": [b"mine", b"theirs"],
        "setting-references:furlan2015": [b"mine", b"theirs"],
    },
    # Retired questions to withdraw (the world's quiz has none: a key is refused with 400),
    # and the preview's confirmation.
    "studio.regrade_quiz": lambda world: {"withdraw": [b"q-single"], "confirmed": [b"yes"]},
    # The question editor's fields: scalar ones, a choice per row, and which button.
    "studio.new_question": lambda world: question_fields(),
    "studio.edit_question": lambda world: question_fields(),
    "studio.move_question": lambda world: {"direction": [b"up", b"down"]},
    # The practice exam's answer fields (p1...), from its snapshot.
    "practice.exam": lambda world: practice_answers(world),
    "practice.save": lambda world: practice_answers(world),
    # The dashboard's filters its export buttons post (the audit pack ignores them).
    **dict.fromkeys(
        (
            "clinics.request_dashboard_csv",
            "clinics.request_completions_csv",
            "clinics.request_audit_pack",
        ),
        lambda world: {"q": [b"lou"], "status": [b"no licence"], "sort": [b"name"]},
    ),
}


def practice_answers(world: World) -> dict[str, list[bytes]]:
    snapshot = db.session.get_one(PracticeExam, world.exam_id).snapshot
    return {f"q-{q['key']}": answer(q) for q in snapshot["questions"]}


def question_fields() -> dict[str, list[bytes]]:
    """A single-answer question as the editor posts it (``based_on`` as a new one's)."""
    return {
        "type": [b"single"],
        "based_on": [quizedit.state_hash(None).encode()],
        "action": [b"save", b"preview", b"more"],
        "prompt": [b"Which stroke glides?"],
        "row-0-text": [b"Effleurage"],
        "row-1-text": [b"Tapotement"],
        "row-1-credit": [b"-50"],
        "correct": [b"0"],
        "references": [b"furlan2015"],
        "tags": [b"strokes"],
        "markup": [b"markdown", b"html"],
    }


def target(world: World, role: str, tokens: dict[str, str]) -> Target:
    pack = db.session.execute(db.select(RulePack)).scalars().first()
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    definition = {"effective_from": "2020-01-01", "cycle": {"months": 24}, "total_hours": "24"}
    text = {
        "email": EMAILS.get(role, "someone@example.org"),
        "manager_email": EMAILS["manager_a"],
        "emails": "fuzz1@example.org, fuzz2@example.org",
        "name": "Fuzz Name",
        "timezone": "UTC",
        "password": "not the password",
        "current_password": "not the password",
        "new_password": "a new long password",
        "confirm": "a new long password",
        "next": "/my-ce",
        "pack": str(pack.id if pack else 1),
        "number": "BC-2",
        "renewal_date": "2027-05-31",
        "completed_on": "2026-10-01",
        "approved_by": "NCBTMB",
        "definition": yaml.safe_dump(definition),
        "course": str(course.id),
        "due_on": "2027-01-31",
        "who": "all",
        "reason": "A correction",
    }
    return Target(
        path=world.path_values("b" if role in ("manager_b", "staff_b") else "a"),
        tokens=tokens,
        fields={k: v.encode() for k, v in text.items()},
        raw_fields={endpoint: fields(world) for endpoint, fields in RAW_FIELDS.items()},
    )


def plausible(field: Any, target: Target) -> Value:
    if isinstance(field, FileField):
        return PDF
    if field.name in target.fields:
        return target.fields[field.name]
    if getattr(field, "choices", None):
        first = field.choices[0]
        return str(getattr(first, "value", None) or first[0]).encode()
    return next((value for kind, value in BY_TYPE if isinstance(field, kind)), b"Some text")


def form_cases(endpoint: str, path: str, target: Target) -> tuple[Case, list[Case]]:
    """The plausible request, and variants with hostile field values and files."""
    fields = form_fields(FORMS.get(endpoint))
    base: list[tuple[str, Value]] = [(f.name, plausible(f, target)) for f in fields]
    for name, values in target.raw_fields.get(endpoint, {}).items():
        base += [(name, v) for v in values]
    names = list(dict.fromkeys(name for name, _ in base))
    files = {f.name for f in fields if isinstance(f, FileField)}
    variants = []
    for name in names:
        kept = [(k, v) for k, v in base if k != name]
        hostile = HOSTILE_FILES if name in files else HOSTILE
        variants += [Case("POST", path, fields=[*kept, (name, value)]) for value in hostile]
        variants.append(Case("POST", path, fields=kept))  # the field left out
    for value in HOSTILE:
        everything = [(k, v if isinstance(v, Upload) else value) for k, v in base]
        variants.append(Case("POST", path, fields=everything))
    variants += [Case("POST", path, fields=[*base, (name, b"a")]) for name in STRAY_FIELDS]
    variants += [Case("POST", path, fields=base, content_type=t) for t in CONTENT_TYPE_LIES]
    variants.append(Case("POST", path, fields=[]))
    return Case("POST", path, fields=base), variants


def cases(
    rule: Rule,
    method: str,
    role: str,
    target: Target,
    view: Callable[..., Any],
    sample: int | None,
) -> list[Case]:
    """The plausible case first (so the route is reached whatever else happens), then a
    deterministic sample of hostile ones: the same on every run and every backend. A route
    that reads little gets few: two cases, and two more for each thing it reads."""
    endpoint = rule.endpoint
    real = target.path_for(endpoint, rule)
    path = build_path(rule, real)
    if method == "POST":
        base, variants = form_cases(endpoint, path, target)
    else:
        base, variants = Case(method, path), []
    for name in sorted(rule.arguments):  # a set: its order changes from run to run
        for value in (*HOSTILE, b"x"):
            variants.append(_with(base, path=build_path(rule, {**real, name: value})))
    own = reads(view, "args") or set()
    params = sorted(own | set(GENERIC_QUERY))
    for name in params:
        variants += [_with(base, query=[(name, value)]) for value in HOSTILE]
    variants += [_with(base, query=[(n, value) for n in params]) for value in HOSTILE]
    # Sent every time: the worst values in the route's own query parameters, and every
    # hostile file (uploads are the input no request check looks inside).
    always = [_with(base, query=[(n, value) for n in sorted(own)]) for value in WORST if own]
    always += [c for c in variants if any(v in HOSTILE_FILES for _, v in c.fields or ())]
    variants = [c for c in variants if c not in always]
    inputs = len(rule.arguments) + len(own) + len({k for k, _ in base.fields or ()})
    rng = random.Random(f"{endpoint}{method}{role}")
    if sample is not None:
        variants = rng.sample(variants, min(sample, 2 + 2 * inputs, len(variants)))
    for case in variants:
        case.json = rng.random() < 0.2
    return [base, *always, *variants]


def _with(base: Case, **changes: Any) -> Case:
    return Case(
        base.method, changes.get("path", base.path), changes.get("query", base.query), base.fields
    )
