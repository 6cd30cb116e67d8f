"""``flask mail send-pending``: deliver queued mail, once or (``--loop``) until stopped.

``make run`` keeps one running beside the development server; production runs it from cron
(one pass a minute) or as a service with ``--loop``. Several may run at once.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from ..database import begin_write
from ..extensions import db
from ..models import OutgoingMessage
from . import sender, transport

mail_cli = AppGroup("mail", help="Send the mail the app has queued.")


@dataclass
class PassResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cleared: int = 0

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.cleared)

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"
        return text + (f", {self.cleared} old bodies cleared" if self.cleared else "")


def send_one(message_id: int, result: PassResult) -> bool:
    """Claim, commit, deliver with no transaction open, then record; False if not claimed."""
    begin_write()
    row = sender.claim(message_id)
    if row is None:
        db.session.rollback()
        return False
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
            result.failed += 1
        else:
            result.retrying += 1
        return True
    begin_write()
    sender.record_sent(db.session.get_one(OutgoingMessage, message_id))
    db.session.commit()
    result.sent += 1
    return True


def send_pass(stop: threading.Event | None = None) -> PassResult:
    """Send everything due now (in batches, so a long queue is not read at once)."""
    result = PassResult()
    while not (stop and stop.is_set()):
        ids = sender.due_ids()
        db.session.rollback()  # end the read; nothing stays open while sending
        claimed = 0
        for message_id in ids:
            if stop and stop.is_set():
                break
            claimed += send_one(message_id, result)
        # Nothing due, or every claim lost a race (another sender is on them): done.
        if not claimed:
            break
    begin_write()
    result.cleared = sender.clear_old_bodies()
    db.session.commit()
    return result


def _pause(stop: threading.Event, seconds: float) -> bool:
    """Sleep between passes in short relative steps; True once asked to stop. (Not
    ``Event.wait(timeout)``: its deadline is read from the monotonic clock, which a shifted
    clock such as CI's faketime moves, and the wait then never ends.)"""
    while seconds > 0 and not stop.is_set():
        time.sleep(min(seconds, 0.2))
        seconds -= 0.2
    return stop.is_set()


@mail_cli.command("send-pending")
@click.option("--loop", is_flag=True, help="Keep polling until stopped (Ctrl+C or SIGTERM).")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between passes with --loop."
)
def send_pending_command(loop: bool, interval: float) -> None:
    """Deliver queued mail: SMTP, or .eml files in the outbox without EDUAPP_SMTP_HOST."""
    stop = threading.Event()
    previous = None
    if loop and threading.current_thread() is threading.main_thread():
        # SIGTERM (a service manager, `make run` ending) finishes the message in hand first.
        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        previous = signal.signal(signal.SIGTERM, _stop)
    try:
        while True:
            result = send_pass(stop)
            if result or not loop:
                click.echo(str(result))
            if not loop or _pause(stop, interval):
                break
    except KeyboardInterrupt:
        pass  # Ctrl+C: a message cut off mid-send is retried when its lease ends
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
