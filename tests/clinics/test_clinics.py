"""Clinics: creation, invitations and consent, the compliance dashboard, assignments, and two
clinics that never see each other's people."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from eduapp.ce.packs import import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.extensions import db
from eduapp.mail import outbox_dir
from eduapp.models import (
    Clinic,
    ClinicInvite,
    ClinicMember,
    ExternalCredit,
    Licence,
    RulePack,
    User,
)
from tests.conftest import AuthActions, csrf_token, deliver_mail
from tests.learn.test_course_pages import count_queries

RULES = Path(__file__).resolve().parents[2] / "ce-rules"


@pytest.fixture
def packs(app: Flask, imported: None) -> dict[str, RulePack]:
    import_packs(load_packs(RULES))
    db.session.commit()
    return {p.slug: p for p in db.session.execute(db.select(RulePack)).scalars()}


def signed_in(app: Flask, email: str, name: str, make_user, role: str = "learner") -> FlaskClient:
    db.session.rollback()  # see what requests committed before writing
    make_user(email, name, role=role)
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def make_clinic(app: Flask, make_user, name: str, manager: str) -> tuple[Clinic, FlaskClient]:
    admin = db.session.execute(db.select(User).filter_by(email="ada@example.org")).scalar()
    admin_client = app.test_client()
    if admin is None:
        db.session.rollback()
        make_user("ada@example.org", "Ada", role="admin")
    AuthActions(admin_client).login("ada@example.org")
    manager_client = signed_in(app, manager, name + " Manager", make_user)
    page = "/admin/clinics"
    admin_client.post(
        page,
        data={"name": name, "manager_email": manager, "csrf_token": csrf_token(admin_client, page)},
    )
    db.session.rollback()
    clinic = db.session.execute(db.select(Clinic).filter_by(name=name)).scalar_one()
    return clinic, manager_client


def invite(client: FlaskClient, clinic: Clinic, emails: str) -> object:
    page = f"/clinics/{clinic.id}/staff"
    return client.post(page, data={"emails": emails, "csrf_token": csrf_token(client, page)})


class Outbox:
    """The invitation links in messages sent after this point (mail file times can tie)."""

    def __init__(self) -> None:
        self.seen = set(outbox_dir().glob("*.eml")) if outbox_dir().exists() else set()

    def link_to(self, email: str) -> str:
        deliver_mail()
        new = [p for p in outbox_dir().glob("*.eml") if p not in self.seen]
        (text,) = [t for t in (p.read_text() for p in new) if f"To: {email}\n" in t]
        return re.search(r"http://localhost(/invites/\S+)", text).group(1)


def join(
    app: Flask, clinic_manager: FlaskClient, clinic: Clinic, email: str, make_user
) -> FlaskClient:
    outbox = Outbox()
    invite(clinic_manager, clinic, email)
    link = outbox.link_to(email)
    staff = signed_in(app, email, email.split("@")[0].title(), make_user)
    staff.post(link, data={"consent": "y", "csrf_token": csrf_token(staff, link)})
    return staff


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


def test_invitations_are_single_use_expire_and_can_be_resent_or_revoked(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    bad = invite(manager, clinic, "sam@example.org\nnot-an-address@")
    assert "These are not email addresses: not-an-address@" in bad.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 0
    outbox = Outbox()
    sent = invite(manager, clinic, "Sam@Example.org, kim@example.org; sam@example.org")
    assert sent.status_code == 302
    first = outbox.link_to("sam@example.org")
    db.session.rollback()
    assert sorted(r.email for r in db.session.execute(db.select(ClinicInvite)).scalars()) == [
        "kim@example.org",
        "sam@example.org",
    ]
    twice = invite(manager, clinic, "sam@example.org")
    assert twice.status_code == 302  # skipped with a message, nothing sent
    kim_invite = db.session.execute(
        db.select(ClinicInvite).filter_by(email="kim@example.org")
    ).scalar_one()
    token = csrf_token(manager, f"/clinics/{clinic.id}/staff")
    outbox = Outbox()
    manager.post(f"/clinics/{clinic.id}/invites/{kim_invite.id}/resend", data={"csrf_token": token})
    resent = outbox.link_to("kim@example.org")
    assert resent != first

    kim = signed_in(app, "kim@example.org", "Kim", make_user)
    page = kim.get(resent).get_data(as_text=True)
    assert "Share your CE with Harbour Clinic?" in page
    refused = kim.post(resent, data={"csrf_token": csrf_token(kim, resent)})
    assert "Tick the box to agree" in refused.get_data(as_text=True)
    kim.post(resent, data={"consent": "y", "csrf_token": csrf_token(kim, resent)})
    db.session.rollback()
    member = db.session.execute(db.select(ClinicMember).filter_by(role="staff")).scalar_one()
    assert member.consented_at is not None
    used = kim.get(resent)
    assert used.headers["Location"].endswith("/my-ce")  # single use

    # Sam's link opened by Kim's account: refused; Sam's revoked link: dead.
    sam_invite = db.session.execute(
        db.select(ClinicInvite).filter_by(email="sam@example.org")
    ).scalar_one()
    manager.post(
        f"/clinics/{clinic.id}/invites/{sam_invite.id}/revoke",
        data={"csrf_token": token, "confirmed": "yes"},
    )
    sam = signed_in(app, "sam@example.org", "Sam", make_user)
    assert sam.get(first).headers["Location"].endswith("/my-ce")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=15), tick=False):
        assert kim.get(resent).status_code == 302


def upload_list(manager: FlaskClient, clinic: Clinic, listing: bytes) -> TestResponse:
    """Invite by uploading a .csv list, as a manager does from the staff page."""
    page = f"/clinics/{clinic.id}/staff"
    return manager.post(
        page,
        data={
            "emails": "",
            "file": (io.BytesIO(listing), "staff.csv"),
            "csrf_token": csrf_token(manager, page),
        },
        content_type="multipart/form-data",
    )


def test_uploaded_lists_invite_everyone_on_them(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    response = upload_list(manager, clinic, b"name,email\nAva,ava@example.org\nBo,bo@example.org\n")
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 2


def test_an_uploaded_list_with_control_characters_invites_no_one(
    app: Flask, make_user, packs
) -> None:
    """A NUL in an uploaded list reached PostgreSQL inside an address, which it refuses: a
    500. Such a line is not an address; the form says so and nothing is sent."""
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    response = upload_list(manager, clinic, b"ava@example.org\nbo@example.org\x00\n")
    assert response.status_code == 200
    assert b"These are not email addresses: bo@example.org" in response.data
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 0


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
    filtered = manager.get(f"/clinics/{clinic.id}?status=complete").get_data(as_text=True)
    assert "TX-77" not in filtered

    # Leaving ends the sharing at once.
    staff.post(
        f"/clinics/{clinic.id}/leave",
        data={"csrf_token": csrf_token(staff, "/my-ce"), "confirmed": "yes"},
    )
    assert "TX-77" not in manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)


def test_assignments_show_as_the_next_due_course(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    page = f"/clinics/{clinic.id}/assignments"
    html = manager.get(page).get_data(as_text=True)
    course_id = re.search(r'<option value="(\d+)">Sample Course for Tests', html).group(1)
    outsider = make_user("out@example.org", "Out")
    tampered = manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2027-01-31",
            "who": str(outsider.id),
            "csrf_token": csrf_token(manager, page),
        },
    )
    assert "is not a valid choice for this field" in tampered.get_data(as_text=True)
    manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2027-01-31",
            "who": "all",
            "csrf_token": csrf_token(manager, page),
        },
    )
    board = manager.get(f"/clinics/{clinic.id}").get_data(as_text=True)
    assert "Sample Course for Tests, due 2027-01-31" in board
    # Chosen people only: two of three.
    join(app, manager, clinic, "lou@example.org", make_user)
    join(app, manager, clinic, "max@example.org", make_user)
    lou, max_ = (
        db.session.execute(db.select(User.id).filter_by(email=e)).scalar_one()
        for e in ("lou@example.org", "max@example.org")
    )
    manager.post(
        page,
        data={
            "course": course_id,
            "due_on": "2026-12-15",
            "who": [str(lou), str(max_)],
            "csrf_token": csrf_token(manager, page),
        },
    )
    listing = manager.get(page).get_data(as_text=True)
    assert listing.count("2026-12-15") == 2 and "All staff" in listing


CLINIC_PAGES = [
    ("get", "/clinics/{id}"),
    ("get", "/clinics/{id}/staff"),
    ("post", "/clinics/{id}/staff"),
    ("get", "/clinics/{id}/assignments"),
    ("post", "/clinics/{id}/assignments"),
    ("post", "/clinics/{id}/invites/{invite}/resend"),
    ("post", "/clinics/{id}/invites/{invite}/revoke"),
    ("get", "/clinics/{id}/export/dashboard.csv"),
    ("get", "/clinics/{id}/export/completions.csv"),
    ("get", "/clinics/{id}/export/audit-pack.zip"),
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


def add_staff(clinic: Clinic, count: int, pack: RulePack, prefix: str) -> None:
    db.session.rollback()
    users = [
        User(email=f"{prefix}{i}@example.org", name=f"Staff {i:03d}", password_hash="-")
        for i in range(count)
    ]
    db.session.add_all(users)
    db.session.flush()
    stamp = datetime.now(UTC)
    for user in users:
        db.session.add(
            ClinicMember(clinic_id=clinic.id, user_id=user.id, role="staff", consented_at=stamp)
        )
        db.session.add(
            Licence(
                user_id=user.id,
                pack_id=pack.id,
                number=f"BC-{user.id}",
                state="US",
                renewal_date=date(2027, 5, 31),
            )
        )
        db.session.add(
            ExternalCredit(
                user_id=user.id,
                title="Workshop",
                provider="P",
                completed_on=date(2026, 3, 1),
                hours=Decimal(3),
                topic="ethics",
                delivery="live",
                approved_by=["NCBTMB"],
            )
        )
    db.session.commit()


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
