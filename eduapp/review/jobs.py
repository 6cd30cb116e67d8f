"""The weekly review email as a periodic job. Run daily: a learner is mailed at most once in
seven days (``review_mailed_at`` is set with the queued row), however often it runs."""

from __future__ import annotations

from ..extensions import db
from ..jobs import periodic
from .mailing import send_weekly


@periodic(hour="13", minute="10")
def send_weekly_review() -> int:
    """Every day at 13:10 UTC; returns how many were queued."""
    queued = send_weekly()
    db.session.commit()
    return queued
