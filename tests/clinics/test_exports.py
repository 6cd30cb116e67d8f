"""A clinic's CSV exports and audit pack, and `flask ce remind` once a day."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.certificates import issue
from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.mail import outbox_dir
from eduapp.models import (
    Assignment,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    ReminderLog,
    RulePack,
    User,
)
from tests.certificates.test_certificates import make_ce_course
from tests.clinics.test_clinics import join, make_clinic, packs  # noqa: F401
from tests.conftest import csrf_token, deliver_mail, run_jobs


@pytest.fixture
def clinic_with_staff(app: Flask, make_user, packs: dict[str, RulePack]):  # noqa: F811
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    db.session.rollback()
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    kim.name = "=cmd|' /C calc'!A0"  # a name that would run as a spreadsheet formula
    course = make_ce_course()
    db.session.add(
        Licence(
            user_id=kim.id,
            pack_id=packs["ncbtmb"].id,
            number="BC-1",
            state="US",
            renewal_date=date(2027, 1, 31),
        )
    )
    db.session.add(
        Enrolment(
            user_id=kim.id,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime(2026, 6, 1, tzinfo=UTC),
        )
    )
    key = "cd" * 16
    folder = Path(app.config["FILES_DIR"]) / "ce"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(b"%PDF-1.4 elsewhere")
    db.session.add(
        ExternalCredit(
            user_id=kim.id,
            title="Workshop",
            provider="P",
            completed_on=date(2026, 5, 1),
            hours=Decimal(3),
            topic="ethics",
            delivery="live",
            approved_by=["NCBTMB"],
            file_name="w.pdf",
            file_key=key,
            file_type="application/pdf",
            file_size=18,
        )
    )
    db.session.flush()
    certificate = issue.issue_certificate(kim, course)
    db.session.add(
        Assignment(
            clinic_id=clinic.id,
            course_id=db.session.execute(
                db.select(Course.id).filter_by(slug="sample-course")
            ).scalar_one(),
            due_on=date(2026, 12, 1),
            created_by_id=kim.id,
        )
    )
    db.session.commit()
    return clinic, manager, kim, certificate


@pytest.mark.clock("2026-11-24 12:00:00")
def test_csv_exports_neutralise_formulas(app: Flask, clinic_with_staff) -> None:
    clinic, manager, _, certificate = clinic_with_staff
    board = exported(manager, clinic.id, "dashboard.csv")
    assert board.mimetype == "text/csv"
    assert board.data.startswith("\ufeff".encode())  # UTF-8 BOM: spreadsheets read names
    rows = list(csv.reader(io.StringIO(board.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["name", "email", "status"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][3:8] == ["NCBTMB Board Certification", "BC-1", "2027-01-31", "at risk", "4"]
    completions = list(
        csv.reader(
            io.StringIO(exported(manager, clinic.id, "completions.csv").data.decode("utf-8-sig"))
        )
    )
    assert completions[1][2:] == [
        "Sample Course for Tests",
        "2026-06-01T00:00+00:00",
        "1",
        certificate.code,
        f"http://localhost/verify/{certificate.code}",
    ]


def test_the_audit_pack_holds_stored_files_and_transcripts(
    app: Flask, clinic_with_staff, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    clinic, manager, kim, certificate = clinic_with_staff
    # Just issued, its PDF not drawn yet: the pack says so instead of leaving it out.
    early = audit_pack(manager, clinic.id)
    (note,) = [n for n in early.namelist() if n.endswith("-PDF-BEING-PREPARED.txt")]
    assert f"/verify/{certificate.code}" in early.read(note).decode()
    run_jobs()  # the certificate's PDF
    db.session.rollback()  # read what the job stored
    archive = audit_pack(manager, clinic.id)
    names = archive.namelist()
    folder = names[0].split("/")[0]
    assert "kim@example.org" in folder and "/" not in folder
    assert f"{folder}/certificates/sample-course-{certificate.code}.pdf" in names
    assert archive.read(f"{folder}/certificates/sample-course-{certificate.code}.pdf") == (
        certificate.pdf
    )
    assert (
        archive.read(
            f"{folder}/other-ce/2026-05-01-1.pdf".replace("-1.pdf", f"-{_credit_id(kim)}.pdf")
        )
        == b"%PDF-1.4 elsewhere"
    )
    assert archive.read(f"{folder}/transcript.pdf").startswith(b"%PDF")
    out = tmp_path / "pack.zip"
    result = runner.invoke(args=["ce", "audit-pack", "Harbour Clinic", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(zipfile.ZipFile(out).namelist()) == sorted(names)
    assert (
        "no clinic 'Nowhere'"
        in runner.invoke(args=["ce", "audit-pack", "Nowhere", "-o", str(out)]).output
    )


def ask_for_export(manager: FlaskClient, clinic_id: int, name: str) -> Any:
    """Press one of the dashboard's export buttons (``name``: the last part of its path)."""
    page = f"/clinics/{clinic_id}"
    return manager.post(
        f"/clinics/{clinic_id}/export/{name}", data={"csrf_token": csrf_token(manager, page)}
    )


def ask_for_audit_pack(manager: FlaskClient, clinic_id: int) -> Any:
    return ask_for_export(manager, clinic_id, "audit-pack")


def exported(manager: FlaskClient, clinic_id: int, name: str) -> Any:
    """Ask for an export, run its job (alone: other queued jobs wait), download it."""
    path = ask_for_export(manager, clinic_id, name).headers["Location"]
    assert jobs().task("build_export").call_local(int(path.rsplit("/", 1)[1])) == "ready"
    download = manager.get(path + "/download")
    assert download.status_code == 200
    return download


def audit_pack(manager: FlaskClient, clinic_id: int) -> zipfile.ZipFile:
    response = exported(manager, clinic_id, "audit-pack")
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _credit_id(user: User) -> int:
    return db.session.execute(db.select(ExternalCredit.id).filter_by(user_id=user.id)).scalar_one()


def test_reminders_go_once_a_day(
    app: Flask, clinic_with_staff, runner: FlaskCliRunner, make_user
) -> None:
    clinic, manager = clinic_with_staff[:2]
    join(app, manager, clinic, "lou@example.org", make_user)  # has not done the course
    before = set(outbox_dir().glob("*.eml"))
    with time_machine.travel("2026-11-24 12:00:00", tick=False):
        first = runner.invoke(args=["ce", "remind"])
        again = runner.invoke(args=["ce", "remind"])
    assert first.exit_code == 0, first.output
    assert f"staff:{clinic.id}: kim@example.org" in first.output
    assert f"digest:{clinic.id}: mia@example.org" in first.output
    assert again.output == "0 reminders sent\n"
    deliver_mail()
    sent = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in set(outbox_dir().glob("*.eml")) - before
    ]
    lou_mail = next(m for m in sent if m["To"] == "lou@example.org").get_content()
    assert "Sample Course for Tests is due on 1 December 2026" in lou_mail
    staff_mail = next(m for m in sent if m["To"] == "kim@example.org").get_content()
    assert "Sample Course" not in staff_mail  # Kim completed it
    assert (
        "NCBTMB Board Certification BC-1 is at risk: 4 of 24 hours, the cycle ends "
        "31 January 2027; missing: 20 more hours in all." in staff_mail
    )
    with time_machine.travel("2026-11-25 12:00:00", tick=False):
        next_day = runner.invoke(args=["ce", "remind"])
    assert "3 reminders sent" in next_day.output
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ReminderLog)) == 6
