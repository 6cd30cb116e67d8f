"""Stored data that forms would refuse (a licence renewing in year 1) never takes a page,
an export or the reminder run down: it shows as a row to correct."""

# ruff: noqa: F811 (the packs fixture is imported, then requested by name)

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from eduapp.extensions import db
from eduapp.models import Licence, RulePack, User
from tests.clinics.test_clinics import join, make_clinic, packs  # noqa: F401
from tests.clinics.test_exports import audit_pack, exported

PROBLEM = "The renewal date (0001-01-01) must be between 1900-01-01 and 2100-12-31"


@pytest.fixture
def two_clinics(app: Flask, make_user, packs: dict[str, RulePack]):
    alpha, alpha_manager = make_clinic(app, make_user, "Alpha Clinic", "mia@example.org")
    kim_client = join(app, alpha_manager, alpha, "kim@example.org", make_user)
    beta, beta_manager = make_clinic(app, make_user, "Beta Clinic", "max@example.org")
    join(app, beta_manager, beta, "lou@example.org", make_user)
    db.session.rollback()
    users = {u.email: u for u in db.session.execute(db.select(User)).scalars()}
    for email, renewal in (("kim@example.org", date(1, 1, 1)), ("lou@example.org", None)):
        db.session.add(
            Licence(
                user_id=users[email].id,
                pack_id=packs["ncbtmb"].id,
                number="BC-1",
                state="US",
                renewal_date=renewal or date(2027, 1, 31),
            )
        )
    db.session.commit()
    return alpha, alpha_manager, beta, kim_client


def test_pages_and_exports_show_the_row_to_correct(app: Flask, two_clinics) -> None:
    alpha, manager, _, kim = two_clinics
    board = manager.get(f"/clinics/{alpha.id}")
    assert board.status_code == 200
    html = board.get_data(as_text=True)
    assert "Needs correction" in html and PROBLEM in html
    assert "Staff by status: 1 needs correction, 0 overdue" in html
    my_ce = kim.get("/my-ce")
    assert my_ce.status_code == 200 and PROBLEM in my_ce.get_data(as_text=True)
    for path in ("/my-ce/transcript.csv", "/my-ce/transcript.pdf"):
        assert kim.get(path).status_code == 200
    csv_text = exported(manager, alpha.id, "dashboard.csv").get_data(as_text=True)
    assert '"needs correction"' in csv_text
    assert exported(manager, alpha.id, "completions.csv").mimetype == "text/csv"
    names = audit_pack(manager, alpha.id).namelist()
    assert any("kim" in name.lower() for name in names), names


def test_the_reminder_run_reports_the_row_and_reminds_every_clinic(
    app: Flask, two_clinics, runner: FlaskCliRunner
) -> None:
    alpha, _, beta, _ = two_clinics
    result = runner.invoke(args=["ce", "remind"])
    assert result.exit_code == 0, result.output
    assert f"staff:{alpha.id}: kim@example.org" in result.output  # told to correct it
    assert f"digest:{alpha.id}: mia@example.org" in result.output
    assert f"staff:{beta.id}: lou@example.org" in result.output  # the next clinic still ran


def test_a_clinic_that_still_fails_is_skipped_and_reported(
    app: Flask, two_clinics, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eduapp.clinics import reminders

    alpha, _, beta, _ = two_clinics
    real = reminders._messages

    def failing(clinic_id: int):
        if clinic_id == alpha.id:
            raise ValueError("year 0 is out of range")
        return real(clinic_id)

    monkeypatch.setattr(reminders, "_messages", failing)
    result = runner.invoke(args=["ce", "remind"])
    assert result.exit_code == 1
    assert f"skipped clinic {alpha.id} (Alpha Clinic): ValueError: year 0" in result.output
    assert f"staff:{beta.id}: lou@example.org" in result.output
    assert "1 clinic skipped" in result.output
