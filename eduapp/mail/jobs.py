"""Mail as jobs: one per queued row, enqueued after the commit that wrote it, plus a sweep.

The outgoing-mail table stays the truth. :func:`send_mail` sends a row only if its
conditional claim succeeds, so a row enqueued twice (the request and the sweep, two workers)
goes out once. :func:`sweep_mail` re-enqueues what is still waiting two minutes on (a broker
that was down at commit, a worker killed mid-send, a retry whose backoff has passed).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..jobs import job, jobs, periodic
from ..models import OutgoingMessage
from . import sender, transport

# A row's own job normally sends it within seconds; one still waiting after this is swept up.
STALE = timedelta(minutes=2)


@job()
def send_mail(message_id: int) -> str:
    """Claim, commit, deliver with no transaction open, then record (and, after a failure that
    may pass, enqueue itself again for when the backoff ends). Returns what happened: "sent",
    "retrying", "failed", or "not claimed" (sent already, or another worker has it)."""
    begin_write()
    row = sender.claim(message_id)
    if row is None:
        db.session.rollback()
        return "not claimed"
    message = transport.compose(row.recipient, row.subject, row.body)
    db.session.commit()
    try:
        transport.deliver(message, message_id)
    except transport.DeliveryError as error:
        begin_write()
        row = db.session.get_one(OutgoingMessage, message_id)
        gave_up = sender.record_failure(row, str(error), error.permanent)
        db.session.commit()
        current_app.logger.warning("mail %d to %s: %s", message_id, row.recipient, error)
        if gave_up:
            return "failed"
        jobs().enqueue_at(row.next_try_at, "send_mail", message_id)
        return "retrying"
    begin_write()
    sender.record_sent(db.session.get_one(OutgoingMessage, message_id))
    db.session.commit()
    return "sent"


@periodic(minute="*")
def sweep_mail() -> int:
    """Every minute: enqueue rows still due two minutes after they were written, and empty
    old bodies. Returns how many were enqueued."""
    ids = sender.due_ids(written_before=now() - STALE, limit=1000)
    db.session.rollback()
    queue = jobs()
    for message_id in ids:
        queue.enqueue("send_mail", message_id)
    begin_write()
    sender.clear_old_bodies()
    db.session.commit()
    return len(ids)
