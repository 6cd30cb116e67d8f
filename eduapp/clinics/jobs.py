"""The daily reminders as a periodic job of the queue's scheduler (no cron line needed).

Each reminder is logged per person, reason and local date in the transaction that queues its
mail, so the job may run twice (two workers' schedulers, a retry, ``flask ce remind`` by hand
the same day) and sends nothing twice.
"""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..jobs import periodic
from .reminders import Skipped, remind


class RemindersSkipped(RuntimeError):
    """Some clinics' reminders could not be worked out; the rest went. Raised so that the run
    lands among the failed jobs an admin sees."""


@periodic(hour="13", minute="0")
def send_reminders() -> int:
    """Every day at 13:00 UTC (morning in the Americas, afternoon in Europe): staff and
    managers' reminders. Returns how many were queued."""
    count, skipped = 0, []
    for sent in remind():
        if isinstance(sent, Skipped):
            skipped.append(f"clinic {sent.clinic_id} ({sent.clinic_name}): {sent.error}")
            continue
        db.session.commit()  # the log row and the queued mail, together
        count += 1
    db.session.commit()
    current_app.logger.info("%d reminders queued", count)
    if skipped:
        raise RemindersSkipped("; ".join(skipped))
    return count
