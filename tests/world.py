"""One small world in which every route has something real to show: people in every role,
and the objects they own, as the access matrix and the fuzz test both need.

The learner owns everything a learner can own (a certificate, a licence, CE from elsewhere
with its file, an open quiz attempt) and is the consenting staff member of clinic A; clinic B
has its own manager and staff member. Both clinics have a pending invitation. The instructor
owns the sample course, which also has a co-author; other_instructor owns nothing. Ids are read
back from the rows, never assumed: PostgreSQL sequences do not restart between tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask, url_for

from eduapp.api import tokens as api_tokens
from eduapp.credentials import services as credentials
from eduapp.extensions import db
from eduapp.figures import store
from eduapp.models import (
    Assignment,
    Attempt,
    Certificate,
    Clinic,
    ClinicInvite,
    ClinicMember,
    Course,
    CourseOwner,
    Enrolment,
    ExportRequest,
    ExternalCredit,
    FailedJob,
    Licence,
    PracticeExam,
    Quiz,
    ReviewCard,
    RulePack,
    RuleVersion,
    User,
)
from eduapp.quiz import services as quiz_services
from eduapp.studio import drafts
from eduapp.webhooks import services as webhooks
from tests.figures.imagekit import raster

ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "instructor",
    "admin",
    "manager_a",
    "manager_b",
    "staff_b",
    "other_instructor",
)
EMAILS = {
    "learner": "owner@example.org",
    "other_learner": "other@example.org",
    "instructor": "ivy@example.org",
    "admin": "ada@example.org",
    "manager_a": "mgr@example.org",
    "manager_b": "mgrb@example.org",
    "staff_b": "sb@example.org",
    "other_instructor": "olly@example.org",
}
CO_AUTHOR = "cora@example.org"  # an instructor on no role's list, co-author of the course
CODE = "A" * 22  # the learner's certificate
COURSE, QUIZ = "sample-course", "first-steps"


@dataclass
class World:
    users: dict[str, User]  # by role; anonymous has none
    attempt_id: int
    # clinic_id, invite_id, user_id (its staff member), manager_id, assignment_id (all staff)
    clinic_a: dict[str, int]
    clinic_b: dict[str, int]
    records: dict[str, int]  # the learner's licence_id and credit_id
    figure: str = ""  # a stored figure's file name, <sha256>.png
    person_id: int = 0  # the course's co-author, whom its owner may remove
    draft_id: int = 0  # the co-author's draft of the course, which its owner may approve
    card_id: int = 0  # the learner's review card
    exam_id: int = 0  # the learner's practice exam, not yet submitted
    course_id: int = 0  # the course, for admins' pages that take its id (CE Broker rosters)
    failed_id: int = 0  # a job that failed, which admins may retry
    export_id: int = 0  # clinic A's audit pack, asked for by manager_a and built
    token_id: int = 0  # manager_a's API token
    endpoint_id: int = 0  # clinic A's webhook endpoint

    def path_values(self, clinic: str = "a") -> dict[str, Any]:
        """A real value for every path parameter a route has, pointing at the learner's
        objects and at one clinic's rows."""
        return {
            "slug": COURSE,
            "module_slug": "first-steps",
            "key": QUIZ,
            "attempt_id": self.attempt_id,
            "token": "bogus-token",
            "filename": "app.css",
            "code": CODE,
            "effective_from": "2020-01-01",
            "pack_slug": "ncbtmb",
            "name": self.figure,
            "person_id": self.person_id,
            "version_id": self.draft_id,
            "number": 1,  # the course's first published version
            "question": "q-single",  # a question of the quiz, in every draft of the course
            "exam_id": self.exam_id,
            "account_id": self.users["learner"].id,  # the account admins' pages change
            "card_id": self.card_id,
            "course_id": self.course_id,
            "token_id": self.token_id,
            "endpoint_id": self.endpoint_id,
            "failed_id": self.failed_id,
            "export_id": self.export_id,
            **self.records,
            **(self.clinic_a if clinic == "a" else self.clinic_b),
        }


def build_world(app: Flask, make_user: Callable[..., User]) -> World:
    """Every role's user and what they own, committed. Needs the ``imported`` catalogue."""
    users = {
        role: make_user(
            email,
            role.replace("_", " ").title(),
            role="instructor"
            if "instructor" in role
            else "admin"
            if role == "admin"
            else "learner",
        )
        for role, email in EMAILS.items()
    }
    owner = users["learner"]
    course = db.session.execute(db.select(Course).filter_by(slug=COURSE)).scalar_one()
    # A certificate is only ever issued for a completed enrolment; admins' corrections rely
    # on it.
    db.session.add(
        Enrolment(
            user_id=owner.id,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime(2026, 11, 23, tzinfo=UTC),
        )
    )
    issued = certificate(owner, course)
    db.session.add(issued)
    credentials.attach(issued, owner.email)
    records = add_ce_records(app, owner.id)
    clinic_a = add_clinic(users["manager_a"], "Clinic A", owner)
    clinic_b = add_clinic(users["manager_b"], "Clinic B", users["staff_b"])
    figure = store(raster("PNG"), filename="figures/world.png")
    # The instructor owns the course, with a co-author; other_instructor owns nothing.
    co_author = make_user(CO_AUTHOR, "Cora Co-author", role="instructor")
    for user, role in ((users["instructor"], "owner"), (co_author, "co-author")):
        db.session.add(CourseOwner(course_id=course.id, user_id=user.id, role=role))
    draft_id = drafts.open_draft(course, co_author).id
    db.session.commit()
    quiz = quiz_services.quiz_in_course(course, QUIZ)
    assert quiz is not None
    attempt = quiz_services.start_attempt(owner, quiz)
    attempt_id = attempt.id
    card = review_card(owner, quiz, attempt.snapshot["questions"][0])
    exam = practice_exam(owner, attempt_id)
    api_token = api_tokens.create(users["manager_a"], "HR system", [api_tokens.COMPLIANCE], 30)
    failed = FailedJob(name="send_reminders", args=[], error="RuntimeError: x", traceback="")
    db.session.add(failed)
    export = built_export(users["manager_a"], clinic_a["clinic_id"])
    hook = webhooks.register(
        db.session.get_one(Clinic, clinic_a["clinic_id"]),
        "https://hr.example.com/in",
        ["course.completed"],
        users["manager_a"],
    )
    db.session.commit()
    world = World(
        users,
        attempt_id,
        clinic_a,
        clinic_b,
        records,
        f"{figure.sha256}.png",
        co_author.id,
        draft_id,
        card.id,
        exam.id,
        course.id,
        failed.id,
        export.id,
    )
    world.token_id = api_token.row.id
    world.endpoint_id = hook.endpoint.id
    return world


def built_export(manager: User, clinic_id: int) -> ExportRequest:
    """An audit pack the manager asked for, as its job leaves it: ready, its file stored."""
    from eduapp.exports.kinds import exports_dir

    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("ab" * 16)).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP
    row = ExportRequest(
        user_id=manager.id,
        clinic_id=clinic_id,
        kind="audit-pack",
        status="ready",
        file_key="ab" * 16,
        size=22,
        finished_at=datetime(2026, 11, 23, tzinfo=UTC),
    )
    db.session.add(row)
    return row


def review_card(owner: User, quiz: Quiz, question: dict[str, Any]) -> ReviewCard:
    """A card of the learner's, due tomorrow, as a missed question makes one."""
    from eduapp.clock import now
    from eduapp.review.content import question_hash
    from eduapp.review.scheduler import new_schedule

    card = ReviewCard(
        user_id=owner.id,
        course_id=quiz.course_id,
        kind="question",
        item=f"{quiz.key}/{question['key']}",
        origin="missed",
        version_id=quiz.version_id,
        question_id=question["question_id"],
        module_id=quiz.module_id,
        content_hash=question_hash(question),
        content=question,
        **new_schedule(now() + timedelta(days=1)),  # not due: /review/session has none
    )
    db.session.add(card)
    db.session.flush()
    return card


def practice_exam(owner: User, attempt_id: int) -> PracticeExam:
    """A practice exam of one question, drawn from the attempt's quiz as a blueprint would."""
    question = db.session.get_one(Attempt, attempt_id).snapshot["questions"][0]
    exam = PracticeExam(
        user_id=owner.id,
        blueprint="catalogue-areas",
        size=50,
        snapshot={
            "title": "Practice",
            "checked": "2026-12-04",
            "areas": [{"id": "basics", "title": "Basics"}],
            "short": {},
            "questions": [
                {
                    **question,
                    "key": "p1",
                    "area": "basics",
                    "course": "Sample",
                    "course_slug": COURSE,
                    "module": "First steps",
                    "module_slug": "first-steps",
                }
            ],
        },
        responses={},
    )
    db.session.add(exam)
    db.session.flush()
    return exam


def certificate(owner: User, course: Course) -> Certificate:
    return Certificate(
        code=CODE,
        user_id=owner.id,
        course_id=course.id,
        facts={
            "course_slug": COURSE,
            "course_title": "Sample Course for Tests",
            "course_type": "home-study",
            "ce_hours": "1",
            "ce_categories": ["general"],
            "approvals": [],
            "completed_on": "2026-11-23",
            "issued_on": "2026-11-23",
            "provider": {"name": "P", "contact": "c"},
        },
        pdf=b"%PDF-1.4 test",
        sha256="0" * 64,
    )


def add_ce_records(app: Flask, user_id: int) -> dict[str, int]:
    """A licence and a CE record with its file, both the owner's."""
    pack = RulePack(
        slug="ncbtmb",
        name="NCBTMB",
        jurisdiction="US",
        approving_bodies=["NCBTMB"],
        sources=["https://www.ncbtmb.org/"],
        reviewed_on=date(2026, 11, 24),
    )
    db.session.add(pack)
    db.session.flush()
    definition = {"effective_from": "2020-01-01", "cycle": {"months": 24}, "total_hours": "24"}
    db.session.add(
        RuleVersion(
            pack_id=pack.id, effective_from=date(2020, 1, 1), definition=definition, origin="file"
        )
    )
    licence = Licence(
        user_id=user_id,
        pack_id=pack.id,
        number="BC-1",
        state="US",
        renewal_date=date(2027, 5, 31),
    )
    db.session.add(licence)
    key = "ab" * 16
    folder = Path(app.config["FILES_DIR"]) / "ce"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(b"%PDF-1.4")
    credit = ExternalCredit(
        user_id=user_id,
        title="Workshop",
        provider="P",
        completed_on=date(2026, 10, 1),
        hours=Decimal(2),
        topic="general",
        delivery="live",
        approved_by=["NCBTMB"],
        file_name="c.pdf",
        file_key=key,
        file_type="application/pdf",
        file_size=8,
    )
    db.session.add(credit)
    db.session.flush()
    return {"licence_id": licence.id, "credit_id": credit.id}


def add_clinic(manager: User, name: str, staff: User) -> dict[str, int]:
    """A clinic with a manager, one consenting staff member, a pending invitation and a
    course assigned to all staff."""
    clinic = Clinic(name=name)
    db.session.add(clinic)
    db.session.flush()
    db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"))
    db.session.add(
        ClinicMember(
            clinic_id=clinic.id,
            user_id=staff.id,
            role="staff",
            consented_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    invite = ClinicInvite(
        clinic_id=clinic.id,
        email="new@example.org",
        token_hash=name.encode().hex().ljust(64, "0")[:64],
        created_by_id=manager.id,
        expires_at=datetime(2099, 1, 1, tzinfo=UTC),
    )
    db.session.add(invite)
    course_id = db.session.execute(db.select(Course.id).filter_by(slug=COURSE)).scalar_one()
    assignment = Assignment(
        clinic_id=clinic.id, course_id=course_id, due_on=date(2099, 1, 1), created_by_id=manager.id
    )
    db.session.add(assignment)
    db.session.flush()
    return {
        "clinic_id": clinic.id,
        "invite_id": invite.id,
        "user_id": staff.id,
        "manager_id": manager.id,
        "assignment_id": assignment.id,
    }


def url_for_rule(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    """The endpoint's URL with the real values its path needs."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: values[k] for k in rule.arguments})
