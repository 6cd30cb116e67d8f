"""Mail as a table: queued with the change, a job per row enqueued after commit, claimed once
however many workers run it, swept up when its job is lost, retried with backoff, and
forgotten after a week."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from eduapp import mail
from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.mail import sender
from eduapp.models import ClinicInvite, OutgoingMessage
from tests.clinics.test_clinics import invite, make_clinic
from tests.conftest import deliver_mail, run_jobs
from tests.mail.smtp_sink import SMTPSink


def outbox_files() -> list[Path]:
    folder = mail.outbox_dir()
    return sorted(folder.glob("*.eml")) if folder.exists() else []


@pytest.fixture(autouse=True)
def _empty_outbox(app: Flask) -> Any:
    for f in outbox_files():
        f.unlink()
    yield
    for f in outbox_files():
        f.unlink()


def rows() -> list[OutgoingMessage]:
    db.session.rollback()  # see what other sessions committed
    return list(db.session.execute(db.select(OutgoingMessage).order_by("id")).scalars())


def queue_one() -> int:
    row = mail.queue("ann@example.org", "Hello", "Body")
    db.session.commit()
    return row.id


def use_smtp(monkeypatch: pytest.MonkeyPatch, app: Flask, port: int) -> None:
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(port))
    monkeypatch.setitem(app.config, "SMTP_TLS", "0")


def test_a_queued_message_is_sent_by_the_sender_not_before(app: Flask) -> None:
    mail.queue("ann@example.org", "Hello", "Body text")
    db.session.commit()
    assert outbox_files() == []  # queued, not sent
    (row,) = rows()
    assert (row.status, row.attempts, row.sent_at) == ("pending", 0, None)
    assert deliver_mail() == "1 sent, 0 to retry, 0 failed\n"
    (row,) = rows()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None and row.sent_at >= row.created_at
    (path,) = outbox_files()
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert (message["To"], message["Subject"]) == ("ann@example.org", "Hello")
    assert message.get_content() == "Body text\n"
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"  # sent once only
    assert len(outbox_files()) == 1


def test_a_rolled_back_request_mails_nothing(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    from eduapp.clinics import services

    real_invite = services.invite_list

    def invite_then_fail(*args: Any) -> Any:
        real_invite(*args)  # the invitations and their mail are in the transaction...
        raise RuntimeError("something later in the request broke")

    monkeypatch.setattr(services, "invite_list", invite_then_fail)
    run_jobs()  # the clinic's own mail to its manager
    with pytest.raises(RuntimeError):
        invite(manager, clinic, "sam@example.org\nkim@example.org")
    # ...and the rollback took both away, and enqueued no job.
    assert rows() == []
    assert jobs().huey.pending_count() == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 0
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"
    assert [f for f in outbox_files() if "sam@" in f.read_text()] == []


def test_two_claims_for_one_row_one_wins(app: Flask) -> None:
    message_id = queue_one()
    begin_write()
    assert sender.claim(message_id) is not None
    db.session.commit()
    begin_write()
    assert sender.claim(message_id) is None  # the second sender finds it taken
    db.session.rollback()
    (row,) = rows()
    assert (row.status, row.attempts) == ("sending", 1)


def queued_jobs() -> list[tuple[str, tuple]]:
    return [(task.name, task.args) for task in jobs().huey.pending()]


def test_the_commit_enqueues_one_job_per_new_row(app: Flask) -> None:
    first = mail.queue("ann@example.org", "One", "Body")
    second = mail.queue("bob@example.org", "Two", "Body")
    assert queued_jobs() == []  # nothing before the commit
    db.session.commit()
    assert queued_jobs() == [("send_mail", (first.id,)), ("send_mail", (second.id,))]
    assert deliver_mail() == "2 sent, 0 to retry, 0 failed\n"


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_the_sweep_enqueues_rows_still_pending_after_two_minutes(app: Flask, clock: Any) -> None:
    message_id = queue_one()
    jobs().huey.flush()  # the job is lost (a broker restarted without its data)
    clock.shift(timedelta(minutes=2) - timedelta(seconds=1))
    assert run_jobs() == [] and jobs().tasks["sweep_mail"].call_local() == 0
    clock.shift(timedelta(seconds=1))
    assert jobs().tasks["sweep_mail"].call_local() == 1
    assert queued_jobs() == [("send_mail", (message_id,))]
    assert [result for _name, result in run_jobs()] == ["sent"]
    assert jobs().tasks["sweep_mail"].call_local() == 0  # sent: nothing left to sweep


def test_a_job_run_twice_sends_once(app: Flask) -> None:
    message_id = queue_one()
    jobs().enqueue("send_mail", message_id)  # the sweep's copy, say
    assert [result for _name, result in run_jobs()] == ["sent", "not claimed"]
    assert len(outbox_files()) == 1


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_a_failing_relay_is_retried_with_backoff_then_given_up(
    app: Flask, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail.queue("ann@example.org", "Hello", "Body")
    db.session.commit()
    with SMTPSink(refuse="451 4.3.0 try again later") as sink:
        use_smtp(monkeypatch, app, sink.port)
        waits = []
        for attempt in range(1, sender.MAX_ATTEMPTS):
            assert deliver_mail() == "0 sent, 1 to retry, 0 failed\n"
            (row,) = rows()
            assert (row.status, row.attempts) == ("pending", attempt)
            assert "451 4.3.0 try again later" in row.last_error
            waits.append(row.next_try_at - sender.now())
            assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"  # not due yet
            clock.shift(waits[-1])
        assert waits == [timedelta(minutes=2**n) for n in range(sender.MAX_ATTEMPTS - 1)]
        assert deliver_mail() == "0 sent, 0 to retry, 1 failed\n"
    (row,) = rows()
    assert (row.status, row.attempts, row.sent_at) == ("failed", sender.MAX_ATTEMPTS, None)
    assert "SMTPDataError" in row.last_error
    clock.shift(timedelta(days=1))
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"  # given up for good


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_an_unreachable_relay_is_retried(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    use_smtp(monkeypatch, app, port)
    mail.queue("ann@example.org", "Hello", "Body")
    db.session.commit()
    assert deliver_mail() == "0 sent, 1 to retry, 0 failed\n"
    (row,) = rows()
    assert row.status == "pending" and "ConnectionRefusedError" in row.last_error
    assert row.next_try_at == sender.now() + timedelta(minutes=1)


def test_an_address_the_relay_refuses_fails_at_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail.queue("nobody@example.org", "Hello", "Body")
    db.session.commit()
    with SMTPSink(refuse="550 5.1.1 no such user") as sink:
        use_smtp(monkeypatch, app, sink.port)
        assert deliver_mail() == "0 sent, 0 to retry, 1 failed\n"
    (row,) = rows()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550 5.1.1 no such user" in row.last_error


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_a_message_abandoned_mid_send_is_sent_after_its_lease(app: Flask, clock: Any) -> None:
    message_id = queue_one()
    begin_write()
    sender.claim(message_id)  # a sender claims it, then dies before sending
    db.session.commit()
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"
    clock.shift(sender.SEND_LEASE - timedelta(seconds=1))
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"
    clock.shift(timedelta(seconds=1))
    assert deliver_mail() == "1 sent, 0 to retry, 0 failed\n"
    (row,) = rows()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(outbox_files()) == 1


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_bodies_are_cleared_a_week_after_sending(
    app: Flask, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mail.queue("ann@example.org", "Reset", "https://example.org/reset/secret")
    db.session.commit()
    deliver_mail()
    with SMTPSink(refuse="550 no such user") as sink:
        use_smtp(monkeypatch, app, sink.port)
        mail.queue("nobody@example.org", "Invite", "https://example.org/invites/secret")
        db.session.commit()
        deliver_mail()
    monkeypatch.undo()  # back to the outbox folder
    mail.queue("later@example.org", "Later", "https://example.org/reset/later")
    db.session.commit()
    clock.shift(timedelta(days=7))
    deliver_mail()
    assert [r.body for r in rows()] == [
        "https://example.org/reset/secret",
        "https://example.org/invites/secret",
        "https://example.org/reset/later",  # sent just now
    ]
    clock.shift(timedelta(seconds=1))
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"  # the sweep clears them
    assert [(r.status, r.body) for r in rows()] == [
        ("sent", ""),
        ("failed", ""),
        ("sent", "https://example.org/reset/later"),
    ]
