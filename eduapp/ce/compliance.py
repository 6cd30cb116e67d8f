"""Compliance of one licence on one date: pure, from the rule pack and the learner's credits.

Dates are the learner's local dates (a certificate's completion date is already one). The
cycle ends on the licence's renewal date and starts the day after the same date ``months``
earlier; only credits completed inside it count (no carry-over), only from the pack's
approving bodies, and each maximum caps what its category adds to the total.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..bounds import DATE_MAX, DATE_MIN, date_in_range
from .rulefile import Cycle, RuleVersion

AT_RISK_DAYS = 90
COMPLETE, OVERDUE, AT_RISK, ON_TRACK = "complete", "overdue", "at risk", "on track"
# A stored licence whose data cannot be assessed (a renewal date in year 1, say): shown as a
# row to correct, never an error that takes the page, export or reminder run down.
NEEDS_CORRECTION = "needs correction"
MAX_CREDIT_HOURS = Decimal(1000)


@dataclass(frozen=True)
class Credit:
    """Hours earned: one of our certificates, or CE the learner recorded from elsewhere."""

    completed_on: date
    hours: Decimal
    topics: frozenset[str]
    delivery: str  # live, live-online or home-study
    bodies: frozenset[str]  # who approved it
    title: str = ""
    source: str = ""  # "certificate" or "external"


@dataclass
class CategoryStatus:
    id: str
    label: str
    counted: Decimal
    min: Decimal | None
    max: Decimal | None

    @property
    def missing(self) -> Decimal:
        return max(Decimal(0), self.min - self.counted) if self.min is not None else Decimal(0)


@dataclass
class Compliance:
    start: date
    end: date
    effective_from: date
    total_required: Decimal
    total_counted: Decimal
    categories: list[CategoryStatus]
    status: str
    counted: list[tuple[Credit, Decimal]] = field(default_factory=list)  # credit, hours counted
    not_modelled: str = ""
    problem: str = ""  # why the licence could not be assessed (status NEEDS_CORRECTION)

    @property
    def total_missing(self) -> Decimal:
        return max(Decimal(0), self.total_required - self.total_counted)

    @property
    def missing(self) -> list[CategoryStatus]:
        return [c for c in self.categories if c.missing > 0]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept inside the month (31 Aug - 6 = 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def cycle_bounds(cycle: Cycle, renewal: date) -> tuple[date, date]:
    """First and last day of the cycle that ends on ``renewal``."""
    return add_months(renewal, -cycle.months) + timedelta(days=1), renewal


def fixed_renewal_on_or_after(cycle: Cycle, day: date) -> date:
    """For a fixed cycle (31 August of odd years), the first renewal date on or after ``day``."""
    assert cycle.month_day is not None
    month, dom = (int(part) for part in cycle.month_day.split("-"))
    year = day.year
    while True:
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(dom, last))
        parity_ok = cycle.years == "any" or (year % 2 == 1) == (cycle.years == "odd")
        if candidate >= day and parity_ok:
            return candidate
        year += 1


def is_renewal_day(cycle: Cycle, day: date) -> bool:
    return cycle.anchor == "licence" or fixed_renewal_on_or_after(cycle, day) == day


def version_for(versions: Sequence[tuple[date, RuleVersion]], end: date) -> RuleVersion:
    """The rules in force on the cycle's last day (renewal is judged by the rules then)."""
    ordered = sorted(versions, key=lambda pair: pair[0])
    current = ordered[0][1]
    for effective_from, version in ordered:
        if effective_from <= end:
            current = version
    return current


def _matches(credit: Credit, topic: str | None, delivery: Sequence[str] | None) -> bool:
    if topic is not None:
        return topic in credit.topics
    return credit.delivery in (delivery or ())


def usable(credit: Credit) -> bool:
    """Whether a stored credit can count: a sane date and a finite, plausible number of hours.

    Forms refuse anything else; this keeps a row written some other way from raising inside
    ``Decimal`` comparisons (a NaN) or date arithmetic.
    """
    return (
        credit.hours.is_finite()
        and Decimal(0) <= credit.hours <= MAX_CREDIT_HOURS
        and date_in_range(credit.completed_on)
    )


def needs_correction(version: RuleVersion, renewal: date | None, problem: str) -> Compliance:
    """What a licence that cannot be assessed shows: its problem, nothing counted."""
    day = renewal or DATE_MIN
    return Compliance(
        start=day,
        end=day,
        effective_from=version.effective_from,
        total_required=version.total_hours,
        total_counted=Decimal(0),
        categories=[
            CategoryStatus(r.id, r.label, Decimal(0), r.min, r.max) for r in version.requirements
        ],
        status=NEEDS_CORRECTION,
        not_modelled=version.not_modelled,
        problem=problem,
    )


def assess(
    version: RuleVersion,
    approving_bodies: Sequence[str],
    renewal: date | None,
    credits: Sequence[Credit],
    today: date,
) -> Compliance:
    """The licence's status on ``today``; never raises on odd stored data (see
    ``needs_correction``), because one bad row must not take a clinic's pages down."""
    if renewal is None or not date_in_range(renewal):
        shown = renewal.isoformat() if renewal else "missing"
        return needs_correction(
            version,
            renewal,
            f"The renewal date ({shown}) must be between {DATE_MIN.isoformat()} and "
            f"{DATE_MAX.isoformat()}: correct the licence.",
        )
    start, end = cycle_bounds(version.cycle, renewal)
    bodies = set(approving_bodies)
    eligible = sorted(
        (c for c in credits if usable(c) and start <= c.completed_on <= end and c.bodies & bodies),
        key=lambda c: (c.completed_on, c.title),
    )
    capped = [r for r in version.requirements if r.max is not None]
    room = {r.id: r.max for r in capped}
    counted: list[tuple[Credit, Decimal]] = []
    for credit in eligible:
        # Earliest first: a cap fills in the order the hours were earned.
        hours = credit.hours
        for requirement in capped:
            if _matches(credit, requirement.topic, requirement.delivery):
                hours = min(hours, room[requirement.id])
        for requirement in capped:
            if _matches(credit, requirement.topic, requirement.delivery):
                room[requirement.id] -= hours
        counted.append((credit, hours))
    categories = [
        CategoryStatus(
            r.id,
            r.label,
            sum(
                (h for c, h in counted if _matches(c, r.topic, r.delivery)),
                Decimal(0),
            ),
            r.min,
            r.max,
        )
        for r in version.requirements
    ]
    total = sum((h for _, h in counted), Decimal(0))
    met = total >= version.total_hours and all(c.missing == 0 for c in categories)
    if met:
        status = COMPLETE
    elif today > end:
        status = OVERDUE
    elif (end - today).days <= AT_RISK_DAYS:
        status = AT_RISK
    else:
        status = ON_TRACK
    return Compliance(
        start=start,
        end=end,
        effective_from=version.effective_from,
        total_required=version.total_hours,
        total_counted=total,
        categories=categories,
        status=status,
        counted=counted,
        not_modelled=version.not_modelled,
    )


def next_status_change(compliance: Compliance) -> date | None:
    """The first day on which this licence's status changes by the date alone, or None.

    Only "on track" (which becomes "at risk" ``AT_RISK_DAYS`` before renewal) and "at risk"
    (overdue the day after renewal) move with the calendar; complete, overdue and needs
    correction change only when a credit or the licence does. What is counted never depends
    on today: the cycle is fixed by the renewal date. Kept beside :func:`assess` so that the
    two cannot drift apart (tests check one against the other day by day).
    """
    try:
        if compliance.status == ON_TRACK:
            return compliance.end - timedelta(days=AT_RISK_DAYS)
        if compliance.status == AT_RISK:
            return compliance.end + timedelta(days=1)
    except OverflowError:  # pragma: no cover - renewal dates stop at DATE_MAX
        return None
    return None
