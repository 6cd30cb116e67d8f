"""Invitations: single-use links, resending and revoking, and the report of every entry of a
pasted or uploaded list that was not invited, with why."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask

from eduapp.clinics.invites import address_problem, read_list
from eduapp.extensions import db
from eduapp.models import ClinicInvite, ClinicMember
from tests.clinics.helpers import (
    Outbox,
    invite,
    join,
    make_clinic,
    packs,
    signed_in,
    upload_list,
)
from tests.conftest import csrf_token, deliver_mail

__all__ = ["packs"]  # the fixture


def test_invitations_are_single_use_expire_and_can_be_resent_or_revoked(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    outbox = Outbox()
    sent = invite(manager, clinic, "Sam@Example.org, kim@example.org")
    assert sent.status_code == 302  # everyone invited: nothing to report
    first = outbox.link_to("sam@example.org")
    db.session.rollback()
    assert sorted(r.email for r in db.session.execute(db.select(ClinicInvite)).scalars()) == [
        "kim@example.org",
        "sam@example.org",
    ]
    twice = invite(manager, clinic, "sam@example.org")
    assert "Already invited on" in twice.get_data(as_text=True)  # reported, nothing sent
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


def test_uploaded_lists_invite_everyone_on_them(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    response = upload_list(manager, clinic, b"name,email\nAva,ava@example.org\nBo,bo@example.org\n")
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 2


def test_an_uploaded_address_with_a_control_character_is_reported_not_invited(
    app: Flask, make_user, packs
) -> None:
    """A NUL in an uploaded list reached PostgreSQL inside an address, which it refuses: a
    500. Such an entry is not an address; the report says so and only the others are sent."""
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    response = upload_list(manager, clinic, b"ava@example.org\nbo@example.org\x00\n")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "bo@example.org\N{REPLACEMENT CHARACTER}" in html
    assert "Not an address: it contains a control character" in html
    db.session.rollback()
    assert [r.email for r in db.session.execute(db.select(ClinicInvite)).scalars()] == [
        "ava@example.org"
    ]


def report_rows(html: str) -> dict[str, str]:
    """The report's table: entry -> why it was not invited."""
    section = html.split('class="invite-report"', 1)[1].split("</section>", 1)[0]
    row = r'<tr><td class="num">\d+</td><td class="address">(.*?)</td><td>(.*?)</td></tr>'
    return dict(re.findall(row, section, re.S))


def test_a_pasted_list_reports_every_address_not_invited_and_why(
    app: Flask, make_user, packs
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    join(app, manager, clinic, "kim@example.org", make_user)
    invite(manager, clinic, "lou@example.org")
    deliver_mail()  # Lou's first invitation, before this list
    outbox = Outbox()
    listing = "\n".join(
        [
            "email",  # a header line: skipped, not reported
            "ava@example.org",
            "AVA@example.org ",  # the same address again
            "kim@example.org",  # already staff
            "lou@example.org",  # invited and waiting
            "not-an-address@",
            "jo@localhost",
            "two@@example.org",
            "jane.example.org",
            "first last@example.org",
            "Max Ray <max@example.org>",
        ]
    )
    response = invite(manager, clinic, listing)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 invitations sent." in html
    rows = report_rows(html)
    assert rows["AVA@example.org"] == "Listed more than once (handled once)"
    assert rows["kim@example.org"] == "Already on the staff"
    assert rows["lou@example.org"].startswith("Already invited on 24 November 2026 and waiting")
    assert "not sent again" in rows["lou@example.org"]
    assert rows["not-an-address@"] == "Not an address: it has nothing after the @"
    assert "has no dot" in rows["jo@localhost"]
    assert rows["two@@example.org"] == "Not an address: it has more than one @"
    assert rows["jane.example.org"] == "No @, so not an address"
    assert rows["first last@example.org"] == "Not an address: it contains a space"
    assert len(rows) == 8
    assert list(rows) == [  # in the list's order
        "AVA@example.org",
        "kim@example.org",
        "lou@example.org",
        "not-an-address@",
        "jo@localhost",
        "two@@example.org",
        "jane.example.org",
        "first last@example.org",
    ]
    assert '<td class="num">3</td><td class="address">AVA@example.org</td>' in html
    assert outbox.messages_to("ava@example.org") and outbox.messages_to("max@example.org")
    assert outbox.messages_to("lou@example.org") == []  # waiting: not resent
    db.session.rollback()
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 4
    )  # Kim, Lou, Ava, Max


def test_nothing_to_invite_says_so(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    html = invite(manager, clinic, "  \n").get_data(as_text=True)
    assert "Give at least one email address." in html


def test_a_list_is_read_line_by_line() -> None:
    found, problems = read_list('name,email\nAva,"ava@example.org"\nBo\n\n;cy@example.org')
    assert found == [
        (2, "ava@example.org", "ava@example.org"),
        (5, "cy@example.org", "cy@example.org"),
    ]
    assert problems == [(3, "Bo", "No @, so not an address")]
    assert address_problem("a@example.org") is None
    assert address_problem("@example.org") == "has nothing before the @"
    assert (
        address_problem("a@example..org")
        == "the part after the @ (example..org) is not a domain name"
    )
    assert address_problem("a" * 250 + "@x.org") == "is longer than 254 characters"
