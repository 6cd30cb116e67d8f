"""The review session: what is due, the next card, a rating, and the figures My learning
shows. Typed functions that never commit; the views commit once."""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from fsrs import Rating
from markupsafe import Markup
from sqlalchemy import and_, bindparam, func, literal
from sqlalchemy.orm import aliased

from ..clock import now
from ..database import begin_write, read_rows
from ..extensions import db
from ..models import Course, Module, ReviewCard, ReviewLog, User
from .calendar import DAYS, drawn
from .cards import collect_missed
from .follow import follow_versions
from .scheduler import rate

SESSION_SIZE = 20
DAYS_KEPT = 256  # (zone, day) calendars kept per process: a day's worth of zones, and more


class CardNotFound(Exception):
    """Not this learner's active card (the view's 404)."""


class NotDue(Exception):
    """Rated already: the card is not due any more (a second click, the back button)."""


def bring_up_to_date(user: User) -> None:
    """Cards for misses the policy has since released, and cards moved to the learner's
    current versions: run before a page counts or shows cards."""
    collect_missed(user)
    follow_versions(user)


def _active(user: User) -> list:  # type: ignore[type-arg]
    return [ReviewCard.user_id == user.id, ReviewCard.retired.is_(False)]


def due_count(user: User, at: datetime | None = None) -> int:
    """One COUNT on the (user, retired, due) index: cheap enough for every page's navigation."""
    return db.session.execute(
        db.select(func.count())
        .select_from(ReviewCard)
        .where(*_active(user), ReviewCard.due <= (at or now()))
    ).scalar_one()


def deck_size(user: User) -> int:
    return db.session.execute(
        db.select(func.count()).select_from(ReviewCard).where(*_active(user))
    ).scalar_one()


RETENTION_DAYS = 30  # the window My learning's retention figure covers


@functools.cache
def _summary() -> Any:
    """Built once: the deck, cards due now, and reviews recalled (Hard, Good or Easy) of all
    reviews since ``since``, with the due time of each card due before ``end``, one card a
    row (a single row with no due time when none is). My learning shows all of it, and one
    statement costs less than two: running a statement through SQLAlchemy costs more than
    SQLite's work here. The four figures are uncorrelated subqueries, computed once."""
    active = (ReviewCard.user_id == bindparam("user_id"), ReviewCard.retired.is_(False))
    logs = (
        db.select(func.count())
        .select_from(ReviewLog)
        .where(
            ReviewLog.user_id == bindparam("user_id"), ReviewLog.reviewed_at >= bindparam("since")
        )
    )
    count = db.select(func.count()).select_from(ReviewCard).where(*active)
    coming = aliased(ReviewCard)
    one_row = db.select(literal(1).label("one")).subquery()
    return (
        db.select(
            count.scalar_subquery(),
            count.where(ReviewCard.due <= bindparam("at")).scalar_subquery(),
            logs.where(ReviewLog.rating != Rating.Again.value).scalar_subquery(),
            logs.scalar_subquery(),
            coming.due,
        )
        .select_from(one_row)
        .outerjoin(
            coming,
            and_(
                coming.user_id == bindparam("user_id"),
                coming.retired.is_(False),
                coming.due < bindparam("end"),
            ),
        )
        .order_by(coming.due)
    )


def next_due(user: User) -> ReviewCard | None:
    return db.session.execute(
        db.select(ReviewCard)
        .where(*_active(user), ReviewCard.due <= now())
        .order_by(ReviewCard.due, ReviewCard.id)
        .limit(1)
    ).scalar_one_or_none()


def own_card(user: User, card_id: int) -> ReviewCard:
    card = db.session.get(ReviewCard, card_id)
    if card is None or card.user_id != user.id or card.retired:
        raise CardNotFound(str(card_id))
    return card


def card_place(card: ReviewCard) -> tuple[Course, Module | None]:
    """The course and module a card links back to (the module of the version it shows)."""
    course = db.session.get_one(Course, card.course_id)
    module = db.session.get(Module, card.module_id) if card.module_id else None
    return course, module


def rate_card(user: User, card_id: int, rating: Rating) -> ReviewLog:
    """Schedule the card by the learner's rating and log it. Touches no attempt, grade,
    completion or item total: a review is its own record. The conditional UPDATE keeps a
    double click from rating one due card twice."""
    begin_write()
    card = own_card(user, card_id)
    at = now()
    if card.due > at:
        raise NotDue(str(card_id))
    after, log = rate(card, rating, user.review_retention, at)
    claimed = db.session.execute(
        db.update(ReviewCard)
        .where(ReviewCard.id == card.id, ReviewCard.due == card.due)
        .values(**after)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise NotDue(str(card_id))
    db.session.add(log)
    db.session.flush()
    db.session.refresh(card)
    return log


@functools.cache
def _dues_before() -> Any:
    return db.select(ReviewCard.due).where(
        ReviewCard.user_id == bindparam("user_id"),
        ReviewCard.retired.is_(False),
        ReviewCard.due < bindparam("end"),
    )


def _local_days(zone_name: str, at: datetime, days: int) -> LocalDays:
    """The next ``days`` local days from ``at`` (:func:`_days_from`)."""
    zone = ZoneInfo(zone_name)
    return _days_from(zone, at.astimezone(zone).date(), days)


class LocalDays(NamedTuple):
    dates: tuple[date, ...]
    ends: tuple[float, ...]  # the instant (a timestamp) each day ends
    end: datetime  # the last one, as a UTC time


@functools.lru_cache(maxsize=DAYS_KEPT)
def _days_from(zone: ZoneInfo, today: date, days: int) -> LocalDays:
    """Kept by zone and date: 35 local midnights cost My learning more than reading the
    learner's cards did, and they follow from the zone and the day alone (nobody's data)."""
    dates = tuple(today + timedelta(days=i) for i in range(days + 1))
    ends = tuple(datetime.combine(day, datetime.min.time(), zone).timestamp() for day in dates[1:])
    return LocalDays(dates[:days], ends, datetime.fromtimestamp(ends[-1], UTC))


def _per_day(shown: LocalDays, dues: Iterable[datetime]) -> list[tuple[date, int]]:
    """Each card falls between two local midnights, found by bisection on timestamps: one
    time-zone conversion per day, not per card. Overdue cards count today."""
    counts = [0] * len(shown.dates)
    ends = shown.ends
    for due in dues:
        counts[bisect_right(ends, due.timestamp())] += 1
    return list(zip(shown.dates, counts, strict=True))


def upcoming(user: User, days: int) -> list[tuple[date, int]]:
    """Cards due on each of the next ``days`` local days (overdue ones count today)."""
    shown = _local_days(user.timezone, now(), days)
    params = {"user_id": user.id, "end": shown.end}
    return _per_day(shown, read_rows(_dues_before(), params).scalars())


def set_preferences(user: User, retention_value: float, weekly_mail: bool) -> None:
    user.review_retention = retention_value
    user.review_weekly_mail = weekly_mail


@dataclass
class ReviewSummary:
    due: int
    deck: int
    recalled: int
    reviews: int
    days: tuple[tuple[date, int], ...]  # the next five weeks: each local day and cards due

    @property
    def chart_svg(self) -> Markup:
        return drawn(self.days)[0]

    @property
    def table_html(self) -> Markup:
        return drawn(self.days)[1]


def summary(user: User) -> ReviewSummary | None:
    """What My learning shows of the learner's reviews (the calendar's days as
    :func:`upcoming` counts them), in one statement; None for an empty deck."""
    at = now()
    shown = _local_days(user.timezone, at, DAYS)
    params = {
        "user_id": user.id,
        "at": at,
        "since": at - timedelta(days=RETENTION_DAYS),
        "end": shown.end,
    }
    rows = read_rows(_summary(), params).all()
    deck, due, recalled, reviews, _ = rows[0]
    if not deck:
        return None
    days = _per_day(shown, (row[4] for row in rows if row[4] is not None))
    return ReviewSummary(int(due), int(deck), int(recalled), int(reviews), tuple(days))
