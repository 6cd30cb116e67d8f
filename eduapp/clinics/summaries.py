"""Stored compliance summaries: one row per person, so a clinic's dashboard of 10,000 staff
counts, sorts and pages in SQL instead of assessing 10,000 people's licences per request.

A summary is a cache of :func:`eduapp.clinics.assessing.assess_staff`, and it is used only
while it is fresh:

- every write to what it is computed from bumps the person's ``generation`` in the same
  transaction (``freshness``), and a summary counts only while ``computed_generation``
  equals it, so a change shows on the very next request;
- ``valid_until`` is the first instant of the person's local day on which a licence's status
  changes by the date alone (at risk, overdue), so the dashboard recomputes it from then on.

The dashboard recomputes a clinic's stale rows first, in a batch with a fixed number of
statements. A row it writes counts as fresh only at the generation it read, so a
recomputation that raced a change never hides the change's mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any
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
        "sort_name": row.user.name.casefold(),
        "search_text": f"{row.user.name} {row.user.email}".casefold(),
    }


def fresh_clause(moment: datetime) -> Any:
    """Whether a stored row may be used at ``moment``, as SQL (so 10,000 timestamps need not
    become Python datetimes to be compared with now). A missing row is not fresh."""
    summary = ComplianceSummary
    return db.and_(
        # Never computed is NULL: coalesced, so that NOT(...) of it is true, not NULL.
        db.func.coalesce(summary.computed_generation, -1) == summary.generation,
        db.or_(summary.valid_until.is_(None), summary.valid_until > moment),
    )


def stale_staff(clinic_id: int, moment: datetime) -> list[Any]:
    """The sharing staff whose summary is missing or stale: id, name, email, time zone and
    the generation read (None where there is no row)."""
    summary = ComplianceSummary
    return list(
        db.session.execute(
            shared_staff(clinic_id)
            .outerjoin(summary, summary.user_id == User.id)
            .with_only_columns(User.id, User.name, User.email, User.timezone, summary.generation)
            .where(db.or_(summary.user_id.is_(None), db.not_(fresh_clause(moment))))
        ).all()
    )


def refresh_stale(clinic_id: int) -> bool:
    """Recompute and store the clinic's stale summaries, if any; whether there were (the
    caller commits them). SQLite's write lock is taken first, so a GET that refreshes waits
    for a writer instead of failing."""
    moment = now()
    stale = stale_staff(clinic_id, moment)
    if stale:
        refresh(stale, moment)
    return bool(stale)


def refresh(stale: Sequence[Any], moment: datetime) -> None:
    """Recompute these people (rows with id, name, email, timezone and the generation read)
    and store the results. Every row gets the values, so the request's own statements see
    them; a row counts as fresh only if nothing marked it since it was read:
    ``computed_generation`` is set to the generation read, and a row that appeared in the
    meantime (a write's mark) is left stale (``computed_generation`` NULL)."""
    begin_write()
    assessed = assess_staff(stale, moment)
    values = {user_id: summarise(row) for user_id, row in assessed.items()}
    # Executemany parameters may not share a column's name: "v_" marks the new values.
    updates = [  # in user id order: see freshness.mark_stale
        {"u": r.id, "g": r.generation, **{f"v_{k}": v for k, v in values[r.id].items()}}
        for r in sorted(stale, key=attrgetter("id"))
        if r.generation is not None
    ]
    inserts = [
        {"user_id": r.id, "generation": 0, "computed_generation": 0, **values[r.id]}
        for r in sorted(stale, key=attrgetter("id"))
        if r.generation is None
    ]
    for rows in (updates, inserts):
        for row in rows:
            row["v_computed_at" if "u" in row else "computed_at"] = moment
    if updates:
        db.session.execute(
            TABLE.update()
            .where(TABLE.c.user_id == bindparam("u"))
            .values(
                computed_generation=bindparam("g"),
                **{key: bindparam(f"v_{key}") for key in [*values[updates[0]["u"]], "computed_at"]},
            ),
            updates,
        )
    if inserts:
        statement = _insert()
        kept = {key: statement.excluded[key] for key in [*values[inserts[0]["user_id"]]]}
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"],
                set_={**kept, "computed_generation": None},
            ),
            inserts,
        )


def _insert() -> Any:
    """INSERT with ON CONFLICT, in the session's dialect (both speak it)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TABLE)
