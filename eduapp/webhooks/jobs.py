"""Deliveries as jobs: one per delivery row, enqueued after the commit that wrote it.

Each try is claimed with a conditional UPDATE (``attempts`` as read), so two runs of the same
job never send the same try twice. A failed try is retried after 1, 2, 4, 8 minutes (five tries
in all); the last failure is written to the row (the clinic's log) and raised, so the run lands
among the failed jobs admins see, where "retry" gives it one more try. Nothing is held open
in the database while the receiver answers.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..jobs import job, jobs, periodic
from ..models import WebhookDelivery, WebhookEndpoint
from . import guard, sealing, services, signing

TRIES = 5
FIRST_DELAY = timedelta(minutes=1)
STALE = timedelta(minutes=2)
ERROR_MAX = 1000


class DeliveryFailed(RuntimeError):
    """The last try failed; raised so that the queue records the job as failed."""


def backoff(tries_made: int) -> timedelta:
    """The wait before the next try: doubling from a minute."""
    return FIRST_DELAY * (2 ** (tries_made - 1))


def body_of(delivery: WebhookDelivery) -> bytes:
    document = {"delivery_id": delivery.id, **delivery.payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class Outgoing:
    """What one try sends, read before the claim so that nothing is loaded while sending."""

    url: str
    event: str
    delivery_id: int
    body: bytes
    secrets: list[str] | None
    seal_error: str | None


def _outgoing(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> Outgoing:
    try:
        secrets, seal_error = services.signing_secrets(endpoint), None
    except sealing.SealError as error:
        secrets, seal_error = None, str(error)
    return Outgoing(
        endpoint.url, delivery.event, delivery.id, body_of(delivery), secrets, seal_error
    )


def _attempt(out: Outgoing) -> tuple[int | None, str | None]:
    """Send once: (the receiver's status, None) on a 2xx, else (status or None, the error)."""
    if out.secrets is None:
        return None, f"refused: {out.seal_error}"
    stamp = int(now().timestamp())
    try:
        answer = guard.post(
            out.url,
            out.body,
            {
                "Content-Type": "application/json",
                "User-Agent": "eduapp-webhooks",
                signing.HEADER: signing.header(out.secrets, stamp, out.body),
                "Eduapp-Event": out.event,
                "Eduapp-Delivery": str(out.delivery_id),
            },
        )
    except guard.Refused as error:
        return None, f"refused: {error}"
    except (OSError, http.client.HTTPException) as error:  # DNS, connection, TLS, timeout
        return None, f"{type(error).__name__}: {error}"
    if 300 <= answer.status < 400:
        return answer.status, "the receiver answered with a redirect, which is never followed"
    if not 200 <= answer.status < 300:
        return answer.status, f"the receiver answered {answer.status}: {answer.body[:200]}"
    return answer.status, None


@job()
def deliver_webhook(delivery_id: int) -> str:
    """Returns "sent", "retrying", "gone" (deleted, sent or cancelled already), "paused" (its
    endpoint is) or "not claimed"; raises DeliveryFailed after the last try."""
    row = db.session.execute(
        db.select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id == delivery_id)
    ).one_or_none()
    if row is None or row[0].status in ("sent", services.CANCELLED):
        db.session.rollback()
        return "gone"
    delivery, endpoint = row
    if not endpoint.active:  # paused since it was written (or an admin's retry came after)
        db.session.rollback()
        begin_write()
        db.session.execute(
            db.update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status != "sent")
            .values(status=services.CANCELLED, error=services.PAUSED_NOTE, finished_at=now())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return "paused"
    seen = delivery.attempts
    out = _outgoing(delivery, endpoint)
    begin_write()
    claimed = db.session.execute(
        db.update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.attempts == seen,
            WebhookDelivery.status.in_(("pending", "failed")),  # failed: an admin's retry
        )
        .values(attempts=seen + 1, last_attempt_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return "not claimed"
    status, error = _attempt(out)
    begin_write()
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        db.session.commit()
        return "gone"
    delivery.response_status = status
    delivery.error = error[:ERROR_MAX] if error else None
    tries = seen + 1
    if error is None:
        delivery.status = "sent"
        delivery.finished_at = now()
        db.session.commit()
        return "sent"
    if delivery.status == services.CANCELLED:  # paused while this try was under way
        db.session.commit()
        return "paused"
    if delivery.status == "pending" and tries < TRIES:
        db.session.commit()
        jobs().enqueue_at(now() + backoff(tries), "deliver_webhook", delivery_id)
        return "retrying"
    delivery.status = "failed"
    delivery.finished_at = now()
    db.session.commit()
    current_app.logger.warning("webhook delivery %d failed: %s", delivery_id, error)
    raise DeliveryFailed(f"webhook delivery {delivery_id} failed after {tries} tries: {error}")


@periodic(minute="*")
def sweep_webhooks() -> int:
    """Every minute: enqueue deliveries never tried two minutes after they were written (the
    broker was down at commit). A retry already scheduled is the queue's to keep."""
    ids = list(
        db.session.execute(
            db.select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.attempts == 0,
                WebhookDelivery.created_at <= now() - STALE,
            )
            .limit(1000)
        ).scalars()
    )
    db.session.rollback()
    for delivery_id in ids:
        jobs().enqueue("deliver_webhook", delivery_id)
    return len(ids)


@periodic(hour="3", minute="30")
def prune_webhook_deliveries() -> int:
    """Daily: forget deliveries older than WEBHOOK_LOG_DAYS (the log is bounded)."""
    cutoff = now() - timedelta(days=current_app.config["WEBHOOK_LOG_DAYS"])
    begin_write()
    done = db.session.execute(
        db.delete(WebhookDelivery)
        .where(WebhookDelivery.created_at < cutoff, WebhookDelivery.status != "pending")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return done.rowcount
