"""Issuing, revoking and correcting certificates; the facts are frozen at issue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..credentials import services as credentials
from ..extensions import db
from ..jobs import after_commit
from ..models import Certificate, Course, CourseVersion, Enrolment, Licence, RulePack, User
from ..models.certificate import new_certificate_code
from ..templating import ce
from ..webhooks import services as webhooks

COURSE_TYPES = {"home-study": "Home study", "live": "Live", "live-online": "Live online"}


class CertificateError(Exception):
    """This certificate cannot be issued or changed; the message says why."""


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def _signers(setting: str) -> list[dict[str, str]]:
    signers = []
    for entry in filter(str.strip, setting.split(";")):
        name, _, title = entry.partition("|")
        signers.append({"name": name.strip(), "title": title.strip()})
    return signers


def version_taken(user_id: int, course: Course) -> CourseVersion:
    """The version the learner took (their enrolment's): the certificate prints its title,
    version, CE hours and approvals, whatever the course has published since."""
    return db.session.execute(
        db.select(CourseVersion)
        .join(Enrolment, Enrolment.version_id == CourseVersion.id)
        .where(Enrolment.user_id == user_id, Enrolment.course_id == course.id)
    ).scalar_one()


def _approvals(course: CourseVersion, completed_on: date, sample: bool) -> list[dict[str, str]]:
    """The approvals valid on the completion date; a sample never prints a real number."""
    return [
        {
            "body": a["body"],
            "number": "SAMPLE (not a real approval number)" if sample else a["number"],
            "title": a.get("title") or course.title,
            "ce_hours": ce(a.get("ce_hours") or course.ce_hours),
        }
        for a in course.approvals or []
        if date.fromisoformat(a["valid_from"]) <= completed_on <= date.fromisoformat(a["valid_to"])
    ]


def _licence(user: User, bodies: set[str]) -> dict[str, str] | None:
    """The licence to print: one whose board approved the course, else the first recorded."""
    rows = db.session.execute(
        db.select(Licence.number, Licence.state, RulePack.approving_bodies)
        .join(RulePack, RulePack.id == Licence.pack_id)
        .where(Licence.user_id == user.id)
        .order_by(Licence.id)
    ).all()
    chosen = next((r for r in rows if bodies & set(r.approving_bodies)), rows[0] if rows else None)
    return {"number": chosen.number, "state": chosen.state} if chosen else None


def certificate_facts(
    user: User, course: Course, completed_at: datetime, code: str, issued_at: datetime
) -> dict[str, Any]:
    """Everything the certificate prints, in one JSON-ready mapping."""
    config = current_app.config
    sample = bool(config["CERTIFICATE_SAMPLE"])
    completed_on = local_date(completed_at, user.timezone)
    taken = version_taken(user.id, course)
    approvals = _approvals(taken, completed_on, sample)
    return {
        "certificate_id": code,
        "participant": user.name,
        "licence": _licence(user, {a["body"] for a in approvals}),
        "course_slug": course.slug,
        "course_title": taken.title,
        "course_version": taken.label,
        "course_type": taken.ce_type,
        "course_type_label": COURSE_TYPES.get(taken.ce_type, taken.ce_type),
        "completed_on": completed_on.isoformat(),
        "issued_on": local_date(issued_at, user.timezone).isoformat(),
        "ce_hours": ce(taken.ce_hours),
        "ce_categories": list(taken.ce_categories or []),
        "approvals": approvals,
        "provider": {"name": config["PROVIDER_NAME"], "contact": config["PROVIDER_CONTACT"]},
        "signatures": _signers(config["CERTIFICATE_SIGNERS"]),
        "verify_url": f"{config['BASE_URL']}/verify/{code}",
        "sample": sample,
    }


def current_certificate(user_id: int, course_id: int) -> Certificate | None:
    """The newest certificate of this learner and course that is not revoked."""
    return db.session.execute(
        db.select(Certificate)
        .where(
            Certificate.user_id == user_id,
            Certificate.course_id == course_id,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _new_certificate(
    user: User, course: Course, completed_at: datetime, replaces: Certificate | None
) -> Certificate:
    issued_at = now()
    certificate = Certificate(user_id=user.id, course_id=course.id, issued_at=issued_at)
    certificate.code = new_certificate_code()
    certificate.facts = certificate_facts(user, course, completed_at, certificate.code, issued_at)
    certificate.replaces_id = replaces.id if replaces is not None else None
    return certificate


def issue_certificate(user: User, course: Course) -> Certificate:
    """Issue the learner's certificate for a completed CE course, once.

    A second call (or a concurrent one) returns the certificate already issued. If that one
    was revoked and nothing replaced it (a regrade took the pass away, then gave it back), a
    new certificate replaces it.
    """
    existing = db.session.execute(
        db.select(Certificate)
        .filter_by(user_id=user.id, course_id=course.id)
        .order_by(Certificate.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if existing is not None and not existing.revoked:
        return existing
    enrolment = db.session.execute(
        db.select(Enrolment).filter_by(user_id=user.id, course_id=course.id)
    ).scalar_one_or_none()
    if enrolment is None or enrolment.completed_at is None:
        raise CertificateError("the course is not complete yet")
    if not version_taken(user.id, course).ce_hours:
        raise CertificateError("this course carries no CE hours, so it has no certificate")
    certificate = _new_certificate(user, course, enrolment.completed_at, existing)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        # Another request issued it first: one original per learner and course.
        return db.session.execute(
            db.select(Certificate).filter_by(user_id=user.id, course_id=course.id, replaces_id=None)
        ).scalar_one()
    after_commit("render_certificate", certificate)  # no request waits for the PDF
    credentials.attach(certificate, user.email)
    webhooks.certificate_event("certificate.issued", certificate)
    return certificate


def revoke(certificate: Certificate, admin: User, reason: str) -> None:
    if certificate.revoked:
        raise CertificateError("this certificate is already revoked")
    reason = reason.strip()
    if not reason:
        raise CertificateError("give a reason for revoking it")
    certificate.revoked_at = now()
    certificate.revoked_by_id = admin.id
    certificate.revoke_reason = reason[:500]
    webhooks.certificate_event("certificate.revoked", certificate)


def correct(certificate: Certificate, admin: User, reason: str) -> Certificate:
    """Issue a new certificate from today's facts (say, a corrected name) replacing this one."""
    user = db.session.get_one(User, certificate.user_id)
    course = db.session.get_one(Course, certificate.course_id)
    enrolment = db.session.execute(
        db.select(Enrolment).filter_by(user_id=user.id, course_id=course.id)
    ).scalar_one()
    if enrolment.completed_at is None:  # pragma: no cover - completion is never undone
        raise CertificateError("the course is not complete")
    replacement = _new_certificate(user, course, enrolment.completed_at, certificate)
    # A correction changes what was wrong, not when the course was completed.
    replacement.facts = {**replacement.facts, "completed_on": certificate.facts["completed_on"]}
    db.session.add(replacement)
    after_commit("render_certificate", replacement)
    db.session.flush()
    credentials.attach(replacement, user.email)
    webhooks.certificate_event("certificate.issued", replacement)
    revoke(certificate, admin, f"replaced by certificate {replacement.code}: {reason.strip()}")
    return replacement


def after_final_regrade(course: Course, passed: Iterable[int], failed: Iterable[int]) -> None:
    """A final regraded to a pass completes and certifies; to a fail flags for an admin."""
    if not course.ce_hours:
        return
    for user_id in passed:
        enrolment = db.session.execute(
            db.select(Enrolment).filter_by(user_id=user_id, course_id=course.id)
        ).scalar_one_or_none()
        if enrolment is not None and enrolment.completed_at is not None:
            certificate = issue_certificate(db.session.get_one(User, user_id), course)
            certificate.review_reason = None  # passed again: nothing left to review
    stamp = now().date().isoformat()
    for user_id in failed:
        for certificate in db.session.execute(
            db.select(Certificate).where(
                Certificate.user_id == user_id,
                Certificate.course_id == course.id,
                Certificate.revoked_at.is_(None),
            )
        ).scalars():
            certificate.review_reason = (
                f"the final was regraded from pass to fail on {stamp}; revoke this certificate "
                "with a reason, or keep it if another attempt still passes"
            )
