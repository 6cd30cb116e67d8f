"""A job that keeps failing lands among the failed jobs, with its error, on a page only
admins see, whose retry button sends it round again."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.jobs import job, jobs
from eduapp.models import FailedJob
from tests.conftest import AuthActions, csrf_token, run_jobs

TRIES: list[str] = []
BROKEN = {"still": True}


@job(retries=2)
def import_the_feed(source: str) -> str:
    """A job that fails while ``BROKEN`` says so: its source is down."""
    TRIES.append(source)
    if BROKEN["still"]:
        raise ConnectionError(f"{source} did not answer")
    return "imported"


@pytest.fixture(autouse=True)
def _reset() -> None:
    TRIES.clear()
    BROKEN["still"] = True


def failed_rows() -> list[FailedJob]:
    db.session.rollback()
    return list(db.session.execute(db.select(FailedJob).order_by(FailedJob.id)).scalars())


def test_a_job_failing_on_every_try_is_recorded_once_with_its_error(app: Flask) -> None:
    jobs().enqueue("import_the_feed", "feed.example.org")
    assert run_jobs() == [("import_the_feed", None)] * 3  # the first try and two retries
    assert TRIES == ["feed.example.org"] * 3
    (row,) = failed_rows()
    assert (row.name, row.args, row.retried_at) == ("import_the_feed", ["feed.example.org"], None)
    assert row.error == "ConnectionError: feed.example.org did not answer"
    assert "raise ConnectionError" in row.traceback


def test_a_job_that_succeeds_on_a_retry_leaves_nothing(app: Flask) -> None:
    jobs().enqueue("import_the_feed", "feed.example.org")
    huey = jobs().huey
    huey.execute(huey.dequeue())  # fails once
    BROKEN["still"] = False
    assert run_jobs() == [("import_the_feed", "imported")]
    assert failed_rows() == []


@pytest.fixture
def failed_for_admin(app: Flask, auth: AuthActions, make_user: Any) -> FailedJob:
    """A job that failed for good, and an admin signed in on ``client``."""
    jobs().enqueue("import_the_feed", "feed.example.org")
    run_jobs()
    (row,) = failed_rows()
    make_user("ada@example.org", "Ada Admin", role="admin")
    auth.login("ada@example.org")
    return row


def test_admins_see_failed_jobs_and_retry_them(client: Any, failed_for_admin: FailedJob) -> None:
    row = failed_for_admin
    page = client.get("/admin/jobs/failed").get_data(as_text=True)
    assert "import_the_feed" in page and "feed.example.org did not answer" in page
    assert "Failed jobs" in client.get("/").get_data(as_text=True)  # in the admins' menu

    BROKEN["still"] = False
    token = csrf_token(client, "/admin/jobs/failed")
    response = client.post(f"/admin/jobs/failed/{row.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/jobs/failed"
    assert run_jobs() == [("import_the_feed", "imported")]  # enqueued after the commit
    (row,) = failed_rows()
    assert row.retried_at is not None
    page = client.get("/admin/jobs/failed").get_data(as_text=True)
    assert "No failed jobs." in page
    # Pressed again (a second tab): nothing is enqueued twice.
    again = client.post(f"/admin/jobs/failed/{row.id}/retry", data={"csrf_token": token})
    assert again.status_code == 302 and run_jobs() == []
    assert "already retried" in client.get("/admin/jobs/failed").get_data(as_text=True)


def test_a_retry_without_its_token_or_of_no_such_row_changes_nothing(
    client: Any, failed_for_admin: FailedJob
) -> None:
    row = failed_for_admin
    assert client.post(f"/admin/jobs/failed/{row.id}/retry").status_code == 400
    token = csrf_token(client, "/admin/jobs/failed")
    missing = client.post(f"/admin/jobs/failed/{row.id + 1}/retry", data={"csrf_token": token})
    assert missing.status_code == 404
    assert failed_rows()[0].retried_at is None and run_jobs() == []


def test_learners_cannot_see_or_retry_failed_jobs(
    app: Flask, auth: AuthActions, client: Any, make_user: Any
) -> None:
    jobs().enqueue("import_the_feed", "feed.example.org")
    run_jobs()
    (row,) = failed_rows()
    make_user()
    auth.login()
    assert client.get("/admin/jobs/failed").status_code == 403
    token = csrf_token(client, "/account")
    assert (
        client.post(f"/admin/jobs/failed/{row.id}/retry", data={"csrf_token": token}).status_code
        == 403
    )
    assert failed_rows()[0].retried_at is None and run_jobs() == []
