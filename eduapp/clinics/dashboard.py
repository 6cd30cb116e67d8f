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
from typing import Any

from ..ce.compliance import NEEDS_CORRECTION
from ..clock import now
from ..extensions import db
from ..models import Assignment, ClinicMember, ComplianceSummary, Enrolment, User
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
from .summaries import refresh_stale

__all__ = [
    "NEEDS_CORRECTION",
    "NO_LICENCE",
    "PAGE_SIZE",
    "SEVERITY",
    "SORTS",
    "SORT_LABELS",
    "STATUSES",
    "Dashboard",
    "Due",
    "LicenceRow",
    "StaffRow",
    "build",
    "matching",
    "matching_ids",
    "staff_rows",
]

PAGE_SIZE = 50
SORT_LABELS = {
    "status": "Status, worst first",
    "name": "Name",
    "due": "Next due course",
    "missing": "Hours missing",
}
SORTS = tuple(SORT_LABELS)


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


def next_due_on() -> Any:
    """The person's (``User.id`` of the enclosing statement) earliest assigned course not yet
    completed, as a correlated subquery: the "next due" sort needs it for everyone, not only
    the page. Per person it reads the clinic's few assignments and the person's enrolments
    by index, so its cost does not hang on the planner's estimates."""
    done = db.and_(
        Enrolment.user_id == User.id,
        Enrolment.course_id == Assignment.course_id,
        Enrolment.completed_at.is_not(None),
    )
    return (
        db.select(db.func.min(Assignment.due_on))
        .outerjoin(Enrolment, done)
        .where(
            Assignment.clinic_id == ClinicMember.clinic_id,
            db.or_(Assignment.user_id.is_(None), Assignment.user_id == User.id),
            Enrolment.id.is_(None),
        )
        .correlate(User, ClinicMember)
        .scalar_subquery()
    )


def _severity() -> Any:
    return db.case(SEVERITY, value=ComplianceSummary.status)


def _staff(clinic_id: int) -> Any:
    """A SELECT of the given columns over the clinic's sharing staff and their summaries.
    The FROM is spelled out: each statement selects different columns of the same join."""
    summary = ComplianceSummary
    sharing = shared_staff(clinic_id)
    joined = sharing.get_final_froms()[0].join(summary, summary.user_id == User.id)

    def staff(*columns: Any) -> Any:
        return db.select(*columns).select_from(joined).where(sharing.whereclause)

    return staff


def _filtered(query: Any, status: str | None, text: str) -> Any:
    if status is not None:
        query = query.where(ComplianceSummary.status == status)
    if text:
        query = query.where(
            ComplianceSummary.search_text.contains(text.casefold(), autoescape=True)
        )
    return query


def _ordered(query: Any, sort: str) -> Any:
    """The order is what sorting everyone in Python gave: the sort's key with the name
    casefolded (compared byte by byte, as Python compares strings), then the name as the
    database orders it and the id, which was the order the rows came in before."""
    summary = ComplianceSummary
    name_key = summary.sort_name
    if db.session.get_bind().dialect.name == "postgresql":
        name_key = name_key.collate("C")  # code point order, as Python's
    keys: list[Any]
    if sort == "due":
        keys = [db.func.coalesce(next_due_on(), date.max)]  # none due: last, as date.max
    else:
        keys = {
            "status": [_severity()],
            "name": [],
            "missing": [summary.missing_hundredths.desc()],
        }[sort]
    return query.order_by(*keys, name_key, User.name, User.id)


def matching(clinic_id: int, status: str | None = None, text: str = "") -> Any:
    """The ids of the staff the dashboard lists with these filters, as a SELECT (for IN).
    Reads the stored summaries: refresh the clinic's stale ones first."""
    return _filtered(_staff(clinic_id)(User.id), status, text)


def matching_ids(
    clinic_id: int, status: str | None = None, text: str = "", sort: str = "status"
) -> list[int]:
    """Every one of them, in the dashboard's order: what an export of the list holds."""
    return list(db.session.execute(_ordered(matching(clinic_id, status, text), sort)).scalars())


def build(
    clinic_id: int, status: str | None = None, query: str = "", sort: str = "status", page: int = 1
) -> Dashboard:
    """Counts, filters, sorts and pages in SQL on the stored summaries (refreshed first where
    stale), then assesses in full only the page's people."""
    refreshed = refresh_stale(clinic_id)
    summary = ComplianceSummary
    staff = _staff(clinic_id)
    counts: Counter[str] = Counter()
    counted = required = 0
    for row_status, number, row_counted, row_required in db.session.execute(
        staff(
            summary.status,
            db.func.count(),
            db.func.sum(summary.counted_hundredths),
            db.func.sum(summary.required_hundredths),
        ).group_by(summary.status)
    ):
        counts[row_status] = number
        counted += row_counted or 0
        required += row_required or 0
    chosen = _filtered(staff(User.id), status, query)
    total = db.session.execute(
        db.select(db.func.count()).select_from(chosen.subquery())
    ).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    ids = list(
        db.session.execute(
            _ordered(chosen, sort).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).scalars()
    )
    detail = {r.user.id: r for r in staff_rows(clinic_id, ids)}
    return Dashboard(
        rows=[detail[i] for i in ids if i in detail],
        total=total,
        page=page,
        pages=pages,
        counts=counts,
        hours_counted=Decimal(counted) / 100,
        hours_required=Decimal(required) / 100,
        refreshed=refreshed,
    )
