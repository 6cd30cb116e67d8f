"""The compliance and completions CSVs are jobs on the export requests, like the audit pack:
pressing the button records the request and answers at once, the job writes the same bytes
the in-request download used to stream, and only the manager who asked may fetch them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from eduapp.clinics import exports
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models.export import ExportRequest
from tests.clinics.test_clinics import packs  # noqa: F401
from tests.clinics.test_exports import ask_for_export, clinic_with_staff  # noqa: F401
from tests.conftest import PASSWORD, AuthActions, csrf_token, run_jobs

CSVS = [
    ("dashboard.csv", "dashboard", "compliance"),
    ("completions.csv", "completions", "completions"),
]


def _old_download(kind: str, clinic_id: int) -> bytes:
    """What the in-request download streamed: the same generators, encoded as Flask did."""
    lines = exports.dashboard_csv if kind == "dashboard" else exports.completions_csv
    return "".join(lines(clinic_id)).encode("utf-8")


@pytest.mark.clock("2026-11-24 12:00:00")
@pytest.mark.parametrize(("name", "kind", "prefix"), CSVS)
def test_the_button_records_a_request_and_the_job_writes_the_old_bytes(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    kind: str,
    prefix: str,
) -> None:
    clinic, manager = clinic_with_staff[:2]
    run_jobs()  # the certificate's PDF and the invitations' mail
    page = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert f'action="/clinics/{clinic.id}/export/{name}"' in page
    built: list[int] = []
    real = exports.dashboard_csv if kind == "dashboard" else exports.completions_csv
    monkeypatch.setattr(
        exports, real.__name__, lambda cid, filters: built.append(cid) or real(cid, filters)
    )
    response = ask_for_export(manager, clinic.id, name)
    assert response.status_code == 302 and built == []  # answered without building the file
    path = response.headers["Location"]
    db.session.rollback()
    row = db.session.get_one(ExportRequest, int(path.rsplit("/", 1)[1]))
    assert (row.kind, row.status, row.clinic_id) == (kind, "pending", clinic.id)
    waiting = manager.get(path).get_data(as_text=True)
    assert "Being prepared" in waiting and 'http-equiv="refresh"' in waiting
    assert manager.get(path + "/download").status_code == 404
    # Two workers get the same job (the sweep's copy, say): one builds, the other finds it
    # claimed; the file is built once.
    jobs().enqueue("build_export", row.id)
    assert sorted(run_jobs()) == [("build_export", "not claimed"), ("build_export", "ready")]
    assert built == [clinic.id]
    ready = manager.get(path).get_data(as_text=True)
    assert "http-equiv" not in ready and "Download" in ready
    download = manager.get(path + "/download")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename={prefix}-{clinic.id}-{row.id}.csv"
    )
    monkeypatch.undo()
    assert download.get_data() == _old_download(kind, clinic.id)
    assert download.get_data().startswith("\ufeff".encode())
    if kind == "dashboard":
        assert b"\"'=cmd|' /C calc'!A0\"" in download.get_data()  # the formula neutralised


def test_a_foreign_manager_and_tampered_requests_get_404_or_400(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
    make_user: Any,
) -> None:
    clinic, manager = clinic_with_staff[:2]
    run_jobs()
    path = ask_for_export(manager, clinic.id, "completions.csv").headers["Location"]
    run_jobs()
    db.session.rollback()
    make_user("other@example.org", "Other Manager")
    other = app.test_client()
    AuthActions(other).login("other@example.org", PASSWORD)
    token = csrf_token(other, "/my-ce")
    other.post("/clinics", data={"csrf_token": token, "name": "Other Clinic"})
    for url in (path, path + "/download"):
        assert other.get(url).status_code == 404
    export_id = int(path.rsplit("/", 1)[1])
    for url in (
        f"/exports/{export_id + 1000}",
        f"/exports/{export_id + 1000}/download",
        "/exports/abc",
        "/exports/-1/download",
        f"/exports/{export_id}x/download",
    ):
        assert manager.get(url).status_code == 404, url
    # Someone else's clinic, a clinic that does not exist, an export that does not exist.
    for name in ("dashboard.csv", "completions.csv"):
        assert ask_for_export(other, clinic.id, name).status_code == 404
        assert ask_for_export(manager, clinic.id + 1000, name).status_code == 404
    assert ask_for_export(manager, clinic.id, "everything.csv").status_code in (404, 405)
    # The old download addresses no longer build anything in the request.
    assert manager.get(f"/clinics/{clinic.id}/export/dashboard.csv").status_code == 405
    # Without the form's token: 400, and nothing recorded.
    refused = manager.post(f"/clinics/{clinic.id}/export/dashboard.csv", data={})
    assert refused.status_code == 400
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ExportRequest)) == 1
