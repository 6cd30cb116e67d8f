"""Outgoing mail, written in the transaction that causes it and sent after commit.

A request never talks to a mail server: it adds a row here, and a job enqueued after commit
(:mod:`eduapp.mail.jobs`) delivers it. A rolled-back change therefore mails nothing, and a
slow relay holds up no one's request or database lock.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMessage(db.Model):
    """One message to one person. ``next_try_at`` is when a sender may next pick it up: the
    backoff after a failure, or the end of a claim's lease while it is ``sending``."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (Index("ix_outgoing_messages_status_next_try", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(400))
    # Emptied a week after sending: reset and invitation links are credentials.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<OutgoingMessage {self.id} {self.status} to {self.recipient}>"
