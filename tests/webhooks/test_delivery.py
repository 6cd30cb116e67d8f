"""Deliveries: signed (checked here by recomputing the HMAC), sent by the queue to a real
HTTPS receiver at the vetted address, never following a redirect, retried with backoff and,
after the last try, logged as failed and listed among the failed jobs."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import FailedJob, WebhookDelivery, WebhookEndpoint
from eduapp.webhooks import jobs as webhook_jobs
from eduapp.webhooks import services, signing
from tests.conftest import forget_jobs, run_jobs
from tests.webhooks.conftest import NAME, Receiver, World


def hmac_hex(secret: str, header: str, body: bytes) -> list[str]:
    """Independently of eduapp.webhooks.signing: what each secret's v1 must be."""
    stamp = dict(p.split("=", 1) for p in header.split(",") if p.startswith("t="))["t"]
    return hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()


def v1s(header: str) -> list[str]:
    return [p.removeprefix("v1=") for p in header.split(",") if p.startswith("v1=")]


def register(world: World, url: str, events: list[str] | None = None) -> tuple[int, str]:
    made = services.register(world.clinic, url, events or list(services.EVENTS), world.manager)
    db.session.commit()
    return made.endpoint.id, made.secret


def deliveries() -> list[WebhookDelivery]:
    db.session.rollback()
    query = db.select(WebhookDelivery).order_by(WebhookDelivery.id)
    return list(db.session.execute(query).scalars())


def test_a_signed_delivery_reaches_a_real_https_receiver(
    app: Flask, world: World, receiver: Receiver
) -> None:
    _endpoint_id, secret = register(world, receiver.url)
    services.course_completed(world.staff.id, 42)
    db.session.commit()
    assert run_jobs() == [("deliver_webhook", "sent")]

    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/eduapp"
    assert headers["Host"] == f"{NAME}:{receiver.port}"  # the name, sent to the vetted address
    assert receiver.lookups == [NAME]  # resolved once, by the guard
    assert headers["Eduapp-Event"] == "course.completed"
    assert v1s(headers["Eduapp-Signature"]) == [hmac_hex(secret, headers["Eduapp-Signature"], body)]
    document = json.loads(body)
    assert document["event"] == "course.completed"
    assert document["data"] == {"user_id": world.staff.id, "course_id": 42, "status": "completed"}
    assert "occurred_at" in document and document["delivery_id"] == int(headers["Eduapp-Delivery"])
    assert "sam@example.org" not in body.decode() and "Sam" not in body.decode()  # ids only

    (row,) = deliveries()
    assert (row.status, row.attempts, row.response_status, row.error) == ("sent", 1, 200, None)
    assert row.finished_at is not None


def test_during_a_rotation_both_secrets_sign_for_24_hours(
    app: Flask, world: World, receiver: Receiver, clock
) -> None:
    endpoint_id, old = register(world, receiver.url)
    endpoint = db.session.get_one(WebhookEndpoint, endpoint_id)
    new = services.rotate(endpoint)
    db.session.commit()
    assert new != old
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    run_jobs()
    headers, body = receiver.requests[0]["headers"], receiver.requests[0]["body"]
    signature = headers["Eduapp-Signature"]
    assert v1s(signature) == [hmac_hex(new, signature, body), hmac_hex(old, signature, body)]
    assert signing.verify(signature, old, body) and signing.verify(signature, new, body)

    clock.shift(timedelta(hours=24, seconds=1))
    services.course_completed(world.staff.id, 2)
    db.session.commit()
    run_jobs()
    headers, body = receiver.requests[1]["headers"], receiver.requests[1]["body"]
    signature = headers["Eduapp-Signature"]
    assert v1s(signature) == [hmac_hex(new, signature, body)]
    assert not signing.verify(signature, old, body)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    app: Flask, world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver.answer[:] = [302]
    receiver.headers["Location"] = "https://127.0.0.1/elsewhere"
    monkeypatch.setattr(webhook_jobs, "TRIES", 1)
    register(world, receiver.url)
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    run_jobs()
    assert len(receiver.requests) == 1  # nothing went to the Location
    (row,) = deliveries()
    assert (row.status, row.response_status) == ("failed", 302)
    assert "redirect" in row.error


def test_failures_are_retried_with_backoff_then_logged_and_listed_as_failed_jobs(
    app: Flask, world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver.answer[:] = [500]
    waits: list[int] = []

    def no_wait(tries: int) -> timedelta:
        waits.append(tries)
        return timedelta(0)

    monkeypatch.setattr(webhook_jobs, "backoff", no_wait)
    register(world, receiver.url)
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    results = run_jobs()
    assert [r for _n, r in results] == ["retrying"] * 4 + [None]  # the last raised
    assert waits == [1, 2, 3, 4] and len(receiver.requests) == 5
    (row,) = deliveries()
    assert (row.status, row.attempts, row.response_status) == ("failed", 5, 500)
    assert "answered 500" in row.error
    (failed,) = db.session.execute(db.select(FailedJob)).scalars()
    assert (failed.name, failed.args) == ("deliver_webhook", [row.id])
    assert "failed after 5 tries" in failed.error

    receiver.answer[:] = [200]  # an admin's retry gives it one more try
    db.session.rollback()
    jobs().enqueue("deliver_webhook", row.id)
    assert run_jobs() == [("deliver_webhook", "sent")]
    assert deliveries()[0].status == "sent"


def test_backoff_doubles_from_a_minute() -> None:
    assert [webhook_jobs.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8)
    ]


def test_an_unreadable_secret_fails_the_delivery_with_a_reason(
    app: Flask, world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_jobs, "TRIES", 1)
    register(world, receiver.url)
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
    run_jobs()
    (row,) = deliveries()
    assert row.status == "failed" and "rotate it" in row.error
    assert receiver.requests == []


def test_the_sweep_sends_what_the_broker_missed_and_the_log_is_pruned(
    app: Flask, world: World, receiver: Receiver, clock
) -> None:
    register(world, receiver.url)
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    forget_jobs(app)  # as if the broker had been down at commit
    assert webhook_jobs.sweep_webhooks() == 0  # too fresh: its own job may still come
    clock.shift(timedelta(minutes=3))
    assert webhook_jobs.sweep_webhooks() == 1
    assert run_jobs() == [("deliver_webhook", "sent")]
    assert webhook_jobs.sweep_webhooks() == 0

    clock.shift(timedelta(days=app.config["WEBHOOK_LOG_DAYS"] - 1))
    assert webhook_jobs.prune_webhook_deliveries() == 0
    clock.shift(timedelta(days=2))
    assert webhook_jobs.prune_webhook_deliveries() == 1
    assert deliveries() == []


def test_a_paused_endpoint_gets_nothing_and_resuming_replays_nothing(
    app: Flask, world: World, receiver: Receiver
) -> None:
    endpoint_id, _secret = register(world, receiver.url)
    services.course_completed(world.staff.id, 1)  # written, its job queued, not yet run
    db.session.commit()
    endpoint = db.session.get_one(WebhookEndpoint, endpoint_id)
    assert services.set_active(endpoint, False) == 1
    db.session.commit()
    services.course_completed(world.staff.id, 2)  # while paused: no delivery at all
    db.session.commit()
    assert run_jobs() == [("deliver_webhook", "gone")]  # cancelled before its job ran
    assert receiver.requests == []
    (row,) = deliveries()
    assert (row.status, row.attempts, row.error) == ("cancelled", 0, services.PAUSED_NOTE)

    endpoint = db.session.get_one(WebhookEndpoint, endpoint_id)
    assert services.set_active(endpoint, True) == 0
    db.session.commit()
    assert run_jobs() == []  # nothing missed is sent
    services.course_completed(world.staff.id, 3)
    db.session.commit()
    assert run_jobs() == [("deliver_webhook", "sent")]
    assert [json.loads(r["body"])["data"]["course_id"] for r in receiver.requests] == [3]
    assert [d.status for d in deliveries()] == ["cancelled", "sent"]


def test_a_retry_or_an_admins_retry_after_pausing_sends_nothing(
    app: Flask, world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delivery failed or waiting for a retry when its endpoint is paused is cancelled by
    its job, even one the pause did not catch (written as failed, then an admin's retry)."""
    receiver.answer[:] = [500]
    monkeypatch.setattr(webhook_jobs, "TRIES", 1)
    endpoint_id, _secret = register(world, receiver.url)
    services.course_completed(world.staff.id, 1)
    db.session.commit()
    run_jobs()
    (row,) = deliveries()
    assert row.status == "failed"
    endpoint = db.session.get_one(WebhookEndpoint, endpoint_id)
    assert services.set_active(endpoint, False) == 0  # nothing pending
    db.session.commit()
    jobs().enqueue("deliver_webhook", row.id)  # the admin's retry from the failed jobs
    assert run_jobs() == [("deliver_webhook", "paused")]
    assert len(receiver.requests) == 1  # the first try only
    assert deliveries()[0].status == "cancelled"
