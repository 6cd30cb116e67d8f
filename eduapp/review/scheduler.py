"""The FSRS scheduler (the ``fsrs`` package, default parameters), between our rows and its
``Card``. Only the desired retention is the learner's own; everything else is the package's
default, and each review logs the package's version so parameters can be fitted later."""

from __future__ import annotations

from datetime import datetime
from importlib.metadata import version
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from ..models import ReviewCard, ReviewLog

FSRS_VERSION = version("fsrs")
RETENTION_MIN, RETENTION_MAX, RETENTION_DEFAULT = 0.8, 0.95, 0.9
RATINGS = {r.name.lower(): r for r in Rating}  # again, hard, good, easy


def new_schedule(due: datetime) -> dict[str, Any]:
    """A card never reviewed, first due at ``due``: the columns of a fresh ``fsrs.Card``."""
    return {
        "due": due,
        "state": State.Learning.value,
        "step": 0,
        "stability": None,
        "difficulty": None,
        "last_review": None,
    }


def card_of(row: ReviewCard) -> Card:
    return Card(
        card_id=row.id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


def _state(values: dict[str, Any]) -> dict[str, Any]:
    """A schedule as JSON for the log."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def schedule_of(row: ReviewCard) -> dict[str, Any]:
    return {
        "due": row.due,
        "state": row.state,
        "step": row.step,
        "stability": row.stability,
        "difficulty": row.difficulty,
        "last_review": row.last_review,
    }


def clamp_retention(value: float) -> float:
    return min(RETENTION_MAX, max(RETENTION_MIN, value))


def rate(
    row: ReviewCard, rating: Rating, retention: float, at: datetime
) -> tuple[dict[str, Any], ReviewLog]:
    """The card's next schedule after one rating, and its log row (not yet added). The row
    itself is left as it is, so the caller can write the new schedule conditionally."""
    scheduler = Scheduler(desired_retention=clamp_retention(retention))
    card, _ = scheduler.review_card(card_of(row), rating, review_datetime=at)
    after = {
        "due": card.due,
        "state": card.state.value,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "last_review": card.last_review,
    }
    log = ReviewLog(
        card_id=row.id,
        user_id=row.user_id,
        rating=rating.value,
        reviewed_at=at,
        fsrs_version=FSRS_VERSION,
        desired_retention=clamp_retention(retention),
        before=_state(schedule_of(row)),
        after=_state(after),
    )
    return after, log
