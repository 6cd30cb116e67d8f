"""The review session: what is due, the next card, a rating, and the figures My learning
shows. Typed functions that never commit; the views commit once."""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fsrs import Rating
from markupsafe import Markup
from sqlalchemy import bindparam, case, func

from ..clock import now
from ..database import begin_write, read_rows
from ..extensions import db
from ..models import Course, Module, ReviewCard, ReviewLog, User
from .calendar import DAYS, drawn
from .cards import collect_missed
from .follow import follow_versions
from .scheduler import rate

SESSION_SIZE = 20


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


def figures(user: User, days: int = 30) -> tuple[int, int, int, int]:
    """Cards in the deck, cards due now, and reviews recalled (Hard, Good or Easy) of all
    reviews over the last ``days``: My learning shows all four, read in one statement."""
    at = now()
    params = {"user_id": user.id, "at": at, "since": at - timedelta(days=days)}
    deck, due, recalled, reviews = read_rows(_figures(), params).one()
    return int(deck), int(due), int(recalled), int(reviews)


@functools.cache
def _figures() -> Any:
    """Built once, as the other statements My learning runs for every learner."""
    due = case((ReviewCard.due <= bindparam("at"), 1), else_=0)
    logs = (
        db.select(func.count())
        .select_from(ReviewLog)
        .where(
            ReviewLog.user_id == bindparam("user_id"), ReviewLog.reviewed_at >= bindparam("since")
        )
    )
    return (
        db.select(
            func.count(),
            func.coalesce(func.sum(due), 0),
            logs.where(ReviewLog.rating != Rating.Again.value).scalar_subquery(),
            logs.scalar_subquery(),
        )
        .select_from(ReviewCard)
        .where(ReviewCard.user_id == bindparam("user_id"), ReviewCard.retired.is_(False))
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


def upcoming(user: User, days: int) -> list[tuple[date, int]]:
    """Cards due on each of the next ``days`` local days (overdue ones count today).

    Each card falls between two local midnights, found by bisection on timestamps: one
    time-zone conversion per day, not per card."""
    zone = ZoneInfo(user.timezone)
    today = now().astimezone(zone).date()
    dates = [today + timedelta(days=i) for i in range(days + 1)]
    ends = [datetime.combine(day, datetime.min.time(), zone).timestamp() for day in dates[1:]]
    counts = [0] * days
    params = {"user_id": user.id, "end": datetime.fromtimestamp(ends[-1], UTC)}
    for due in read_rows(_dues_before(), params).scalars().all():
        counts[bisect_right(ends, due.timestamp())] += 1
    return list(zip(dates, counts, strict=False))


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
    """What My learning shows of the learner's reviews; None for an empty deck."""
    deck, due, recalled, reviews = figures(user)
    if not deck:
        return None
    days = upcoming(user, DAYS)
    return ReviewSummary(due, deck, recalled, reviews, tuple(days))
