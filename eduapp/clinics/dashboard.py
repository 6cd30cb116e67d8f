"""The compliance dashboard of a clinic: every sharing staff member's licences and status.

A fixed number of statements whatever the number of staff: staff, their licences and rule
packs, the packs' versions, certificates, external CE, the clinic's assignments and the
completions of assigned courses. Compliance is then worked out in Python per licence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
from ..clock import now
from ..extensions import db
from ..models import (
    Assignment,
    Certificate,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    RulePack,
    User,
)
from .services import shared_staff

NO_LICENCE = "no licence"
# Worst first: a person's status is the worst of their licences'. A licence that cannot be
# assessed comes first, since nobody can tell whether that person is compliant.
SEVERITY = {NEEDS_CORRECTION: 0, OVERDUE: 1, AT_RISK: 2, ON_TRACK: 3, NO_LICENCE: 4, COMPLETE: 5}
STATUSES = (NEEDS_CORRECTION, OVERDUE, AT_RISK, ON_TRACK, COMPLETE, NO_LICENCE)
PAGE_SIZE = 50
SORTS = ("status", "name", "due", "missing")


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
    user: User
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


@dataclass
class Dashboard:
    rows: list[StaffRow]
    total: int
    page: int
    pages: int
    counts: Counter[str]
    hours_counted: Decimal
    hours_required: Decimal


def staff_rows(clinic_id: int) -> list[StaffRow]:
    # Plain rows, not ORM objects: a thousand staff must not cost a thousand instances each.
    staff = db.session.execute(
        shared_staff(clinic_id)
        .with_only_columns(User.id, User.name, User.email, User.timezone)
        .order_by(User.name, User.id)
    ).all()
    ids = [u.id for u in staff]
    rows = {u.id: StaffRow(u) for u in staff}
    if not ids:
        return []
    packs = {p.id: p for p in db.session.execute(db.select(RulePack)).scalars()}
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
    credits = defaultdict(list)
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
    moment = now()
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
    _add_assignments(clinic_id, rows, ids)
    return list(rows.values())


def _add_assignments(clinic_id: int, rows: dict[int, StaffRow], ids: list[int]) -> None:
    assignments = db.session.execute(
        db.select(Assignment, Course)
        .join(Course, Course.id == Assignment.course_id)
        .where(Assignment.clinic_id == clinic_id)
    ).all()
    if not assignments:
        return
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


def build(
    clinic_id: int, status: str | None = None, query: str = "", sort: str = "status", page: int = 1
) -> Dashboard:
    everyone = staff_rows(clinic_id)
    counts: Counter[str] = Counter()
    counted = required = Decimal(0)
    for row in everyone:
        counts[row.status] += 1
        for licence in row.licences:
            counted += licence.compliance.total_counted
            required += licence.compliance.total_required
    chosen = [
        r
        for r in everyone
        if (status is None or r.status == status)
        and (not query or query.casefold() in f"{r.user.name} {r.user.email}".casefold())
    ]
    keys = {
        "status": lambda r: (SEVERITY[r.status], r.user.name.casefold()),
        "name": lambda r: r.user.name.casefold(),
        "due": lambda r: (r.next_due.due_on if r.next_due else date.max, r.user.name.casefold()),
        "missing": lambda r: (-r.missing, r.user.name.casefold()),
    }
    chosen.sort(key=keys[sort])
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return Dashboard(
        rows=chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(chosen),
        page=page,
        pages=pages,
        counts=counts,
        hours_counted=counted,
        hours_required=required,
    )
