"""The dashboard reads stored compliance summaries (``eduapp.clinics.summaries``): every
write that changes a person's compliance shows on the manager's very next request. Each
write here goes through the route a person uses."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import ComplianceSummary, ExternalCredit, Licence, User
from tests.ce.test_my_ce import add_licence, record
from tests.certificates.test_certificates import evaluate, make_ce_course, pass_everything
from tests.clinics.helpers import Outbox, invite, join, make_clinic, packs
from tests.conftest import AuthActions, csrf_token

__all__ = ["packs"]  # the fixture


def row_of(manager: FlaskClient, clinic_id: int, email: str) -> str:
    """The person's row of the dashboard, as text without tags."""
    html = manager.get(f"/clinics/{clinic_id}?q={email}").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S)
    (row,) = [r for r in rows if email in r]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def chart(manager: FlaskClient, clinic_id: int) -> str:
    """What the stored summaries say: the chart's counts and the hours counted of required
    (the rows shown are assessed afresh on each request; these are not)."""
    html = manager.get(f"/clinics/{clinic_id}").get_data(as_text=True)
    counts = re.search(r'aria-label="Staff by status: ([^"]*)"', html).group(1)
    hours = re.search(r"across all licences: (\S+ of \S+) required", html).group(1)
    return f"{counts}; {hours} h"


def stored_generation(email: str) -> tuple[int | None, int | None]:
    db.session.rollback()
    return db.session.execute(
        db.select(ComplianceSummary.generation, ComplianceSummary.computed_generation)
        .join(User, User.id == ComplianceSummary.user_id)
        .where(User.email == email)
    ).one()


@pytest.mark.clock("2026-11-24 12:00:00")
def test_licences_and_ce_records_show_on_the_next_request(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    assert "No licence" in row_of(manager, clinic.id, "kim@example.org")
    assert add_licence(kim, packs["ncbtmb"], "BC-1", "2027-05-31").status_code == 302
    row = row_of(manager, clinic.id, "kim@example.org")
    assert "BC-1: 0/24 h, renews 2027-05-31 (on track)" in row
    assert "1 on track" in chart(manager, clinic.id)

    # A CE record with its uploaded file counts at once; deleting it takes it away again.
    assert record(kim, hours="6", completed_on="2026-10-01").status_code == 302
    assert "BC-1: 6/24 h" in row_of(manager, clinic.id, "kim@example.org")
    assert chart(manager, clinic.id).endswith("; 6 of 24 h")
    generation, computed = stored_generation("kim@example.org")
    assert generation == computed  # the request stored what it computed
    db.session.rollback()
    credit = db.session.execute(db.select(ExternalCredit)).scalar_one()
    kim.post(
        f"/my-ce/external/{credit.id}/delete",
        data={"csrf_token": csrf_token(kim, "/my-ce"), "confirmed": "yes"},
    )
    assert "BC-1: 0/24 h" in row_of(manager, clinic.id, "kim@example.org")
    assert chart(manager, clinic.id).endswith("; 0 of 24 h")

    # Editing the licence's renewal date moves its status; deleting it leaves no licence.
    db.session.rollback()
    licence = db.session.execute(db.select(Licence)).scalar_one()
    page = f"/my-ce/licences/{licence.id}/edit"
    edited = kim.post(
        page,
        data={
            "pack": str(packs["ncbtmb"].id),
            "number": "BC-1",
            "renewal_date": "2027-01-31",
            "csrf_token": csrf_token(kim, page),
        },
    )
    assert edited.status_code == 302
    assert "renews 2027-01-31 (at risk)" in row_of(manager, clinic.id, "kim@example.org")
    assert "1 at risk" in chart(manager, clinic.id)
    kim.post(
        f"/my-ce/licences/{licence.id}/delete",
        data={"csrf_token": csrf_token(kim, "/my-ce"), "confirmed": "yes"},
    )
    assert "No licence" in row_of(manager, clinic.id, "kim@example.org")
    assert (
        chart(manager, clinic.id)
        == "0 overdue, 0 at risk, 0 on track, 0 complete, 1 no licence; 0 of 0 h"
    )


@pytest.mark.clock("2026-11-24 12:00:00")
def test_a_managers_licence_correction_shows_on_the_next_request(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    db.session.rollback()
    kim = db.session.execute(db.select(User).filter_by(email="kim@example.org")).scalar_one()
    licence = Licence(
        user_id=kim.id,
        pack_id=packs["ncbtmb"].id,
        number="BC-2",
        state="US",
        renewal_date=date(2028, 5, 31),
    )
    db.session.add(licence)
    db.session.commit()
    assert "(on track)" in row_of(manager, clinic.id, "kim@example.org")
    assert "1 on track" in chart(manager, clinic.id)
    page = f"/clinics/{clinic.id}/staff/{kim.id}/licences/{licence.id}"
    manager.post(
        page,
        data={
            "number": "BC-2",
            "renewal_date": "2026-10-31",
            "reason": "the board's site says October",
            "csrf_token": csrf_token(manager, page),
        },
    )
    assert "renews 2026-10-31 (overdue)" in row_of(manager, clinic.id, "kim@example.org")
    assert chart(manager, clinic.id).startswith("1 overdue, 0 at risk, 0 on track")
    overdue = manager.get(f"/clinics/{clinic.id}?status=overdue").get_data(as_text=True)
    assert "kim@example.org" in overdue


def test_certificates_issued_and_revoked_show_on_the_next_request(
    app: Flask, make_user, packs, imported: None
) -> None:
    make_ce_course()  # approved by NCBTMB
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    add_licence(kim, packs["ncbtmb"], "BC-3", "2027-05-31")
    assert row_of(manager, clinic.id, "kim@example.org").endswith("— 0")
    pass_everything(kim)
    code = evaluate(kim).headers["Location"].rsplit("/", 1)[1]
    row = row_of(manager, clinic.id, "kim@example.org")
    assert "BC-3: 1/24 h" in row and row.endswith("— 1")  # hours and the certificate count
    assert chart(manager, clinic.id).endswith("; 1 of 24 h")

    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")  # make_clinic made Ada an admin
    revoked = admin.post(
        f"/admin/certificates/{code}/revoke",
        data={
            "csrf_token": csrf_token(admin, "/admin/certificates"),
            "reason": "issued in error",
            "confirmed": "yes",
        },
    )
    assert revoked.status_code == 302
    row = row_of(manager, clinic.id, "kim@example.org")
    assert "BC-3: 0/24 h" in row and row.endswith("— 0")
    assert chart(manager, clinic.id).endswith("; 0 of 24 h")


@pytest.mark.clock("2026-11-24 12:00:00")
def test_an_admins_rule_edit_shows_on_the_next_request(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    add_licence(kim, packs["ncbtmb"], "BC-4", "2027-05-31")
    assert "BC-4: 0/24 h" in row_of(manager, clinic.id, "kim@example.org")
    assert chart(manager, clinic.id).endswith("; 0 of 24 h")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.org")  # make_clinic made Ada an admin
    page = "/admin/rules/ncbtmb/2020-01-01"
    rules = "effective_from: 2020-01-01\ncycle: {months: 24, anchor: licence}\ntotal_hours: 30\n"
    saved = admin.post(
        page,
        data={"definition": rules, "note": "more hours", "csrf_token": csrf_token(admin, page)},
    )
    assert saved.status_code == 302
    assert "BC-4: 0/30 h" in row_of(manager, clinic.id, "kim@example.org")
    assert chart(manager, clinic.id).endswith("; 0 of 30 h")


@pytest.mark.clock("2026-11-24 12:00:00")
def test_joining_and_leaving_show_on_the_next_request(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    assert chart(manager, clinic.id).startswith("0 overdue, 0 at risk, 0 on track")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    add_licence(kim, packs["ncbtmb"], "BC-5", "2027-01-31")
    assert "1 at risk" in chart(manager, clinic.id)
    kim.post(
        f"/clinics/{clinic.id}/leave",
        data={"csrf_token": csrf_token(kim, "/my-ce"), "confirmed": "yes"},
    )
    assert "0 at risk" in chart(manager, clinic.id)
    # Her stored summary stays hers: a second clinic she joins sees it, fresh.
    other, other_manager = make_clinic(app, make_user, "Other Clinic", "oz@example.org")
    outbox = Outbox()
    invite(other_manager, other, "kim@example.org")
    link = outbox.link_to("kim@example.org")
    kim.post(link, data={"consent": "y", "csrf_token": csrf_token(kim, link)})
    assert "renews 2027-01-31 (at risk)" in row_of(other_manager, other.id, "kim@example.org")
    assert "1 at risk" in chart(other_manager, other.id)


@pytest.mark.clock("2026-11-24 12:00:00")
def test_a_new_name_is_searched_and_sorted_on_the_next_request(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    join(app, manager, clinic, "lou@example.org", make_user)
    names = manager.get(f"/clinics/{clinic.id}?sort=name").get_data(as_text=True)
    assert names.index("kim@example.org") < names.index("lou@example.org")
    kim.post(
        "/account",
        data={"name": "Zoë Kim", "timezone": "UTC", "csrf_token": csrf_token(kim, "/")},
    )
    found = manager.get(f"/clinics/{clinic.id}?q=ZOË").get_data(as_text=True)
    assert "kim@example.org" in found and "lou@example.org" not in found
    names = manager.get(f"/clinics/{clinic.id}?sort=name").get_data(as_text=True)
    assert names.index("lou@example.org") < names.index("kim@example.org")
