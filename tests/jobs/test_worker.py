"""Real workers: huey consumers taking jobs from the SQLite file and from Redis, and
``flask jobs worker`` as ``make run`` starts it. Two workers never send one mail twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask

from eduapp import mail
from eduapp.extensions import db
from eduapp.jobs import Jobs, jobs
from tests.mail.smtp_sink import SMTPSink
from tests.mail.test_sender import outbox_files, rows, use_smtp

REDIS_URL = os.environ.get("EDUAPP_TEST_REDIS_URL")


def wait_until_sent(count: int, seconds: float = 30) -> None:
    """Until ``count`` rows are sent and no job waits (the duplicates ran too)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sum(r.status == "sent" for r in rows()) == count and not jobs().huey.pending_count():
            return
        time.sleep(0.05)
    pytest.fail(f"not all {count} sent: {[(r.id, r.status) for r in rows()]}")


def send_through_two_workers(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """30 messages, each job enqueued twice (the request's and a sweep's), taken by a
    consumer with four worker threads: every message reaches the relay exactly once."""
    for n in range(30):
        mail.queue(f"p{n}@example.org", f"Message {n}", "Body")
    db.session.commit()
    for row in rows():
        jobs().enqueue("send_mail", row.id)
    assert jobs().huey.pending_count() == 60
    with SMTPSink(delay=0.01) as sink:
        use_smtp(monkeypatch, app, sink.port)
        consumer = jobs().huey.create_consumer(workers=4, periodic=False)
        consumer.start()
        try:
            wait_until_sent(30)
        finally:
            consumer.stop(graceful=True)
    subjects = sorted(
        message_from_bytes(m, policy=policy.default)["Subject"] for m in sink.received
    )
    assert subjects == sorted(f"Message {n}" for n in range(30))  # each exactly once
    assert {(r.status, r.attempts) for r in rows()} == {("sent", 1)}


def test_a_consumer_on_the_sqlite_queue_sends_each_message_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.config["QUEUE_URL"].startswith("sqlite:///")
    send_through_two_workers(app, monkeypatch)


@pytest.mark.skipif(not REDIS_URL, reason="EDUAPP_TEST_REDIS_URL is not set (.ci/run sets it)")
def test_a_consumer_on_redis_sends_each_message_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_redis = Jobs(app, url=REDIS_URL)
    on_redis.huey.flush()
    monkeypatch.setitem(app.extensions, "jobs", on_redis)
    assert type(on_redis.huey.storage).__name__ == "RedisStorage"
    try:
        send_through_two_workers(app, monkeypatch)
    finally:
        on_redis.huey.flush()


@pytest.mark.skipif(
    "FAKETIME" in os.environ,
    reason="under libfaketime the worker's timed waits (pthread_cond_timedwait) may not wake, "
    "so SIGTERM can go unanswered; the SQLite and PostgreSQL runs, on the real clock, run it",
)
def test_flask_jobs_worker_sends_mail_and_stops_on_sigterm(app: Flask, tmp_path: Path) -> None:
    """The command ``make run`` starts beside the server, against this test's database."""
    mail.queue("ann@example.org", "Hello", "Body")
    db.session.commit()
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "EDUAPP_DATABASE_URL": app.config["DATABASE_URL"],
        "EDUAPP_QUEUE_URL": app.config["QUEUE_URL"],
        "EDUAPP_FILES_DIR": app.config["FILES_DIR"],
        "EDUAPP_SECRET_KEY": "test",
        "EDUAPP_CREDENTIAL_KEY": app.config["CREDENTIAL_KEY"],
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("flask")), "jobs", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_sent(1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output = worker.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:
            worker.kill()  # never leave it running into the next tests
            worker.communicate()
            raise
    assert worker.returncode == 0, output
    assert "send_mail" in output
    assert [p for p in outbox_files() if "Subject: Hello" in p.read_text()]


def test_savepoints_enqueue_nothing_until_the_real_commit(app: Flask) -> None:
    """SQLAlchemy signals a savepoint's release as a commit; a job enqueued then would look
    for a row no one else can see yet."""
    with db.session.begin_nested():
        kept = mail.queue("ann@example.org", "Kept", "Body")
    with db.session.begin_nested():
        mail.queue("bob@example.org", "Second", "Body")
    assert jobs().huey.pending_count() == 0
    try:
        with db.session.begin_nested():
            mail.queue("cy@example.org", "Dropped", "Body")
            raise RuntimeError("this part fails")
    except RuntimeError:
        pass
    db.session.commit()
    assert [task.args for task in jobs().huey.pending()] == [(kept.id,), (kept.id + 1,)]
    db.session.rollback()
    mail.queue("dee@example.org", "Rolled back", "Body")
    db.session.rollback()
    db.session.commit()
    assert jobs().huey.pending_count() == 2


def test_a_queue_url_that_is_no_broker_is_refused_at_start() -> None:
    from eduapp import create_app
    from eduapp.config import ConfigError

    with pytest.raises(ConfigError, match="EDUAPP_QUEUE_URL must be"):
        create_app({"DATABASE_URL": "sqlite://", "QUEUE_URL": "amqp://broker/"})
