"""A learner's CE: their credits, each licence's compliance today, and courses that would help.

Every page built from here runs the same handful of queries whatever the number of
licences, certificates or external credits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..certificates.issue import local_date
from ..clock import now
from ..extensions import db
from ..models import Certificate, Course, Enrolment, ExternalCredit, Licence, RulePack, User
from .compliance import (
    NEEDS_CORRECTION,
    Compliance,
    Credit,
    assess,
    cycle_bounds,
    usable,
    version_for,
)
from .packs import current_versions

DELIVERY_OF_COURSE = {"home-study": "home-study", "live": "live", "live-online": "live-online"}


@dataclass
class LicenceStatus:
    licence: Licence
    pack: RulePack
    compliance: Compliance
    suggestions: list[Course] = field(default_factory=list)


def today_for(user: User) -> date:
    return local_date(now(), user.timezone)


def certificate_credit(certificate: Certificate) -> Credit:
    facts = certificate.facts
    return Credit(
        completed_on=date.fromisoformat(facts["completed_on"]),
        hours=Decimal(facts["ce_hours"]),
        topics=frozenset(facts.get("ce_categories") or []),
        delivery=DELIVERY_OF_COURSE.get(facts.get("course_type", ""), "home-study"),
        bodies=frozenset(a["body"] for a in facts.get("approvals") or []),
        title=facts["course_title"],
        source="certificate",
    )


def external_credit(row: ExternalCredit) -> Credit:
    return Credit(
        completed_on=row.completed_on,
        hours=Decimal(row.hours),
        topics=frozenset({row.topic}),
        delivery=row.delivery,
        bodies=frozenset(row.approved_by or []),
        title=row.title,
        source="external",
    )


def credits_for(user: User) -> tuple[list[Certificate], list[ExternalCredit], list[Credit]]:
    certificates = (
        db.session.execute(
            db.select(Certificate)
            .where(Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
            .order_by(Certificate.issued_at)
        )
        .scalars()
        .all()
    )
    external = (
        db.session.execute(
            db.select(ExternalCredit)
            .filter_by(user_id=user.id)
            .order_by(ExternalCredit.completed_on, ExternalCredit.id)
        )
        .scalars()
        .all()
    )
    credits = [certificate_credit(c) for c in certificates] + [external_credit(e) for e in external]
    return list(certificates), list(external), credits


def licences_of(user: User) -> list[tuple[Licence, RulePack]]:
    return [
        (licence, pack)
        for licence, pack in db.session.execute(
            db.select(Licence, RulePack)
            .join(RulePack, RulePack.id == Licence.pack_id)
            .where(Licence.user_id == user.id)
            .order_by(Licence.renewal_date, Licence.id)
        ).all()
    ]


def _suggestions(
    pack: RulePack, compliance: Compliance, courses: list[Course], done: set[int], today: date
) -> list[Course]:
    """Published CE courses approved by the pack's bodies that add to what is missing."""
    if compliance.status == "complete":
        return []
    missing_topics = {c.id for c in compliance.missing}
    wanted = []
    for course in courses:
        if course.id in done or not course.ce_hours:
            continue
        bodies = {
            a["body"]
            for a in course.approvals or []
            if date.fromisoformat(a["valid_from"]) <= today <= date.fromisoformat(a["valid_to"])
        }
        if not bodies & set(pack.approving_bodies):
            continue
        if compliance.total_missing > 0 or set(course.ce_categories or []) & missing_topics:
            wanted.append(course)
    return wanted


def my_ce(user: User) -> tuple[list[LicenceStatus], list[Certificate], list[ExternalCredit]]:
    licences = licences_of(user)
    certificates, external, credits = credits_for(user)
    today = today_for(user)
    versions = current_versions({pack.id for _, pack in licences})
    courses = (
        db.session.execute(db.select(Course).where(Course.status == "published")).scalars().all()
        if licences
        else []
    )
    done = set(
        db.session.execute(
            db.select(Enrolment.course_id).where(
                Enrolment.user_id == user.id, Enrolment.completed_at.is_not(None)
            )
        ).scalars()
    )
    statuses = []
    for licence, pack in licences:
        version = version_for(versions[pack.id], licence.renewal_date)
        compliance = assess(version, pack.approving_bodies, licence.renewal_date, credits, today)
        statuses.append(
            LicenceStatus(
                licence,
                pack,
                compliance,
                _suggestions(pack, compliance, list(courses), done, today),
            )
        )
    return statuses, certificates, external


@dataclass
class TranscriptCycle:
    start: date
    end: date
    rows: list[tuple[Credit, Decimal]]
    total: Decimal


def transcript(user: User) -> list[tuple[Licence, RulePack, list[TranscriptCycle]]]:
    """Per licence, every cycle from the current one back to the earliest credit, each with the
    credits it counted (hours after caps)."""
    licences = licences_of(user)
    _, _, credits = credits_for(user)
    versions = current_versions({pack.id for _, pack in licences})
    earliest = min((c.completed_on for c in credits if usable(c)), default=None)
    today = today_for(user)
    result = []
    for licence, pack in licences:
        cycles = []
        renewal = licence.renewal_date
        while True:
            version = version_for(versions[pack.id], renewal)
            assessed = assess(version, pack.approving_bodies, renewal, credits, today)
            cycles.append(
                TranscriptCycle(
                    assessed.start, assessed.end, assessed.counted, assessed.total_counted
                )
            )
            if (
                assessed.status == NEEDS_CORRECTION
                or earliest is None
                or assessed.start <= earliest
                or len(cycles) >= 10
            ):
                break
            # The previous cycle ends the day before this one starts.
            renewal = cycle_bounds(version.cycle, renewal)[0] - timedelta(days=1)
        result.append((licence, pack, cycles))
    return result
