"""Mail as a table: queued with the change, sent after commit by ``flask mail send-pending``,
claimed once however many senders run, retried with backoff, and forgotten after a week."""

from __future__ import annotations

import os
import signal
import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from eduapp import mail
from eduapp.database import begin_write
from eduapp.extensions import db
from eduapp.mail import cli as mail_cli
from eduapp.mail import sender
from eduapp.models import ClinicInvite, OutgoingMessage
from tests.clinics.test_clinics import invite, make_clinic
from tests.conftest import deliver_mail
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
    with pytest.raises(RuntimeError):
        invite(manager, clinic, "sam@example.org\nkim@example.org")
    # ...and the rollback took both away.
    assert rows() == []
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 0
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed\n"
    assert outbox_files() == []


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


def test_two_senders_at_once_send_each_message_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(30):
        mail.queue(f"p{n}@example.org", f"Message {n}", "Body")
    db.session.commit()
    results: list[mail_cli.PassResult] = []

    def run_sender() -> None:
        with app.app_context():
            results.append(mail_cli.send_pass())

    with SMTPSink(delay=0.02) as sink:
        use_smtp(monkeypatch, app, sink.port)
        threads = [threading.Thread(target=run_sender) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    subjects = sorted(
        message_from_bytes(m, policy=policy.default)["Subject"] for m in sink.received
    )
    assert subjects == sorted(f"Message {n}" for n in range(30))  # each exactly once
    assert sum(r.sent for r in results) == 30
    assert all(r.sent for r in results)  # both senders did share the work
    assert {(r.status, r.attempts) for r in rows()} == {("sent", 1)}


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
    assert deliver_mail() == "0 sent, 0 to retry, 0 failed, 2 old bodies cleared\n"
    assert [(r.status, r.body) for r in rows()] == [
        ("sent", ""),
        ("failed", ""),
        ("sent", "https://example.org/reset/later"),
    ]


def test_loop_keeps_sending_until_stopped(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    passes = []
    real_pass = mail_cli.send_pass

    def counted(stop: threading.Event | None = None) -> mail_cli.PassResult:
        passes.append(1)
        if len(passes) == 2:
            mail.queue("late@example.org", "Later", "Body")  # arrives while the loop runs
            db.session.commit()
        if len(passes) == 4:
            os.kill(os.getpid(), signal.SIGTERM)  # a service manager stopping it
        return real_pass(stop)

    monkeypatch.setattr(mail_cli, "send_pass", counted)
    previous = signal.getsignal(signal.SIGTERM)
    mail.queue("ann@example.org", "Hello", "Body")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["mail", "send-pending", "--loop", "--interval", "0.01"]
    )
    assert result.exit_code == 0, result.output
    # Quiet when there is nothing to do; stopped cleanly after the fourth pass.
    assert result.output == "1 sent, 0 to retry, 0 failed\n" * 2
    assert len(passes) == 4
    assert signal.getsignal(signal.SIGTERM) == previous
    assert len(outbox_files()) == 2
