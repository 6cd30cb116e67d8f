"""Events reach a clinic's endpoints only about staff who share their CE with it, only for
the events each endpoint chose, and a licence at risk at most once a day per licence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner

from eduapp.certificates import issue
from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import (
    Certificate,
    Clinic,
    ClinicMember,
    Course,
    Licence,
    RulePack,
    WebhookDelivery,
    WebhookEndpoint,
)
from eduapp.webhooks import services
from tests.webhooks.conftest import World


def endpoint(world: World, events: list[str], clinic: Clinic | None = None) -> WebhookEndpoint:
    made = services.register(
        clinic or world.clinic, "https://hr.example.com/in", events, world.manager
    )
    db.session.commit()
    return made.endpoint


def rows() -> list[tuple[int, str, dict[str, Any]]]:
    db.session.rollback()
    return [
        (d.endpoint_id, d.event, d.payload["data"])
        for d in db.session.execute(
            db.select(WebhookDelivery).order_by(WebhookDelivery.id)
        ).scalars()
    ]


def test_only_subscribed_active_endpoints_of_clinics_the_person_shares_with_hear(
    app: Flask, world: World
) -> None:
    completed = endpoint(world, ["course.completed"])
    certificates = endpoint(world, ["certificate.issued"])
    paused = endpoint(world, ["course.completed"])
    paused.active = False  # no page pauses one yet; the column is honoured
    other = Clinic(name="Other Clinic")
    db.session.add(other)
    db.session.commit()
    foreign = endpoint(world, ["course.completed"], clinic=other)

    assert services.course_completed(world.staff.id, 7) is None
    db.session.commit()
    assert rows() == [
        (
            completed.id,
            "course.completed",
            {"user_id": world.staff.id, "course_id": 7, "status": "completed"},
        )
    ]
    assert certificates.id and foreign.id  # neither heard


def test_staff_who_left_or_never_consented_and_managers_are_not_reported(
    app: Flask, world: World, make_user: Any
) -> None:
    endpoint(world, ["course.completed"])
    pending = make_user("pat@example.org", "Pat")
    db.session.add(ClinicMember(clinic_id=world.clinic.id, user_id=pending.id, role="staff"))
    member = db.session.execute(
        db.select(ClinicMember).filter_by(user_id=world.staff.id)
    ).scalar_one()
    member.left_at = now()
    db.session.commit()
    for user_id in (world.staff.id, pending.id, world.manager.id):
        services.course_completed(user_id, 7)
    db.session.commit()
    assert rows() == []


def test_certificates_issued_and_revoked_are_reported(
    app: Flask, world: World, imported: None, make_user: Any
) -> None:
    hooked = endpoint(world, ["certificate.issued", "certificate.revoked"])
    course = db.session.execute(db.select(Course).limit(1)).scalar_one()
    certificate = Certificate(
        user_id=world.staff.id, course_id=course.id, code="WH-TEST-1", facts={}
    )
    db.session.add(certificate)
    db.session.flush()
    services.certificate_event("certificate.issued", certificate)
    admin = make_user("ada@example.org", "Ada", role="admin")
    issue.revoke(certificate, admin, "issued in error")
    db.session.commit()
    expected = {"certificate_id": certificate.id, "user_id": world.staff.id, "course_id": course.id}
    assert rows() == [
        (hooked.id, "certificate.issued", {**expected, "status": "issued"}),
        (hooked.id, "certificate.revoked", {**expected, "status": "revoked"}),
    ]


def test_the_daily_reminder_run_reports_a_licence_at_risk_once_a_day(
    app: Flask, world: World, packs: dict[str, RulePack], runner: FlaskCliRunner, clock
) -> None:
    hooked = endpoint(world, ["licence.at_risk"])
    licence = Licence(
        user_id=world.staff.id,
        pack_id=packs["ncbtmb"].id,
        number="BC-1",
        state="US",
        renewal_date=date(2027, 1, 31),
    )
    db.session.add(licence)
    db.session.commit()
    assert runner.invoke(args=["ce", "remind"]).exit_code == 0
    assert runner.invoke(args=["ce", "remind"]).exit_code == 0  # the same day: nothing new
    (row,) = rows()
    assert row[:2] == (hooked.id, "licence.at_risk")
    assert row[2]["licence_id"] == licence.id and row[2]["user_id"] == world.staff.id
    assert row[2]["status"] in ("at risk", "overdue")
    clock.shift(timedelta(days=1))
    assert runner.invoke(args=["ce", "remind"]).exit_code == 0
    assert len(rows()) == 2


def test_a_learner_completing_a_ce_course_is_reported_with_its_certificate(
    app: Flask, world: World, ce_course: Course
) -> None:
    """Through the pages, as it happens: the completion, then the certificate."""
    from tests.certificates.test_certificates import evaluate, pass_everything
    from tests.conftest import AuthActions

    hooked = endpoint(world, list(services.EVENTS))
    client = app.test_client()
    AuthActions(client).login("sam@example.org")
    pass_everything(client)
    evaluate(client)
    db.session.rollback()
    certificate = db.session.execute(db.select(Certificate)).scalar_one()
    assert rows() == [
        (
            hooked.id,
            "course.completed",
            {"user_id": world.staff.id, "course_id": ce_course.id, "status": "completed"},
        ),
        (
            hooked.id,
            "certificate.issued",
            {
                "certificate_id": certificate.id,
                "user_id": world.staff.id,
                "course_id": ce_course.id,
                "status": "issued",
            },
        ),
    ]
