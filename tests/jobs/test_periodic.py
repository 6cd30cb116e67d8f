"""Reminders and the weekly review email run from the queue's scheduler, and running them
twice sends nothing twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flask import Flask

from eduapp.clinics import reminders
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import FailedJob, OutgoingMessage, ReminderLog
from tests.clinics.test_clinics import packs  # noqa: F401
from tests.clinics.test_exports import clinic_with_staff  # noqa: F401
from tests.conftest import run_jobs


def scheduled_at(hour: int, minute: int) -> set[str]:
    huey = jobs().huey
    return {task.name for task in huey.read_periodic(datetime(2026, 11, 24, hour, minute))}


def test_the_scheduler_runs_reminders_daily_and_the_sweeps_every_minute(app: Flask) -> None:
    sweeps = {"sweep_mail", "sweep_certificates", "sweep_exports", "sweep_webhooks"}
    assert scheduled_at(13, 0) == {"send_reminders", *sweeps}
    assert scheduled_at(13, 10) == {"send_weekly_review", *sweeps}
    assert scheduled_at(12, 59) == sweeps
    assert scheduled_at(3, 30) == {"prune_webhook_deliveries", *sweeps}


def counts() -> tuple[int, int]:
    db.session.rollback()
    return (
        db.session.scalar(db.select(db.func.count()).select_from(ReminderLog)),
        db.session.scalar(db.select(db.func.count()).select_from(OutgoingMessage)),
    )


@pytest.mark.clock("2026-11-24 13:00:00")
def test_reminders_run_twice_send_nothing_twice(app: Flask, clinic_with_staff: Any) -> None:  # noqa: F811
    run_jobs()  # the invitations' mail
    logs, messages = counts()
    jobs().enqueue("send_reminders")
    jobs().enqueue("send_reminders")  # a second worker's scheduler, say
    results = [result for name, result in run_jobs() if name == "send_reminders"]
    assert results == [2, 0]  # Kim's reminder and the manager's digest, then nothing
    assert counts() == (logs + 2, messages + 2)
    sent = [r for name, r in run_jobs() if name == "send_mail"]
    assert sent == []  # both went out with the run above, each once
    recipients = sorted(
        db.session.execute(
            db.select(OutgoingMessage.recipient).where(OutgoingMessage.status == "sent")
        ).scalars()
    )
    assert recipients.count("kim@example.org") == 2  # the invitation and the reminder


@pytest.mark.clock("2026-11-24 13:00:00")
def test_a_clinic_whose_reminders_fail_lands_among_failed_jobs(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(clinic_id: int) -> Any:
        raise ValueError("a stored row no one expected")

    monkeypatch.setattr(reminders, "_messages", broken)
    jobs().enqueue("send_reminders")
    run_jobs()
    db.session.rollback()
    (row,) = db.session.execute(db.select(FailedJob)).scalars()
    assert row.name == "send_reminders"
    assert "Harbour Clinic" in row.error and "a stored row no one expected" in row.error
