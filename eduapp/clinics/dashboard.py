"""The compliance dashboard of a clinic: every sharing staff member's licences and status.

It counts, filters, sorts and pages on each person's stored summary (``summaries``: one
small row per person, recomputed when stale), then assesses in full only the page's fifty
people. A fixed number of statements whatever the number of staff.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter

from ..ce.compliance import NEEDS_CORRECTION
from ..clock import now
from ..extensions import db
from ..models import Assignment, Enrolment, User
from .assessing import (
    NO_LICENCE,
    SEVERITY,
    STATUSES,
    Due,
    LicenceRow,
    StaffRow,
    add_assignments,
    assess_staff,
)
from .services import shared_staff
from .summaries import clinic_summaries

__all__ = [
    "NEEDS_CORRECTION",
    "NO_LICENCE",
    "PAGE_SIZE",
    "SEVERITY",
    "SORTS",
    "STATUSES",
    "Dashboard",
    "Due",
    "LicenceRow",
    "StaffRow",
    "build",
    "staff_rows",
]

PAGE_SIZE = 50
SORTS = ("status", "name", "due", "missing")


@dataclass
class Dashboard:
    rows: list[StaffRow]
    total: int
    page: int
    pages: int
    counts: Counter[str]
    hours_counted: Decimal
    hours_required: Decimal
    refreshed: bool = False  # stale summaries were recomputed: the caller commits them


def staff_rows(clinic_id: int, ids: list[int] | None = None) -> list[StaffRow]:
    """Every sharing staff member (or those of ``ids`` who share), assessed in full with
    their assignments, by name: the export, reminders and the dashboard's page."""
    query = shared_staff(clinic_id).with_only_columns(User.id, User.name, User.email, User.timezone)
    if ids is not None:
        query = query.where(User.id.in_(ids))
    staff = db.session.execute(query.order_by(User.name, User.id)).all()
    rows = assess_staff(staff, now())
    add_assignments(clinic_id, rows)
    return list(rows.values())


def next_due_dates(clinic_id: int) -> dict[int, date]:
    """Each sharing staff member's earliest assigned course not yet completed, in one query:
    the "next due" sort needs it for everyone, not only the page."""
    staff = shared_staff(clinic_id).with_only_columns(User.id).subquery()
    done = db.and_(
        Enrolment.user_id == staff.c.id,
        Enrolment.course_id == Assignment.course_id,
        Enrolment.completed_at.is_not(None),
    )
    return dict(
        db.session.execute(
            db.select(staff.c.id, db.func.min(Assignment.due_on))
            .join(
                Assignment,
                db.and_(
                    Assignment.clinic_id == clinic_id,
                    db.or_(Assignment.user_id.is_(None), Assignment.user_id == staff.c.id),
                ),
            )
            .outerjoin(Enrolment, done)
            .where(Enrolment.id.is_(None))
            .group_by(staff.c.id)
        ).all()
    )


def build(
    clinic_id: int, status: str | None = None, query: str = "", sort: str = "status", page: int = 1
) -> Dashboard:
    everyone, refreshed = clinic_summaries(clinic_id)
    counts: Counter[str] = Counter(map(attrgetter("status"), everyone))
    counted = Decimal(sum(map(attrgetter("counted_hundredths"), everyone))) / 100
    required = Decimal(sum(map(attrgetter("required_hundredths"), everyone))) / 100
    needle = query.casefold()
    chosen = [
        s
        for s in everyone
        if (status is None or s.status == status)
        and (not needle or needle in f"{s.name} {s.email}".casefold())
    ]
    due = next_due_dates(clinic_id) if sort == "due" else {}
    keys = {
        "status": lambda s: (SEVERITY[s.status], s.name.casefold()),
        "name": lambda s: s.name.casefold(),
        "due": lambda s: (due.get(s.id, date.max), s.name.casefold()),
        "missing": lambda s: (-s.missing_hundredths, s.name.casefold()),
    }
    chosen.sort(key=keys[sort])
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    detail = {r.user.id: r for r in staff_rows(clinic_id, [s.id for s in shown])}
    return Dashboard(
        rows=[detail[s.id] for s in shown if s.id in detail],
        total=len(chosen),
        page=page,
        pages=pages,
        counts=counts,
        hours_counted=counted,
        hours_required=required,
        refreshed=refreshed,
    )
