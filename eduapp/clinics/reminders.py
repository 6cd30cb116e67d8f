"""``flask ce remind``: staff hear about assigned courses due within 14 days (or overdue) and
licences at risk or overdue; each clinic's managers get a digest. Every message is logged by
person, reason and the person's local date, so running it twice a day sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from .. import mail
from ..ce.compliance import AT_RISK, NEEDS_CORRECTION, OVERDUE
from ..certificates.issue import local_date
from ..clock import now
from ..extensions import db
from ..models import Clinic, ClinicMember, ReminderLog, User
from ..models.clinic import MANAGER
from ..templating import ce
from ..webhooks import services as webhooks
from .dashboard import StaffRow, staff_rows

DUE_SOON = timedelta(days=14)


@dataclass
class Sent:
    email: str
    reason: str


@dataclass
class Skipped:
    """A clinic whose reminders could not be worked out; the run goes on with the others."""

    clinic_id: int
    clinic_name: str
    error: str


def _claim(user: User, reason: str) -> bool:
    """Log the reminder for today; False if one was already sent today."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ReminderLog(
                    user_id=user.id, reason=reason, sent_on=local_date(now(), user.timezone)
                )
            )
    except IntegrityError:
        return False
    return True


def _assignment_lines(row: StaffRow) -> list[str]:
    today = local_date(now(), row.user.timezone)
    lines = []
    for due in row.assignments:
        if not due.done and due.due_on <= today + DUE_SOON:
            when = "was due" if due.due_on < today else "is due"
            lines.append(f"- {due.course.title} {when} on {due.due_on:%-d %B %Y}.")
    return lines


def _licence_lines(row: StaffRow) -> list[str]:
    lines = []
    for licence in row.licences:
        c = licence.compliance
        if c.status == NEEDS_CORRECTION:
            lines.append(f"- {licence.pack.name} {licence.licence.number}: {c.problem}")
        if c.status in (AT_RISK, OVERDUE):
            missing = [f"{m.label} {ce(m.missing)} h" for m in c.missing]
            if c.total_missing:
                missing.append(f"{ce(c.total_missing)} more hours in all")
            lines.append(
                f"- {licence.pack.name} {licence.licence.number} is {c.status}: "
                f"{ce(c.total_counted)} of {ce(c.total_required)} hours, the cycle ends "
                f"{c.end:%-d %B %Y}; missing: {', '.join(missing)}."
            )
    return lines


def _staff_message(row: StaffRow) -> list[str]:
    return _assignment_lines(row) + _licence_lines(row)


def _staff_body(row: StaffRow, lines: list[str]) -> str:
    """The staff member's message, ending with links to the pages that answer it: My
    learning's "Assigned to you" section for courses, My CE for licences."""
    base = current_app.config["BASE_URL"]
    links = []
    if _assignment_lines(row):
        links.append(f"Your assigned courses: {base}/my-learning#assigned")
    if _licence_lines(row):
        links.append(f"Your licences and CE hours: {base}/my-ce")
    return f"Hello {row.user.name},\n\n" + "\n".join(lines) + "\n\n" + "\n".join(links) + "\n"


def _messages(clinic_id: int) -> list[tuple[StaffRow, list[str]]]:
    return [(row, _staff_message(row)) for row in staff_rows(clinic_id)]


def _licences_at_risk(clinic_id: int, messages: list[tuple[StaffRow, list[str]]]) -> None:
    """The clinic's webhooks hear of each licence at risk or overdue, once a day (UTC)."""
    today = now().date()
    for row, _lines in messages:
        for licence in row.licences:
            if licence.compliance.status in (AT_RISK, OVERDUE):
                webhooks.licence_at_risk(
                    clinic_id, row.user.id, licence.licence.id, licence.compliance.status, today
                )


def remind() -> Iterator[Sent | Skipped]:
    """Each clinic's reminders in turn. Odd stored data shows as a line to correct; anything
    that still fails skips that clinic only, reported, so one clinic never stops the rest."""
    clinics = db.session.execute(db.select(Clinic).order_by(Clinic.name)).scalars().all()
    for clinic in clinics:
        try:
            with db.session.begin_nested():  # a database error undoes this clinic's work only
                messages = _messages(clinic.id)
        except Exception as error:
            current_app.logger.exception("reminders for clinic %s failed", clinic.id)
            yield Skipped(clinic.id, clinic.name, f"{type(error).__name__}: {error}")
            continue
        _licences_at_risk(clinic.id, messages)
        flagged = []
        for row, lines in messages:
            if not lines:
                continue
            flagged.append((row, lines))
            if _claim(row.user, f"staff:{clinic.id}"):
                mail.queue(
                    row.user.email,
                    f"{clinic.name}: your CE needs attention",
                    _staff_body(row, lines),
                )
                yield Sent(row.user.email, f"staff:{clinic.id}")
        if not flagged:
            continue
        managers = db.session.execute(
            db.select(User)
            .join(ClinicMember, ClinicMember.user_id == User.id)
            .where(
                ClinicMember.clinic_id == clinic.id,
                ClinicMember.role == MANAGER,
                ClinicMember.left_at.is_(None),
            )
        ).scalars()
        digest = "\n".join(
            f"{row.user.name} ({row.status}):\n" + "\n".join(lines) for row, lines in flagged
        )
        for manager in managers:
            if _claim(manager, f"digest:{clinic.id}"):
                mail.queue(
                    manager.email,
                    f"{clinic.name}: {len(flagged)} staff need attention",
                    f"Today's reminders for {clinic.name}:\n\n{digest}\n",
                )
                yield Sent(manager.email, f"digest:{clinic.id}")
