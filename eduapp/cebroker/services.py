"""Which completions a Florida provider must report to CE Broker, which were reported, and
marking a roster as reported (audited on each learner's account history).

A completion is a certificate that stands (not revoked). It is reportable when its learner
holds a Florida licence and one of the course's approvals with a CE Broker course tracking
number was valid on its completion date. The 30-day window (rule 64B-5.002(2)(a)) runs from
the completion date printed on the certificate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select

from ..clock import now
from ..extensions import db
from ..models import (
    AccountChange,
    CeBrokerBatch,
    CeBrokerReport,
    Certificate,
    Course,
    Licence,
    User,
)
from .roster import (
    PROVIDER_PREFIX,
    RosterError,
    RosterLine,
    roster_rows,
    roster_xlsx,
    tracking_number,
)

WINDOW_DAYS = 30
FLORIDA = "FL"
MAX_RANGE_DAYS = 731
AUDIT_ACTION = "cebroker_reported"


class ReportRefused(ValueError):
    """The marking names completions that are not this roster's: nothing is recorded."""


@dataclass(frozen=True)
class Completion:
    certificate_id: int
    code: str
    user_id: int
    name: str
    licence_number: str | None
    completed_on: date
    course_tracking: str | None
    reported_at: datetime | None

    @property
    def reportable(self) -> bool:
        return self.licence_number is not None and self.course_tracking is not None

    def days_left(self, today: date) -> int:
        """Days left of the 30-day window; negative when overdue."""
        return (self.completed_on + timedelta(days=WINDOW_DAYS) - today).days

    def line(self) -> RosterLine:
        assert self.licence_number is not None and self.course_tracking is not None
        return RosterLine(self.licence_number, self.completed_on, self.course_tracking)


def provider_setting(value: object) -> tuple[str, str | None]:
    """EDUAPP_CEBROKER_PROVIDER, and why it cannot be used (None when it can)."""
    text = str(value or "").strip()
    if not text:
        return "", (
            "EDUAPP_CEBROKER_PROVIDER is not set: set it to your CE Broker provider tracking "
            "number (50-…) to download rosters."
        )
    try:
        tracking_number(text, PROVIDER_PREFIX)
    except RosterError:
        return text, f"EDUAPP_CEBROKER_PROVIDER ({text}) is not a CE Broker provider number."
    return text, None


def roster_file(pending: list[Completion], provider: str, profession: str) -> bytes:
    """The .xlsx CE Broker's Excel upload takes, for these completions."""
    return roster_xlsx(roster_rows(provider, profession, [c.line() for c in pending]))


def tracking_on(course_approvals: list[dict], on: date) -> str | None:
    """The CE Broker course tracking number of an approval valid on that date, if any."""
    for approval in course_approvals or []:
        if approval.get("cebroker") and date.fromisoformat(
            approval["valid_from"]
        ) <= on <= date.fromisoformat(approval["valid_to"]):
            return str(approval["cebroker"])
    return None


def courses_by_reportability() -> tuple[list[tuple[Course, list[str]]], list[Course]]:
    """Courses with a CE Broker number on any approval (with the numbers), and the others."""
    reportable, not_reportable = [], []
    for course in db.session.execute(db.select(Course).order_by(Course.title)).scalars():
        numbers = [str(a["cebroker"]) for a in course.approvals or [] if a.get("cebroker")]
        if numbers:
            reportable.append((course, numbers))
        else:
            not_reportable.append(course)
    return reportable, not_reportable


def _florida_licences(user_ids: Iterable[int]) -> dict[int, str]:
    """Each learner's Florida licence number (their first, if they hold several)."""
    numbers: dict[int, str] = {}
    for user_id, number in db.session.execute(
        db.select(Licence.user_id, Licence.number)
        .where(Licence.user_id.in_(set(user_ids)), Licence.state == FLORIDA)
        .order_by(Licence.id)
    ):
        numbers.setdefault(user_id, number)
    return numbers


def _rows(query: Select) -> list[tuple]:
    return list(db.session.execute(query).all())


def completions(course: Course, start: date, end: date) -> list[Completion]:
    """The course's standing completions dated start..end (inclusive) by the completion date
    their certificates print, in two statements whatever their number."""
    rows = _rows(
        db.select(
            Certificate.id,
            Certificate.code,
            Certificate.user_id,
            Certificate.facts,
            User.name,
            CeBrokerBatch.reported_at,
        )
        .join(User, User.id == Certificate.user_id)
        .outerjoin(CeBrokerReport, CeBrokerReport.certificate_id == Certificate.id)
        .outerjoin(CeBrokerBatch, CeBrokerBatch.id == CeBrokerReport.batch_id)
        .where(
            Certificate.course_id == course.id,
            Certificate.revoked_at.is_(None),
            # A certificate is issued on or after its completion (a day's margin for time
            # zones), possibly weeks later, after the course evaluation.
            Certificate.issued_at >= datetime.combine(start - timedelta(days=1), time.min, UTC),
            Certificate.facts["completed_on"].as_string() >= start.isoformat(),
            Certificate.facts["completed_on"].as_string() <= end.isoformat(),
        )
        .order_by(Certificate.facts["completed_on"].as_string(), Certificate.id)
    )
    licences = _florida_licences(row.user_id for row in rows)
    found = []
    for cert_id, code, user_id, facts, name, reported_at in rows:
        completed_on = date.fromisoformat(facts["completed_on"])
        if start <= completed_on <= end:  # as the query chose; a date read, not a string
            found.append(
                Completion(
                    certificate_id=cert_id,
                    code=code,
                    user_id=user_id,
                    name=name,
                    licence_number=licences.get(user_id),
                    completed_on=completed_on,
                    course_tracking=tracking_on(course.approvals, completed_on),
                    reported_at=reported_at,
                )
            )
    return found


def unreported(found: list[Completion]) -> list[Completion]:
    """What the next roster carries: reportable and not yet reported."""
    return [c for c in found if c.reportable and c.reported_at is None]


def mark_reported(
    course: Course,
    found: list[Completion],
    certificate_ids: set[int],
    provider: str,
    admin: User,
) -> CeBrokerBatch | None:
    """Record these completions as reported in one batch, each audited on the learner's
    account; None when every one was already reported (marking twice records nothing)."""
    in_roster = {c.certificate_id: c for c in found if c.reportable}
    strangers = certificate_ids - in_roster.keys()
    if strangers:
        raise ReportRefused(
            "These completions are not in this course's roster for the dates chosen: "
            + ", ".join(str(i) for i in sorted(strangers))
        )
    new = [in_roster[i] for i in sorted(certificate_ids) if in_roster[i].reported_at is None]
    if not new:
        return None
    batch = CeBrokerBatch(
        course_id=course.id,
        reported_by_id=admin.id,
        reported_at=now(),
        provider_tracking=provider.strip(),
        completions=len(new),
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(
        CeBrokerReport(
            batch_id=batch.id,
            certificate_id=c.certificate_id,
            course_tracking=c.course_tracking or "",
        )
        for c in new
    )
    db.session.add_all(
        AccountChange(
            user_id=c.user_id,
            admin_id=admin.id,
            action=AUDIT_ACTION,
            before=None,
            after=f"batch {batch.id}",
            reason=f"{course.slug}, certificate {c.code}, completed {c.completed_on}",
        )
        for c in new
    )
    return batch


def clinic_reports(
    clinic_id: int, limit: int = 200
) -> list[tuple[str, str, date, datetime | None]]:
    """For a clinic's managers: their sharing staff's standing completions while they hold a
    Florida licence, newest first, each with when it was reported to CE Broker (or None)."""
    from ..clinics.scope import shared_staff

    staff = shared_staff(clinic_id).with_only_columns(User.id).scalar_subquery()
    rows = db.session.execute(
        db.select(User.name, Course.title, Certificate.facts, CeBrokerBatch.reported_at)
        .join(User, User.id == Certificate.user_id)
        .join(Course, Course.id == Certificate.course_id)
        .outerjoin(CeBrokerReport, CeBrokerReport.certificate_id == Certificate.id)
        .outerjoin(CeBrokerBatch, CeBrokerBatch.id == CeBrokerReport.batch_id)
        .where(
            Certificate.user_id.in_(staff),
            Certificate.revoked_at.is_(None),
            db.select(Licence.id)
            .where(Licence.user_id == Certificate.user_id, Licence.state == FLORIDA)
            .exists(),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(limit)
    ).all()
    return [
        (name, title, date.fromisoformat(facts["completed_on"]), reported_at)
        for name, title, facts, reported_at in rows
    ]
