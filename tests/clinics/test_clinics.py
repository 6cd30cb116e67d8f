"""Clinics: creation, the compliance dashboard, licence corrections, and two clinics that
never see each other's people. Invitations, assignments, managers and removing staff have
their own files beside this one."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import ClinicInvite, Licence, User
from tests.clinics.helpers import (
    Outbox,
    add_staff,
    invite,
    join,
    make_clinic,
    packs,
    signed_in,
)
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import count_queries

# Other test modules import these helpers from here, as they did before the split.
__all__ = ["Outbox", "add_staff", "invite", "join", "make_clinic", "packs", "signed_in"]


def test_admins_create_clinics_and_name_a_manager(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    assert manager.get("/clinics").headers["Location"].endswith(f"/clinics/{clinic.id}")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")
    page = "/admin/clinics"
    again = admin.post(
        page,
        data={
            "name": "Harbour  Clinic",
            "manager_email": "mia@example.org",
            "csrf_token": csrf_token(admin, page),
        },
    )
    assert "A clinic called &#39;Harbour Clinic&#39; already exists." in again.get_data(
        as_text=True
    )
    nobody = admin.post(
        page,
        data={
            "name": "Other",
            "manager_email": "nobody@example.org",
            "csrf_token": csrf_token(admin, page),
        },
    )
    assert "No account has that email" in nobody.get_data(as_text=True)
    # Admins create clinics but do not see a clinic's staff.
    assert admin.get(f"/clinics/{clinic.id}").status_code == 404


@pytest.mark.clock("2026-11-24 12:00:00")
def test_the_dashboard_shows_staff_who_share_and_their_status(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    staff = join(app, manager, clinic, "kim@example.org", make_user)
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    db.session.add(
        Licence(
            user_id=kim.id,
            pack_id=packs["texas"].id,
            number="TX-77",
            state="TX",
            renewal_date=date(2027, 1, 15),  # 52 days away: at risk
        )
    )
    db.session.commit()
    # Someone invited but not yet accepted is not shown.
    invite(manager, clinic, "lou@example.org")
    html = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "Kim" in html and "TX-77" in html and "At risk" in html
    assert "lou@example.org" not in html
    assert 'role="img" aria-label="Staff by status: 0 overdue, 1 at risk' in html
    assert manager.get(f"/clinics/{clinic.id}?status=bogus").status_code == 400
    assert manager.get(f"/clinics/{clinic.id}?page=x").status_code == 400
    assert manager.get(f"/clinics/{clinic.id}?page=²").status_code == 400
    filtered = manager.get(f"/clinics/{clinic.id}?status=complete").get_data(as_text=True)
    assert "TX-77" not in filtered

    # Leaving ends the sharing at once.
    staff.post(
        f"/clinics/{clinic.id}/leave",
        data={"csrf_token": csrf_token(staff, "/my-ce"), "confirmed": "yes"},
    )
    assert "TX-77" not in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)


CLINIC_PAGES = [
    ("get", "/clinics/{id}"),
    ("get", "/clinics/{id}/staff"),
    ("post", "/clinics/{id}/staff"),
    ("get", "/clinics/{id}/assignments"),
    ("post", "/clinics/{id}/assignments"),
    ("post", "/clinics/{id}/invites/{invite}/resend"),
    ("post", "/clinics/{id}/invites/{invite}/revoke"),
    ("post", "/clinics/{id}/export/dashboard.csv"),
    ("post", "/clinics/{id}/export/completions.csv"),
    ("post", "/clinics/{id}/export/audit-pack"),
]


def test_two_clinics_never_see_each_others_people(app: Flask, make_user, packs) -> None:
    a, manager_a = make_clinic(app, make_user, "Clinic A", "ma@example.org")
    b, manager_b = make_clinic(app, make_user, "Clinic B", "mb@example.org")
    staff_a = join(app, manager_a, a, "sa@example.org", make_user)
    staff_b = join(app, manager_b, b, "sb@example.org", make_user)
    invite(manager_a, a, "pending-a@example.org")
    db.session.rollback()
    invite_a = db.session.execute(
        db.select(ClinicInvite).filter_by(email="pending-a@example.org")
    ).scalar_one()
    for method, template in CLINIC_PAGES:
        url = template.format(id=a.id, invite=invite_a.id)
        for who in (manager_b, staff_a, staff_b):
            token = csrf_token(who, "/my-ce")
            response = getattr(who, method)(url, data={"csrf_token": token})
            assert response.status_code == 404, (method, url)
        assert getattr(manager_a, method)(
            url, data={"csrf_token": csrf_token(manager_a, "/my-ce")}
        ).status_code in (200, 302)
    assert "sa@example.org" not in manager_b.get(f"/clinics/{b.id}").get_data(as_text=True)
    # Staff of B cannot leave A, which they never joined.
    assert (
        staff_b.post(
            f"/clinics/{a.id}/leave", data={"csrf_token": csrf_token(staff_b, "/my-ce")}
        ).status_code
        == 404
    )


def test_the_dashboard_runs_the_same_queries_for_10_and_200_staff(
    app: Flask, make_user, packs
) -> None:
    small, manager_small = make_clinic(app, make_user, "Small Clinic", "ms@example.org")
    large, manager_large = make_clinic(app, make_user, "Large Clinic", "ml@example.org")
    add_staff(small, 10, packs["ncbtmb"], "small")
    db.session.execute(db.update(User).values(email=User.email + ".small"))
    db.session.execute(
        db.update(User)
        .where(
            User.email.in_(
                ["ms@example.org.small", "ml@example.org.small", "ada@example.org.small"]
            )
        )
        .values(email=db.func.replace(User.email, ".small", ""))
    )
    db.session.commit()
    add_staff(large, 200, packs["ncbtmb"], "large")
    manager_small.get(f"/clinics/{small.id}")  # warm up: first requests load more
    manager_large.get(f"/clinics/{large.id}")
    with count_queries() as few:
        assert manager_small.get(f"/clinics/{small.id}?sort=name").status_code == 200
    with count_queries() as many:
        page = manager_large.get(f"/clinics/{large.id}?sort=name").get_data(as_text=True)
    assert len(many) == len(few), "\n".join(set(many) ^ set(few))
    assert "page 1 of 4" in page and "Staff 049" in page and "Staff 050" not in page
    second = manager_large.get(f"/clinics/{large.id}?sort=name&page=2").get_data(as_text=True)
    assert "Staff 050" in second


def test_managers_correct_a_licence_and_the_person_sees_it(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    staff = join(app, manager, clinic, "kim@example.org", make_user)
    other, other_manager = make_clinic(app, make_user, "Other Clinic", "oz@example.org")
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    licence = Licence(
        user_id=kim.id,
        pack_id=packs["florida"].id,
        number="MA1",
        state="FL",
        renewal_date=date(2027, 8, 31),
    )
    db.session.add(licence)
    db.session.commit()
    page = f"/clinics/{clinic.id}/staff/{kim.id}/licences/{licence.id}"
    assert f'href="{page}"' in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    wrong_day = manager.post(
        page,
        data={
            "number": "MA1",
            "renewal_date": "2027-08-30",
            "reason": "typo",
            "csrf_token": csrf_token(manager, page),
        },
    )
    assert "the next is 31 August 2027" in wrong_day.get_data(as_text=True)
    manager.post(
        page,
        data={
            "number": "MA12345",
            "renewal_date": "2027-08-31",
            "reason": "number from the board's site",
            "csrf_token": csrf_token(manager, page),
        },
    )
    db.session.rollback()
    assert db.session.get(Licence, licence.id).number == "MA12345"
    mine = " ".join(staff.get("/my-ce").get_data(as_text=True).split())
    assert "changed the number from MA1 to MA12345" in mine
    assert "Harbour Clinic" in mine and "number from the board" in mine
    # Another clinic's manager cannot reach it, nor can anyone once Kim leaves.
    other_page = f"/clinics/{other.id}/staff/{kim.id}/licences/{licence.id}"
    assert other_manager.get(other_page).status_code == 404
    assert other_manager.get(page).status_code == 404
    staff.post(
        f"/clinics/{clinic.id}/leave",
        data={"csrf_token": csrf_token(staff, "/my-ce"), "confirmed": "yes"},
    )
    assert manager.get(page).status_code == 404
