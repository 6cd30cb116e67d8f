"""A manager removes a staff member: sharing ends at once in every page and download, the
person keeps all their records and is told, and the clinic keeps one audit line."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import (
    Assignment,
    Certificate,
    ClinicMember,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    User,
)
from tests.clinics.helpers import Outbox, invite, make_clinic, packs
from tests.clinics.test_exports import audit_pack, clinic_with_staff, exported
from tests.conftest import AuthActions, csrf_token

__all__ = ["clinic_with_staff", "packs"]  # fixtures


def remove(manager: FlaskClient, clinic_id: int, user_id: int, confirmed: bool = True):
    data = {"csrf_token": csrf_token(manager, "/my-ce")}
    if confirmed:
        data["confirmed"] = "yes"
    return manager.post(f"/clinics/{clinic_id}/staff/{user_id}/remove", data=data)


def own_records(user_id: int) -> tuple[int, ...]:
    db.session.rollback()
    return tuple(
        db.session.scalar(
            db.select(db.func.count()).select_from(model).where(model.user_id == user_id)
        )
        for model in (Licence, Certificate, ExternalCredit, Enrolment)
    )


@pytest.mark.clock("2026-11-24 12:00:00")
def test_a_removed_staff_member_disappears_from_every_clinic_page_and_export(
    app: Flask, make_user, clinic_with_staff
) -> None:
    clinic, manager, kim, _ = clinic_with_staff
    kim = db.session.get(User, kim.id)
    kim.name = "Kim Lee"
    licence_id = db.session.execute(db.select(Licence.id).filter_by(user_id=kim.id)).scalar()
    course_id = db.session.execute(db.select(Course.id).filter_by(slug="sample-course")).scalar()
    db.session.add(
        Assignment(
            clinic_id=clinic.id,
            course_id=course_id,
            user_id=kim.id,
            due_on=date(2027, 1, 15),
            created_by_id=kim.id,
        )
    )
    db.session.commit()
    before = own_records(kim.id)
    assert all(before)
    licence_page = f"/clinics/{clinic.id}/staff/{kim.id}/licences/{licence_id}"
    assert manager.get(licence_page).status_code == 200
    assert "Kim Lee" in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)

    asked = remove(manager, clinic.id, kim.id, confirmed=False)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Remove Kim Lee from Harbour Clinic?" in html
    assert "Kim Lee" in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)

    done = remove(manager, clinic.id, kim.id)
    assert done.headers["Location"].endswith(f"/clinics/{clinic.id}/staff")
    flashed = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "Kim Lee is removed; the clinic no longer sees their CE." in flashed
    board = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "Kim Lee" not in board and "BC-1" not in board and "0 staff members" in board
    assert manager.get(licence_page).status_code == 404
    for export in ("dashboard.csv", "completions.csv"):
        text = exported(manager, clinic.id, export).get_data(as_text=True)
        assert len(list(csv.reader(io.StringIO(text)))) == 1, export  # the header only
    assert audit_pack(manager, clinic.id).namelist() == []

    staff_page = manager.get(f"/clinics/{clinic.id}/staff").get_data(as_text=True)
    sharing, former = staff_page.split("Former staff", 1)
    assert "Kim Lee" not in sharing.split("Staff sharing their CE", 1)[1]
    assert "Kim Lee" in former and "Removed by <bdi>Harbour Clinic Manager</bdi>" in former
    assert "24 November 2026" in former

    # Kim keeps every record; only the course assigned to Kim alone went with the membership.
    assert own_records(kim.id) == before
    assert [a.user_id for a in db.session.execute(db.select(Assignment)).scalars()] == [None]
    member = db.session.execute(db.select(ClinicMember).filter_by(user_id=kim.id)).scalar_one()
    assert member.consented_at is None and member.removed_by_id is not None

    kim_client = app.test_client()
    AuthActions(kim_client).login("kim@example.org")
    mine = " ".join(kim_client.get("/my-ce").get_data(as_text=True).split())
    assert "Harbour Clinic removed you from its staff on 24 November 2026" in mine
    assert "Clinics that see your CE" not in mine

    # Removed once is removed: again, or by someone else, is a 404; no CSRF token, a 400.
    assert remove(manager, clinic.id, kim.id).status_code == 404
    other, other_manager = make_clinic(app, make_user, "Other Clinic", "oz@example.org")
    assert remove(other_manager, clinic.id, kim.id).status_code == 404
    assert remove(other_manager, other.id, kim.id).status_code == 404

    # The clinic may invite Kim again later; once Kim accepts, the clinic sees Kim again.
    outbox = Outbox()
    again = invite(manager, clinic, "kim@example.org")
    assert again.status_code == 302
    link = outbox.link_to("kim@example.org")
    kim_client.post(link, data={"consent": "y", "csrf_token": csrf_token(kim_client, link)})
    assert "Kim Lee" in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "removed you" not in kim_client.get("/my-ce").get_data(as_text=True)


def test_removing_needs_the_form_token(app: Flask, make_user, clinic_with_staff) -> None:
    clinic, manager, kim, _ = clinic_with_staff
    response = manager.post(f"/clinics/{clinic.id}/staff/{kim.id}/remove")
    assert response.status_code == 400
    db.session.rollback()
    member = db.session.execute(db.select(ClinicMember).filter_by(user_id=kim.id)).scalar_one()
    assert member.left_at is None


def test_staff_who_leave_on_their_own_are_former_staff_too(
    app: Flask, make_user, clinic_with_staff
) -> None:
    clinic, manager, _, _ = clinic_with_staff
    kim = app.test_client()
    AuthActions(kim).login("kim@example.org")
    kim.post(
        f"/clinics/{clinic.id}/leave",
        data={"csrf_token": csrf_token(kim, "/my-ce"), "confirmed": "yes"},
    )
    former = manager.get(f"/clinics/{clinic.id}/staff").get_data(as_text=True)
    assert "Left on their own" in former.split("Former staff", 1)[1]
    assert "removed you" not in kim.get("/my-ce").get_data(as_text=True)
