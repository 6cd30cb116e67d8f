"""Stored compliance summaries: one row per person, so a clinic's dashboard of 10,000 staff
reads 10,000 small rows instead of assessing 10,000 people's licences on every request.

A summary is a cache of :func:`eduapp.clinics.assessing.assess_staff`, and it is used only
while it is fresh:

- every write to what it is computed from bumps the person's ``generation`` in the same
  transaction (``freshness``), and a summary counts only while ``computed_generation``
  equals it, so a change shows on the very next request;
- ``valid_until`` is the first instant of the person's local day on which a licence's status
  changes by the date alone (at risk, overdue), so the dashboard recomputes it from then on.

The dashboard recomputes stale rows as it meets them, in a batch with a fixed number of
statements. The write is conditional on the generation it read (and an insert yields to an
existing row), so a recomputation that raced a change never overwrites the change's mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from ..ce.compliance import next_status_change
from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..models import ComplianceSummary, User
from .assessing import StaffRow, assess_staff
from .scope import shared_staff

TABLE: Table = ComplianceSummary.__table__  # type: ignore[assignment]


class Summary(NamedTuple):
    """What the dashboard needs of one person to count, filter, sort and page. The stored
    rows :func:`clinic_summaries` returns have these attributes too (and a few more)."""

    id: int
    name: str
    email: str
    status: str
    counted_hundredths: int
    required_hundredths: int
    missing_hundredths: int


def hundredths(hours: Decimal) -> int:
    """CE hours as whole hundredths (half up, though hours are kept to two decimals)."""
    return int((hours * 100).to_integral_value(ROUND_HALF_UP))


def start_of_day(day: date, timezone: str) -> datetime:
    """The first instant (UTC) of ``day`` in ``timezone``. Where midnight does not exist (a
    clock moved forward at 00:00), Python reads it with the offset before the change, which
    is the first instant of that day."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def summarise(row: StaffRow) -> dict[str, Any]:
    """The stored values of one assessed person."""
    changes = [d for d in (next_status_change(r.compliance) for r in row.licences) if d]
    return {
        "status": row.status,
        "counted_hundredths": hundredths(
            sum((r.compliance.total_counted for r in row.licences), Decimal(0))
        ),
        "required_hundredths": hundredths(
            sum((r.compliance.total_required for r in row.licences), Decimal(0))
        ),
        "missing_hundredths": hundredths(row.missing),
        "valid_until": start_of_day(min(changes), row.user.timezone) if changes else None,
    }


def _stored(clinic_id: int, moment: datetime) -> list[Any]:
    summary = ComplianceSummary
    # Whether the row may be used is decided in SQL: 10,000 timestamps need not become
    # Python datetimes to be compared with now.
    fresh = db.and_(
        summary.computed_generation == summary.generation,
        db.or_(summary.valid_until.is_(None), summary.valid_until > moment),
    )
    return list(
        db.session.execute(
            shared_staff(clinic_id)
            .outerjoin(summary, summary.user_id == User.id)
            .with_only_columns(
                User.id,
                User.name,
                User.email,
                summary.status,
                summary.counted_hundredths,
                summary.required_hundredths,
                summary.missing_hundredths,
                User.timezone,
                summary.generation,
                db.case((fresh, True), else_=False).label("fresh"),
            )
            .order_by(User.name, User.id)
        ).all()
    )


def clinic_summaries(clinic_id: int) -> tuple[list[Any], bool]:
    """Every sharing staff member's summary (rows with :class:`Summary`'s attributes), by
    name then id, each fresh at this moment, and whether any was recomputed.

    Stale ones are recomputed and stored (SQLite's write lock is taken first, so a GET that
    refreshes waits for a writer instead of failing); the caller commits.
    """
    moment = now()
    stored = _stored(clinic_id, moment)
    stale = [r for r in stored if not r.fresh]
    if not stale:
        return stored, False
    recomputed = refresh(stale, moment)
    return [
        Summary(r.id, r.name, r.email, **recomputed[r.id]) if not r.fresh else r for r in stored
    ], True


def refresh(stale: Sequence[Any], moment: datetime) -> dict[int, dict[str, Any]]:
    """Recompute these people (rows with id, timezone and the generation read) and store the
    results where nothing changed since: an update only at the generation read, an insert
    only where no row exists. Returns the recomputed values (without ``valid_until``) by
    user id."""
    begin_write()
    assessed = assess_staff(stale, moment)
    values = {user_id: summarise(row) for user_id, row in assessed.items()}
    until = {user_id: v.pop("valid_until") for user_id, v in values.items()}
    # Executemany parameters may not share a column's name: "v_" marks the new values.
    updates = [  # in user id order: see freshness.mark_stale
        {
            "u": r.id,
            "g": r.generation,
            "v_valid_until": until[r.id],
            **{f"v_{k}": v for k, v in values[r.id].items()},
        }
        for r in sorted(stale, key=attrgetter("id"))
        if r.generation is not None
    ]
    inserts = [
        {
            "user_id": r.id,
            "generation": 0,
            "computed_generation": 0,
            "computed_at": moment,
            "valid_until": until[r.id],
            **values[r.id],
        }
        for r in stale
        if r.generation is None
    ]
    if updates:
        db.session.execute(
            TABLE.update()
            .where(TABLE.c.user_id == bindparam("u"), TABLE.c.generation == bindparam("g"))
            .values(
                computed_generation=bindparam("g"),
                computed_at=moment,
                valid_until=bindparam("v_valid_until"),
                **{key: bindparam(f"v_{key}") for key in values[updates[0]["u"]]},
            ),
            updates,
        )
    if inserts:
        db.session.execute(_insert().on_conflict_do_nothing(index_elements=["user_id"]), inserts)
    return values


def _insert() -> Any:
    """INSERT with ON CONFLICT, in the session's dialect (both speak it)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TABLE)
