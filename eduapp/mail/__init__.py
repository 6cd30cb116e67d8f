"""Outgoing mail: queued in the caller's transaction, delivered after commit.

:func:`queue` only adds an :class:`~eduapp.models.OutgoingMessage` row; the caller's single
commit makes the change and its mail real together, and a rollback drops both; the commit
then enqueues the row's job (:mod:`.jobs`), which delivers it by SMTP, or, with no
``EDUAPP_SMTP_HOST``, as ``.eml`` files in the outbox folder (:func:`outbox_dir`), which is
how development and tests read what the app sent.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..clock import now
from ..extensions import db
from ..jobs import after_commit
from ..models import OutgoingMessage


def outbox_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "outbox"


def queue(to: str, subject: str, body: str) -> OutgoingMessage:
    """Record a message to send once the current transaction commits (never sends now)."""
    moment = now()
    message = OutgoingMessage(
        recipient=to, subject=subject, body=body, created_at=moment, next_try_at=moment
    )
    db.session.add(message)
    after_commit("send_mail", message)
    return message
