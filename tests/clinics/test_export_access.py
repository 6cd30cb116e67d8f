"""An export is offered no longer than its asker may see what it holds: a manager removed
from the clinic after asking gets no build, no download and a page that says why; and a
request page stops reloading itself once a build takes far longer than usual."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.jobs.waiting import RETRY_FOR
from eduapp.models import ClinicMember, User
from eduapp.models.export import ExportRequest
from tests.clinics.test_clinics import packs  # noqa: F401
from tests.clinics.test_exports import ask_for_audit_pack, clinic_with_staff  # noqa: F401
from tests.conftest import run_jobs

REMOVED = "You no longer manage this clinic, so this export is no longer offered"


def manages(clinic_id: int, email: str, yes: bool) -> None:
    """Remove the manager from the clinic, or bring them back."""
    db.session.rollback()
    manager = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    row = db.session.execute(
        db.select(ClinicMember).filter_by(clinic_id=clinic_id, user_id=manager.id, role="manager")
    ).scalar_one()
    row.left_at = None if yes else now()
    db.session.commit()


def asked(manager: FlaskClient, clinic_id: int) -> str:
    """The page of an audit pack the manager asked for, once the fixture's own jobs ran."""
    run_jobs()
    return str(ask_for_audit_pack(manager, clinic_id).headers["Location"])


def built(manager: FlaskClient, clinic_id: int) -> str:
    path = asked(manager, clinic_id)
    assert jobs().task("build_export").call_local(int(path.rsplit("/", 1)[1])) == "ready"
    return path


def test_a_removed_manager_can_no_longer_download_what_they_asked_for(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
) -> None:
    clinic, manager = clinic_with_staff[:2]
    path = built(manager, clinic.id)
    assert manager.get(path + "/download").status_code == 200
    manages(clinic.id, "mia@example.org", False)
    page = manager.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and REMOVED in html
    assert "/download" not in html and "Back to Harbour Clinic" not in html
    assert manager.get(path + "/download").status_code == 403
    manages(clinic.id, "mia@example.org", True)  # made a manager again: the file is theirs
    assert manager.get(path + "/download").status_code == 200
    assert "Download the audit pack" in manager.get(path).get_data(as_text=True)


def test_a_manager_removed_before_the_build_gets_nothing_built(
    app: Flask,
    clinic_with_staff: Any,  # noqa: F811
) -> None:
    clinic, manager = clinic_with_staff[:2]
    path = asked(manager, clinic.id)
    manages(clinic.id, "mia@example.org", False)
    assert jobs().task("build_export").call_local(int(path.rsplit("/", 1)[1])) == "refused"
    manages(clinic.id, "mia@example.org", True)
    html = manager.get(path).get_data(as_text=True)
    assert "Not built: you no longer manage this clinic, so nothing was built." in html
    assert manager.get(path + "/download").status_code == 404
    db.session.rollback()
    assert db.session.get_one(ExportRequest, int(path.rsplit("/", 1)[1])).file_key is None


def test_the_page_stops_reloading_itself_when_a_build_takes_too_long(
    app: Flask,
    clock: Any,
    clinic_with_staff: Any,  # noqa: F811
) -> None:
    clinic, manager = clinic_with_staff[:2]
    path = asked(manager, clinic.id)
    jobs().huey.flush()  # the broker lost it: nothing builds it until the sweep
    early = manager.get(path).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in early and "asks again every 3" in early
    clock.shift(RETRY_FOR + timedelta(seconds=1))
    late = manager.get(path).get_data(as_text=True)
    assert "http-equiv" not in late
    assert "taking longer than usual, so this page no longer asks again by itself" in late
    assert "Check again now" in late
