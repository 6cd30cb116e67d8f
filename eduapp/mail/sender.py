"""The sender's rules: which rows are due, claiming one, and recording how it went.

Typed functions that never commit; :mod:`.jobs` commits between them so that no transaction
is open while a message is on its way. A claim is a conditional UPDATE, so two workers
running at once (a job enqueued twice, two servers) never send one row twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, true

from ..clock import now
from ..extensions import db
from ..models import MailStatus, OutgoingMessage

MAX_ATTEMPTS = 8  # 1+2+4+...+64 minutes: about two hours of a relay being down, then give up
FIRST_RETRY = timedelta(minutes=1)
# A row stays "sending" for at most this long: a sender that died mid-send (killed, machine
# lost) leaves it to be picked up again. Far longer than the SMTP timeout, so a live sender
# always finishes first; the cost of a crash is at worst one duplicate, never a lost message.
SEND_LEASE = timedelta(minutes=10)
KEEP_BODIES = timedelta(days=7)

_CLAIMABLE = or_(
    OutgoingMessage.status == MailStatus.PENDING.value,
    OutgoingMessage.status == MailStatus.SENDING.value,
)


def due_ids(written_before: datetime | None = None, limit: int = 100) -> list[int]:
    """Rows a sender may try now (written before ``written_before``, if given), oldest first."""
    written = OutgoingMessage.created_at <= written_before if written_before else true()
    return list(
        db.session.execute(
            db.select(OutgoingMessage.id)
            .where(_CLAIMABLE, OutgoingMessage.next_try_at <= now(), written)
            .order_by(OutgoingMessage.next_try_at, OutgoingMessage.id)
            .limit(limit)
        ).scalars()
    )


def claim(message_id: int) -> OutgoingMessage | None:
    """Take the row for this sender, or None if another sender has it (or it is not due).

    The WHERE repeats the due test, so of two senders racing for one row exactly one
    updates it; the winner's lease (``next_try_at`` moved ahead) keeps the row its own.
    """
    moment = now()
    claimed = db.session.execute(
        db.update(OutgoingMessage)
        .where(OutgoingMessage.id == message_id, _CLAIMABLE, OutgoingMessage.next_try_at <= moment)
        .values(
            status=MailStatus.SENDING.value,
            attempts=OutgoingMessage.attempts + 1,
            next_try_at=moment + SEND_LEASE,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    return db.session.get(OutgoingMessage, message_id, populate_existing=True)


def record_sent(message: OutgoingMessage) -> None:
    message.status = MailStatus.SENT.value
    message.sent_at = now()
    message.last_error = None


def record_failure(message: OutgoingMessage, error: str, permanent: bool = False) -> bool:
    """Keep the error; retry later with exponential backoff, or give up. True if given up."""
    message.last_error = error[:1000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = MailStatus.FAILED.value
        return True
    message.status = MailStatus.PENDING.value
    message.next_try_at = now() + backoff(message.attempts)
    return False


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, ... minutes."""
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def clear_old_bodies() -> int:
    """Empty the text of messages finished more than a week ago; returns how many.

    Reset and invitation links are credentials, and a database copy should not hold them
    longer than anyone needs to check what was sent. Failed messages are cleared too (a week
    after they were written): their links have long expired.
    """
    cutoff = now() - KEEP_BODIES
    result = db.session.execute(
        db.update(OutgoingMessage)
        .where(
            OutgoingMessage.body != "",
            or_(
                and_(
                    OutgoingMessage.status == MailStatus.SENT.value,
                    OutgoingMessage.sent_at < cutoff,
                ),
                and_(
                    OutgoingMessage.status == MailStatus.FAILED.value,
                    OutgoingMessage.created_at < cutoff,
                ),
            ),
        )
        .values(body="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
