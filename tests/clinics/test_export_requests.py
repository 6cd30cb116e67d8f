"""The audit pack is a job: the manager's request answers at once, the request's page shows
its state and, once the job has built it, the download; only its owner sees either."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from typing import Any

from flask import Flask

from eduapp.exports.jobs import BUILD_LEASE
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models.export import ExportRequest
from tests.clinics.test_clinics import packs  # noqa: F401
from tests.clinics.test_exports import ask_for_audit_pack, clinic_with_staff  # noqa: F401
from tests.conftest import PASSWORD, AuthActions, run_jobs


def test_the_audit_pack_is_built_by_a_job_and_downloaded_when_ready(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
) -> None:
    clinic, manager, _kim, certificate = clinic_with_staff
    run_jobs()  # the certificate's PDF and the invitations' mail
    dashboard = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert f'action="/clinics/{clinic.id}/export/audit-pack"' in dashboard
    response = ask_for_audit_pack(manager, clinic.id)
    assert response.status_code == 302
    page_path = response.headers["Location"]
    assert re.fullmatch(r"/exports/\d+", page_path)
    waiting = manager.get(page_path)
    html = waiting.get_data(as_text=True)
    assert waiting.status_code == 200 and "Being prepared" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert manager.get(page_path + "/download").status_code == 404  # not built yet
    assert run_jobs() == [("build_export", "ready")]
    ready = manager.get(page_path).get_data(as_text=True)
    assert "Download the audit pack" in ready and "http-equiv" not in ready
    download = manager.get(page_path + "/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.get_data())).namelist()
    assert any(n.endswith(f"sample-course-{certificate.code}.pdf") for n in names)
    # Run again (the sweep's copy, say): nothing is built twice.
    jobs().enqueue("build_export", int(page_path.rsplit("/", 1)[1]))
    assert run_jobs() == [("build_export", "not claimed")]


def test_only_the_manager_who_asked_sees_the_request(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    make_user: Any,
) -> None:
    clinic, manager = clinic_with_staff[:2]
    page_path = ask_for_audit_pack(manager, clinic.id).headers["Location"]
    run_jobs()
    kim_client = app.test_client()
    AuthActions(kim_client).login("kim@example.org", PASSWORD)
    db.session.rollback()  # the requests wrote since this session's snapshot
    make_user("root@example.org", "Root Admin", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("root@example.org")
    for other in (kim_client, admin):
        assert other.get(page_path).status_code == 404
        assert other.get(page_path + "/download").status_code == 404
    assert app.test_client().get(page_path).status_code == 302  # sign in first
    # Staff cannot ask for their clinic's pack either.
    assert ask_for_audit_pack(kim_client, clinic.id).status_code == 404
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ExportRequest)) == 1


def lost_request(clinic_with_staff: Any) -> tuple[Any, str]:  # noqa: F811
    """The manager and the page of an audit pack asked for, whose job the broker lost."""
    clinic, manager = clinic_with_staff[:2]
    run_jobs()  # what the fixture queued
    path = ask_for_audit_pack(manager, clinic.id).headers["Location"]
    jobs().huey.flush()
    return manager, path


def test_a_request_whose_job_was_lost_is_swept_up(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    clock: Any,
) -> None:
    lost_request(clinic_with_staff)
    sweep = jobs().task("sweep_exports")
    assert sweep.call_local() == 0
    clock.shift(timedelta(minutes=2, seconds=1))
    assert sweep.call_local() == 1
    assert run_jobs() == [("build_export", "ready")]


def test_a_build_left_by_a_dead_worker_is_built_again_after_its_lease(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    clock: Any,
) -> None:
    manager, path = lost_request(clinic_with_staff)
    db.session.rollback()
    row = db.session.get_one(ExportRequest, int(path.rsplit("/", 1)[1]))
    row.status, row.started_at = "building", row.created_at  # a worker claimed it, then died
    db.session.commit()
    sweep = jobs().task("sweep_exports")
    clock.shift(BUILD_LEASE - timedelta(seconds=5))
    assert sweep.call_local() == 0
    assert jobs().task("build_export").call_local(row.id) == "not claimed"  # still leased
    clock.shift(timedelta(seconds=10))
    assert sweep.call_local() == 1
    assert run_jobs() == [("build_export", "ready")]
    assert "Download the audit pack" in manager.get(path).get_data(as_text=True)
