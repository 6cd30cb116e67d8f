"""What the API reads about a clinic or the platform, a page at a time. Typed functions that
never touch the request and never commit; the tenant boundary is ``shared_staff``, as on
every clinic page.

Every list is ordered by a unique key and continued from the last key given (keyset
pagination): a page costs the same however deep it is, and rows added meanwhile are neither
skipped nor repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask import current_app, url_for

from ..clinics.dashboard import staff_rows
from ..clinics.scope import is_manager, managed_clinics, shared_staff
from ..clock import now
from ..extensions import db
from ..models import Certificate, Clinic, ClinicInvite, Course, Enrolment, User
from . import paging


@dataclass
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


def clinic_for(user: User, clinic_id: int) -> Clinic | None:
    """The clinic if ``user`` manages it today; anyone else's, admins' included, is none."""
    clinic = db.session.get(Clinic, clinic_id)
    return clinic if clinic is not None and is_manager(user, clinic_id) else None


def clinics(user: User) -> list[dict[str, Any]]:
    return [{"id": c.id, "name": c.name} for c in managed_clinics(user)]


def _after(kind: str, cursor: str | None, shape: tuple[type, ...]) -> list[Any] | None:
    return paging.decode(kind, cursor, shape) if cursor else None


def _page(kind: str, rows: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    """The page's rows and the cursor to the next page (None on the last)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, paging.encode(kind, key(rows[-1]))


def staff(clinic_id: int, cursor: str | None, limit: int) -> Page:
    """The sharing staff by id, each with every licence's compliance and their assignments.
    A fixed number of statements whatever the page's size (``assess_staff``)."""
    after = _after("staff", cursor, (int,))
    query = shared_staff(clinic_id).with_only_columns(User.id).order_by(User.id)
    if after:
        query = query.where(User.id > after[0])
    ids, next_cursor = _page(
        "staff", list(db.session.execute(query.limit(limit + 1)).scalars()), limit, lambda i: [i]
    )
    rows = {r.user.id: r for r in staff_rows(clinic_id, ids)}
    items = []
    for user_id in ids:
        row = rows.get(user_id)
        if row is None:  # left the clinic between the two statements
            continue
        items.append(
            {
                "id": user_id,
                "name": row.user.name,
                "email": row.user.email,
                "status": row.status,
                "licences": [
                    {
                        "id": r.licence.id,
                        "number": r.licence.number,
                        "rules": r.pack.slug,
                        "renewal_date": r.licence.renewal_date,
                        "cycle_start": r.compliance.start,
                        "status": r.compliance.status,
                        "hours_required": r.compliance.total_required,
                        "hours_counted": r.compliance.total_counted,
                        "hours_missing": r.compliance.total_missing,
                        "problem": r.compliance.problem,
                    }
                    for r in row.licences
                ],
                "assignments": [
                    {"course_id": a.course.id, "due_on": a.due_on, "done": a.done}
                    for a in row.assignments
                ],
            }
        )
    return Page(items, next_cursor)


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _keyset(column: Any, id_column: Any, after: list[Any] | None) -> Any:
    """Rows after the cursor's (time, id), as SQL."""
    if after is None:
        return db.true()
    try:
        moment = datetime.fromisoformat(after[0])
    except ValueError:
        raise paging.BadCursor from None
    if moment.tzinfo is None:
        raise paging.BadCursor
    return db.or_(column > moment, db.and_(column == moment, id_column > after[1]))


def completions(clinic_id: int, since: date, cursor: str | None, limit: int) -> Page:
    """Courses the sharing staff completed from ``since`` on, oldest first."""
    after = _after("completions", cursor, (str, int))
    sharing = shared_staff(clinic_id).subquery()
    rows = db.session.execute(
        db.select(Enrolment, sharing.c.name, Course.slug)
        .join(sharing, sharing.c.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.completed_at >= _start(since),
            _keyset(Enrolment.completed_at, Enrolment.id, after),
        )
        .order_by(Enrolment.completed_at, Enrolment.id)
        .limit(limit + 1)
    ).all()
    rows, next_cursor = _page(
        "completions", rows, limit, lambda r: [r[0].completed_at.isoformat(), r[0].id]
    )
    return Page(
        [
            {
                "user_id": enrolment.user_id,
                "name": name,
                "course_id": enrolment.course_id,
                "course_slug": slug,
                "completed_at": enrolment.completed_at,
            }
            for enrolment, name, slug in rows
        ],
        next_cursor,
    )


def certificates(clinic_id: int | None, since: date, cursor: str | None, limit: int) -> Page:
    """Certificates issued from ``since`` on, oldest first: to the clinic's sharing staff, or
    (``clinic_id`` None, for admins) to anyone. Revoked ones are listed with the date."""
    kind = f"certificates-{clinic_id or 'all'}"
    after = _after(kind, cursor, (str, int))
    people = shared_staff(clinic_id) if clinic_id else db.select(User)
    holders = people.with_only_columns(User.id, User.name).subquery()
    facts = Certificate.facts
    rows = db.session.execute(
        db.select(
            Certificate.id,
            Certificate.code,
            Certificate.user_id,
            holders.c.name,
            Certificate.course_id,
            facts["course_title"].as_string(),
            facts["ce_hours"].as_string(),
            facts["completed_on"].as_string(),
            Certificate.issued_at,
            Certificate.revoked_at,
        )
        .join(holders, holders.c.id == Certificate.user_id)
        .where(
            Certificate.issued_at >= _start(since),
            _keyset(Certificate.issued_at, Certificate.id, after),
        )
        .order_by(Certificate.issued_at, Certificate.id)
        .limit(limit + 1)
    ).all()
    rows, next_cursor = _page(kind, rows, limit, lambda r: [r.issued_at.isoformat(), r.id])
    base = current_app.config["BASE_URL"]
    return Page(
        [
            {
                "code": r.code,
                "user_id": r.user_id,
                "name": r.name,
                "course_id": r.course_id,
                "course_title": r[5],
                "ce_hours": r[6],
                "completed_on": r[7],
                "issued_at": r.issued_at,
                "revoked_at": r.revoked_at,
                "verify_url": base + url_for("certificates.verify", code=r.code),
            }
            for r in rows
        ],
        next_cursor,
    )


def invites(clinic_id: int, cursor: str | None, limit: int) -> Page:
    """The clinic's invitations, oldest first, with what became of each."""
    after = _after("invites", cursor, (int,))
    query = db.select(ClinicInvite).where(ClinicInvite.clinic_id == clinic_id)
    if after:
        query = query.where(ClinicInvite.id > after[0])
    rows, next_cursor = _page(
        "invites",
        list(db.session.execute(query.order_by(ClinicInvite.id).limit(limit + 1)).scalars()),
        limit,
        lambda r: [r.id],
    )
    moment = now()
    return Page([invite_item(r, moment) for r in rows], next_cursor)


def invite_item(row: ClinicInvite, moment: datetime) -> dict[str, Any]:
    state = (
        "accepted"
        if row.accepted_at
        else "revoked"
        if row.revoked_at
        else "expired"
        if row.expires_at <= moment
        else "waiting"
    )
    return {
        "id": row.id,
        "email": row.email,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "state": state,
    }


def courses(include_drafts: bool) -> list[dict[str, Any]]:
    query = db.select(Course).order_by(Course.title, Course.id)
    if not include_drafts:
        query = query.where(Course.status == "published")
    return [
        {
            "id": c.id,
            "slug": c.slug,
            "title": c.title,
            "status": c.status,
            "version": c.version,
            "ce_hours": c.ce_hours,
            "ce_type": c.ce_type,
        }
        for c in db.session.execute(query).scalars()
    ]
