"""Irreversible actions ask first, without JavaScript, and change nothing until confirmed."""

from __future__ import annotations

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import ClinicInvite, ClinicMember
from tests.clinics.test_clinics import invite, join, make_clinic, packs
from tests.conftest import csrf_token

__all__ = ["packs"]  # the fixture, used by name


@pytest.mark.usefixtures("packs")
def test_leaving_a_clinic_asks_first_and_the_answer_does_it(app: Flask, make_user) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    staff = join(app, manager, clinic, "kim@example.org", make_user)
    url = f"/clinics/{clinic.id}/leave"

    first = staff.post(url, data={"csrf_token": csrf_token(staff, "/my-ce")})
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Leave Harbour Clinic?" in html and "stops seeing your licences" in html
    assert 'name="confirmed" value="yes"' in html and 'href="/my-ce"' in html
    assert "<script" not in html.split("<main", 1)[1]  # the page needs no script
    db.session.rollback()
    member = db.session.execute(db.select(ClinicMember).filter_by(role="staff")).scalar_one()
    assert member.left_at is None  # asking changed nothing

    token = html.split('name="csrf_token" value="', 2)[2].split('"', 1)[0]
    done = staff.post(url, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 302
    db.session.rollback()
    assert db.session.get(ClinicMember, member.id).left_at is not None

    # Without a valid form the first post is still refused, confirmed or not.
    assert staff.post(url, data={"confirmed": "yes"}).status_code == 400


@pytest.mark.usefixtures("packs")
def test_revoking_an_invitation_asks_first_and_carries_nothing_else(app: Flask, make_user) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    invite(manager, clinic, "sam@example.org")
    db.session.rollback()
    row = db.session.execute(db.select(ClinicInvite)).scalar_one()
    url = f"/clinics/{clinic.id}/invites/{row.id}/revoke"
    token = csrf_token(manager, f"/clinics/{clinic.id}/staff")

    asked = manager.post(url, data={"csrf_token": token, "note": '"><b>x</b>'})
    html = asked.get_data(as_text=True)
    assert "Revoke the invitation to sam@example.org?" in html
    assert 'name="note" value="&#34;&gt;&lt;b&gt;x&lt;/b&gt;"' in html  # carried, escaped
    db.session.rollback()
    assert db.session.get(ClinicInvite, row.id).revoked_at is None

    manager.post(url, data={"csrf_token": token, "confirmed": "yes"})
    db.session.rollback()
    assert db.session.get(ClinicInvite, row.id).revoked_at is not None
    # Another clinic's manager gets 404 before any question is asked.
    _, other = make_clinic(app, make_user, "Other Clinic", "ola@example.org")
    stranger = other.post(url, data={"csrf_token": csrf_token(other, "/my-ce")})
    assert stranger.status_code == 404
