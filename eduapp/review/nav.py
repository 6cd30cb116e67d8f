"""The number of cards due, for the navigation of every signed-in page.

Selected with the user by the user loader as a correlated COUNT on the (user, retired, due)
index, the way the clinics' entry is: the navigation then costs no query of its own.
Anonymous visitors have no user to load, so they pay nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

from ..clock import now
from ..extensions import db
from ..models import ReviewCard, User
from .services import due_count


def due_count_column(at: Any = None) -> ColumnElement[int]:
    """Cards due at ``at`` (now, or a bound parameter of a statement built once)."""
    return (
        db.select(func.count(ReviewCard.id))
        .where(
            ReviewCard.user_id == User.id,
            ReviewCard.retired.is_(False),
            ReviewCard.due <= (now() if at is None else at),
        )
        .correlate(User)
        .scalar_subquery()
    )


def remember_due(user: User, count: int | None) -> None:
    user.__dict__["_review_due"] = int(count or 0)


def review_due(user: User) -> int:
    """Cards due now; one COUNT at most per request, none when the loader selected it."""
    cached = user.__dict__.get("_review_due")
    if cached is None:
        cached = due_count(user)
        user.__dict__["_review_due"] = cached
    return int(cached)
