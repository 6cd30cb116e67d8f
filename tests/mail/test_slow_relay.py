"""A slow or failing mail server delays no request: inviting people answers at once, and the
mail jobs deliver later, holding no lock while the relay takes its time."""

from __future__ import annotations

import re
import threading
import time
from email import message_from_bytes, policy

import pytest
from flask import Flask

from eduapp.mail import sender
from tests.clinics.test_clinics import invite, make_clinic
from tests.conftest import csrf_token, deliver_mail, run_jobs
from tests.mail.smtp_sink import SMTPSink
from tests.mail.test_sender import rows, use_smtp

RELAY_DELAY = 2.0  # seconds the relay takes over each message: twice the 1 s a write may take
PEOPLE = ["sam@example.org", "kim@example.org", "lou@example.org"]


def test_a_slow_relay_delays_no_request(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    with SMTPSink(delay=RELAY_DELAY) as sink:
        use_smtp(monkeypatch, app, sink.port)
        start = time.perf_counter()
        response = invite(manager, clinic, "\n".join(PEOPLE))
        request_time = time.perf_counter() - start
        assert response.status_code == 302
        assert request_time < 1.0, request_time
        assert sink.received == []  # the request sent nothing itself

        # The jobs run (as a worker does) and sit waiting on the relay...
        def run_sender() -> None:
            with app.app_context():
                run_jobs()

        start = time.perf_counter()
        background = threading.Thread(target=run_sender)
        background.start()
        assert sink.started.wait(10)
        # ...while another person's write goes through at once: no lock is held meanwhile.
        page = "/account"
        started_write = time.perf_counter()
        saved = manager.post(
            page,
            data={"name": "Mia M", "timezone": "UTC", "csrf_token": csrf_token(manager, page)},
        )
        write_time = time.perf_counter() - started_write
        assert saved.status_code == 302 and write_time < 1.0, write_time
        background.join(60)
        delivery_time = time.perf_counter() - start
    print(
        f"\ninvite request {request_time * 1000:.0f} ms; write during send "
        f"{write_time * 1000:.0f} ms; delivery of {len(PEOPLE)} {delivery_time:.1f} s"
    )
    assert delivery_time >= RELAY_DELAY * len(PEOPLE)  # the relay really was slow
    received = [message_from_bytes(m, policy=policy.default) for m in sink.received]
    assert sorted(m["To"] for m in received) == sorted(PEOPLE)
    assert all(re.search(r"http://localhost/invites/\S+", m.get_content()) for m in received)
    assert {(r.status, r.attempts) for r in rows()} == {("sent", 1)}


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_a_failing_relay_leaves_invitations_pending_with_the_error(
    app: Flask, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    with SMTPSink(refuse="421 4.7.0 too busy, try later") as sink:
        use_smtp(monkeypatch, app, sink.port)
        assert invite(manager, clinic, "\n".join(PEOPLE)).status_code == 302
        assert deliver_mail() == "0 sent, 3 to retry, 0 failed\n"
    queued = rows()
    assert {(r.status, r.attempts) for r in queued} == {("pending", 1)}
    assert all("421 4.7.0 too busy, try later" in r.last_error for r in queued)
    assert {r.next_try_at - r.created_at for r in queued} == {sender.backoff(1)}
