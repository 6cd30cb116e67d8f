"""The weekly review email, for learners who opted in and have cards due.

Queued through the outgoing-mail table like every other message (delivered after commit by
its mail job). ``review_mailed_at`` is set in the same transaction as the
queued row, and a learner mailed in the last seven days is skipped, so running the command
twice (two cron jobs, a retry) never sends a second mail that week.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from ..clock import now
from ..extensions import db
from ..mail import queue
from ..models import ReviewCard, User
from .nav import due_count_column

WEEK = timedelta(days=7)


def send_weekly() -> int:
    """Queue this week's email for each learner who wants it and has cards due; returns how
    many were queued. The caller commits."""
    moment = now()
    due = due_count_column().label("due")
    rows = db.session.execute(
        db.select(User, due)
        .where(
            User.review_weekly_mail.is_(True),
            User.deactivated_at.is_(None),
            db.or_(User.review_mailed_at.is_(None), User.review_mailed_at <= moment - WEEK),
            db.select(ReviewCard.id)
            .where(
                ReviewCard.user_id == User.id,
                ReviewCard.retired.is_(False),
                ReviewCard.due <= moment,
            )
            .exists(),
        )
        .order_by(User.id)
    ).all()
    link = current_app.config["BASE_URL"] + "/review"
    for user, count in rows:
        queue(
            user.email,
            f"{count} review card{'s' if count != 1 else ''} due",
            f"Hello {user.name},\n\n"
            f"{count} card{'s are' if count != 1 else ' is'} due for review. A session takes "
            f"a few minutes: {link}\n\n"
            "You get this email at most once a week because you asked for it; turn it off in "
            "your account's review settings.\n",
        )
        user.review_mailed_at = moment
    return len(rows)
