"""Each staff member's compliance, worked out from their licences and credits.

A fixed number of statements for any number of people: their licences and rule packs, the
packs' versions, certificates, external CE, then (for a clinic) its assignments and the
completions of assigned courses. Compliance is worked out in Python per licence. The
dashboard runs this for the page it shows and for people whose stored summary is stale
(``summaries``); the CSV export and reminders run it for everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..ce.compliance import (
    AT_RISK,
    COMPLETE,
    NEEDS_CORRECTION,
    ON_TRACK,
    OVERDUE,
    Compliance,
    Credit,
    assess,
    version_for,
)
from ..ce.packs import current_versions
from ..ce.services import DELIVERY_OF_COURSE
from ..certificates.issue import local_date
from ..extensions import db
from ..models import (
    Assignment,
    Certificate,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    RulePack,
)

NO_LICENCE = "no licence"
# Worst first: a person's status is the worst of their licences'. A licence that cannot be
# assessed comes first, since nobody can tell whether that person is compliant.
SEVERITY = {NEEDS_CORRECTION: 0, OVERDUE: 1, AT_RISK: 2, ON_TRACK: 3, NO_LICENCE: 4, COMPLETE: 5}
STATUSES = (NEEDS_CORRECTION, OVERDUE, AT_RISK, ON_TRACK, COMPLETE, NO_LICENCE)


@dataclass
class LicenceRow:
    licence: Licence
    pack: RulePack
    compliance: Compliance


@dataclass
class Due:
    course: Course
    due_on: date
    done: bool


@dataclass
class StaffRow:
    user: Any  # a row with id, name, email and timezone
    licences: list[LicenceRow] = field(default_factory=list)
    assignments: list[Due] = field(default_factory=list)
    certificates: int = 0

    @property
    def status(self) -> str:
        if not self.licences:
            return NO_LICENCE
        return min((r.compliance.status for r in self.licences), key=SEVERITY.__getitem__)

    @property
    def missing(self) -> Decimal:
        return sum((r.compliance.total_missing for r in self.licences), Decimal(0))

    @property
    def next_due(self) -> Due | None:
        open_ones = [a for a in self.assignments if not a.done]
        return min(open_ones, key=lambda a: a.due_on, default=None)


def assess_staff(staff: Sequence[Any], moment: datetime) -> dict[int, StaffRow]:
    """Every licence of these people (rows with id, name, email, timezone) assessed on their
    own local date at ``moment``, keyed by user id in the order given."""
    rows = {u.id: StaffRow(u) for u in staff}
    ids = list(rows)
    if not ids:
        return rows
    packs = {p.id: p for p in db.session.execute(db.select(RulePack)).scalars()}
    # Plain rows, not ORM objects: a thousand staff must not cost a thousand instances each.
    licences = [
        (licence, packs[licence.pack_id])
        for licence in db.session.execute(
            db.select(
                Licence.id,
                Licence.user_id,
                Licence.pack_id,
                Licence.number,
                Licence.renewal_date,
            )
            .where(Licence.user_id.in_(ids))
            .order_by(Licence.renewal_date, Licence.id)
        ).all()
    ]
    versions = current_versions({pack.id for _, pack in licences})
    credits: defaultdict[int, list[Credit]] = defaultdict(list)
    # Only the fields compliance needs: never the stored PDFs, and no ORM objects per row.
    facts = Certificate.facts
    for row in db.session.execute(
        db.select(
            Certificate.user_id,
            facts["completed_on"].as_string(),
            facts["ce_hours"].as_string(),
            facts["course_type"].as_string(),
            facts["course_title"].as_string(),
            facts["ce_categories"],
            facts["approvals"],
        ).where(Certificate.user_id.in_(ids), Certificate.revoked_at.is_(None))
    ):
        user_id, completed_on, hours, course_type, title, categories, approvals = row
        credits[user_id].append(
            Credit(
                completed_on=date.fromisoformat(completed_on),
                hours=Decimal(hours),
                topics=frozenset(categories or []),
                delivery=DELIVERY_OF_COURSE.get(course_type or "", "home-study"),
                bodies=frozenset(a["body"] for a in approvals or []),
                title=title or "",
                source="certificate",
            )
        )
        rows[user_id].certificates += 1
    for user_id, completed_on, hours, topic, delivery, approved_by, title in db.session.execute(
        db.select(
            ExternalCredit.user_id,
            ExternalCredit.completed_on,
            ExternalCredit.hours,
            ExternalCredit.topic,
            ExternalCredit.delivery,
            ExternalCredit.approved_by,
            ExternalCredit.title,
        ).where(ExternalCredit.user_id.in_(ids))
    ):
        credits[user_id].append(
            Credit(
                completed_on=completed_on,
                hours=Decimal(hours),
                topics=frozenset({topic}),
                delivery=delivery,
                bodies=frozenset(approved_by or []),
                title=title,
                source="external",
            )
        )
    for licence, pack in licences:
        user = rows[licence.user_id].user
        version = version_for(versions[pack.id], licence.renewal_date)
        compliance = assess(
            version,
            pack.approving_bodies,
            licence.renewal_date,
            credits[licence.user_id],
            local_date(moment, user.timezone),
        )
        rows[licence.user_id].licences.append(LicenceRow(licence, pack, compliance))
    return rows


def add_assignments(clinic_id: int, rows: dict[int, StaffRow]) -> None:
    """Each person's courses assigned by this clinic, and whether they completed them."""
    assignments = db.session.execute(
        db.select(Assignment, Course)
        .join(Course, Course.id == Assignment.course_id)
        .where(Assignment.clinic_id == clinic_id)
    ).all()
    if not assignments or not rows:
        return
    ids = list(rows)
    done = set(
        db.session.execute(
            db.select(Enrolment.user_id, Enrolment.course_id).where(
                Enrolment.user_id.in_(ids),
                Enrolment.course_id.in_({c.id for _, c in assignments}),
                Enrolment.completed_at.is_not(None),
            )
        ).all()
    )
    for assignment, course in assignments:
        targets = ids if assignment.user_id is None else [assignment.user_id]
        for user_id in targets:
            if user_id in rows:
                rows[user_id].assignments.append(
                    Due(course, assignment.due_on, (user_id, course.id) in done)
                )
