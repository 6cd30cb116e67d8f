"""Managers: the navigation entry that leads to their clinic, the email when named, and
co-managers (adding, removing, leaving; never the last one)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember, User
from tests.clinics.helpers import Outbox, make_clinic, packs, signed_in
from tests.conftest import csrf_token
from tests.learn.test_course_pages import count_queries

__all__ = ["packs"]  # the fixture


def nav(client: FlaskClient) -> str:
    html = client.get("/my-ce").get_data(as_text=True)
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def add_manager(client: FlaskClient, clinic: Clinic, email: str, confirmed: bool = False):
    page = f"/clinics/{clinic.id}/managers"
    return client.post(page, data={"email": email, "csrf_token": csrf_token(client, page)})


def remove_manager(client: FlaskClient, clinic: Clinic, user_id: int, confirmed: bool = True):
    data = {"csrf_token": csrf_token(client, "/my-ce")}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(f"/clinics/{clinic.id}/managers/{user_id}/remove", data=data)


def user_id(email: str) -> int:
    db.session.rollback()
    return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


def test_the_menu_leads_a_manager_to_their_clinic_or_clinics(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    assert f'<a href="/clinics/{clinic.id}">My clinic</a>' in nav(manager)
    learner = signed_in(app, "lee@example.org", "Lee", make_user)
    assert "My clinic" not in nav(learner)
    # A second clinic: the entry leads to the list of both.
    admin = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(admin).login("ada@example.org")
    admin.post(
        "/admin/clinics",
        data={
            "name": "Bay Clinic",
            "manager_email": "mia@example.org",
            "csrf_token": csrf_token(admin, "/admin/clinics"),
        },
    )
    assert '<a href="/clinics">My clinics</a>' in nav(manager)
    listing = manager.get("/clinics").get_data(as_text=True)
    assert "Bay Clinic" in listing and "Harbour Clinic" in listing


def test_the_menu_entry_costs_no_query_of_its_own(app: Flask, make_user, packs) -> None:
    """The user loader selects the clinics with the user: a page runs the same statements for
    a manager as for anyone else."""
    _, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    learner = signed_in(app, "lee@example.org", "Lee", make_user)
    counts = []
    for client in (learner, manager, learner, manager):
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[2] == counts[3], counts


def test_an_admin_naming_a_manager_emails_them_a_link(app: Flask, make_user, packs) -> None:
    outbox = Outbox()
    clinic, _ = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org", keep_mail=True)
    (message,) = outbox.messages_to("mia@example.org")
    assert "Subject: You are now a manager of Harbour Clinic on eduapp" in message
    assert f"http://localhost/clinics/{clinic.id}" in message
    assert "Ada named you a manager" in message


def test_a_manager_adds_a_co_manager_who_is_emailed_and_sees_the_clinic(
    app: Flask, make_user, packs
) -> None:
    clinic, mia = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    noa = signed_in(app, "noa@example.org", "Noa", make_user)
    assert noa.get(f"/clinics/{clinic.id}").status_code == 404
    outbox = Outbox()
    added = add_manager(mia, clinic, "Noa@Example.org")
    assert added.headers["Location"].endswith(f"/clinics/{clinic.id}/managers")
    (message,) = outbox.messages_to("noa@example.org")
    assert "Harbour Clinic Manager named you a manager of Harbour Clinic" in message
    assert f"http://localhost/clinics/{clinic.id}" in message
    assert noa.get(f"/clinics/{clinic.id}").status_code == 200
    assert "My clinic" in nav(noa)
    page = mia.get(f"/clinics/{clinic.id}/managers").get_data(as_text=True)
    assert "Noa" in page and "noa@example.org" in page

    again = add_manager(mia, clinic, "noa@example.org").get_data(as_text=True)
    assert "Noa is already a manager of Harbour Clinic." in again
    nobody = add_manager(mia, clinic, "ghost@example.org").get_data(as_text=True)
    assert "No account uses ghost@example.org. Ask them to create an eduapp account" in nobody
    db.session.rollback()
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(ClinicMember).filter_by(role="manager")
        )
        == 2
    )


def test_removing_a_co_manager_asks_first_and_then_ends_their_access(
    app: Flask, make_user, packs
) -> None:
    clinic, mia = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    noa = signed_in(app, "noa@example.org", "Noa", make_user)
    add_manager(mia, clinic, "noa@example.org")
    noa_id = user_id("noa@example.org")
    asked = remove_manager(mia, clinic, noa_id, confirmed=False)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Remove Noa as a manager of Harbour Clinic?" in html
    assert noa.get(f"/clinics/{clinic.id}").status_code == 200  # nothing changed yet
    done = remove_manager(mia, clinic, noa_id)
    assert done.headers["Location"].endswith(f"/clinics/{clinic.id}/managers")
    assert noa.get(f"/clinics/{clinic.id}").status_code == 404
    assert "My clinic" not in nav(noa)
    db.session.rollback()
    row = db.session.execute(
        db.select(ClinicMember).filter_by(user_id=noa_id, role="manager")
    ).scalar_one()
    assert row.left_at is not None and row.removed_by_id == user_id("mia@example.org")
    # Named again later: the same row comes back to life.
    add_manager(mia, clinic, "noa@example.org")
    assert noa.get(f"/clinics/{clinic.id}").status_code == 200


def test_the_last_manager_can_neither_leave_nor_be_removed(app: Flask, make_user, packs) -> None:
    clinic, mia = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    mia_id = user_id("mia@example.org")
    page = mia.get(f"/clinics/{clinic.id}/managers").get_data(as_text=True)
    assert "The only manager: add another before leaving." in page
    refused = remove_manager(mia, clinic, mia_id)
    assert refused.headers["Location"].endswith(f"/clinics/{clinic.id}/managers")
    shown = mia.get(refused.headers["Location"]).get_data(as_text=True)
    assert "You are the only manager of Harbour Clinic, and a clinic needs one" in shown
    assert mia.get(f"/clinics/{clinic.id}").status_code == 200

    # With a co-manager, Mia may leave; then Noa is the last and cannot be removed by anyone.
    noa = signed_in(app, "noa@example.org", "Noa", make_user)
    add_manager(mia, clinic, "noa@example.org")
    asked = remove_manager(mia, clinic, mia_id, confirmed=False).get_data(as_text=True)
    assert "Stop managing Harbour Clinic?" in asked and "Leave as manager" in asked
    left = remove_manager(mia, clinic, mia_id)
    assert left.headers["Location"].endswith("/clinics")
    assert mia.get(f"/clinics/{clinic.id}").status_code == 404
    noa_id = user_id("noa@example.org")
    remove_manager(noa, clinic, noa_id)
    assert noa.get(f"/clinics/{clinic.id}").status_code == 200
    assert remove_manager(mia, clinic, noa_id).status_code == 404  # Mia is no manager now
    db.session.rollback()
    row = db.session.execute(
        db.select(ClinicMember).filter_by(user_id=mia_id, role="manager")
    ).scalar_one()
    assert row.removed_by_id is None  # she left on her own


def test_a_tampered_removal_of_someone_who_is_not_a_manager_is_404(
    app: Flask, make_user, packs
) -> None:
    clinic, mia = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    signed_in(app, "lee@example.org", "Lee", make_user)
    assert remove_manager(mia, clinic, user_id("lee@example.org")).status_code == 404
    assert remove_manager(mia, clinic, 999_999).status_code == 404
    no_csrf = mia.post(f"/clinics/{clinic.id}/managers/{user_id('mia@example.org')}/remove")
    assert no_csrf.status_code == 400
    assert re.search(r"My clinic", nav(mia))


def test_two_managers_removing_each_other_at_once_leave_one(app: Flask, make_user, packs) -> None:
    """The count and the change happen under one lock (the clinic row on PostgreSQL, the
    write lock a POST takes on SQLite): one removal wins, the other finds the last manager."""
    from tests.test_concurrent_writes import burst

    clinic, mia = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    noa = signed_in(app, "noa@example.org", "Noa", make_user)
    add_manager(mia, clinic, "noa@example.org")
    targets = {id(mia): user_id("noa@example.org"), id(noa): user_id("mia@example.org")}
    tokens = {id(c): csrf_token(c, "/my-ce") for c in (mia, noa)}
    clinic_id = clinic.id  # read here: the threads have no app context to load it in
    statuses = burst(
        [mia, noa],
        lambda c: c.post(
            f"/clinics/{clinic_id}/managers/{targets[id(c)]}/remove",
            data={"csrf_token": tokens[id(c)], "confirmed": "yes"},
        ),
    )
    assert all(s in (302, 404) for s in statuses), statuses
    db.session.rollback()
    left = db.session.scalar(
        db.select(db.func.count())
        .select_from(ClinicMember)
        .filter_by(clinic_id=clinic_id, role="manager", left_at=None)
    )
    assert left == 1
