"""An invitation survives sign-in and sign-up: whoever opens a clinic's link signed out ends up
on that invitation's acceptance page, and the invitation proves the address it was sent to,
and nothing more."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import ClinicInvite, ClinicMember, OutgoingMessage
from tests.auth.test_accounts import queued_subjects, user_by_email
from tests.clinics.test_clinics import invite, make_clinic
from tests.conftest import PASSWORD, AuthActions, confirmation_link, csrf_token

CONFIRM = "Confirm your email for eduapp"


def invite_link(email: str) -> str:
    """The path of the newest invitation queued for this address."""
    db.session.rollback()  # see what the requests committed
    body = db.session.execute(
        db.select(OutgoingMessage.body)
        .where(OutgoingMessage.recipient == email, OutgoingMessage.body.contains("/invites/"))
        .order_by(OutgoingMessage.id.desc())
        .limit(1)
    ).scalar_one()
    match = re.search(r"http://localhost(/invites/\S+)", body)
    assert match
    return match.group(1)


@pytest.fixture
def invited(app: Flask, make_user) -> tuple[Any, str]:
    """Harbour Clinic, and the link it sent to kim@example.org (who has no account)."""
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    invite(manager, clinic, "kim@example.org")
    return clinic, invite_link("kim@example.org")


def sign_up(client: FlaskClient, next_path: str, email: str = "kim@example.org") -> Any:
    page = "/signup?next=" + quote(next_path, safe="")
    data = {
        "name": "Kim Lee",
        "email": email,
        "password": PASSWORD,
        "timezone": "UTC",
        "next": next_path,
        "csrf_token": csrf_token(client, page),
    }
    return client.post("/signup", data=data)


def signed_in(client: FlaskClient) -> bool:
    return b"Sign out" in client.get("/").data


def test_signing_up_through_the_invitation_lands_on_it_and_accepting_confirms(
    app: Flask, invited: tuple[Any, str]
) -> None:
    clinic, link = invited
    kim = app.test_client()
    to_login = kim.get(link)
    assert to_login.headers["Location"] == "/login?next=" + quote(link, safe="")
    login_page = kim.get(to_login.headers["Location"]).get_data(as_text=True)
    assert "Harbour Clinic</strong> invited <bdi>kim@example.org</bdi>" in login_page
    signup_href = f"/signup?next={link}"
    assert f'href="{signup_href}"' in login_page  # "Create an account" keeps the way back
    signup_page = kim.get(signup_href).get_data(as_text=True)
    assert 'value="kim@example.org"' in signup_page  # the invited address, filled in
    assert f'name="next" type="hidden" value="{link}"' in signup_page

    response = sign_up(kim, link)
    assert response.headers["Location"] == link
    assert CONFIRM not in queued_subjects("kim@example.org")  # the invitation proves it
    assert user_by_email("kim@example.org").email_verified_at is None  # until accepted
    page = kim.get(link).get_data(as_text=True)
    assert "Share your CE with Harbour Clinic?" in page

    kim.post(link, data={"consent": "y", "csrf_token": csrf_token(kim, link)})
    db.session.rollback()
    user = user_by_email("kim@example.org")
    assert user.email_verified_at is not None
    assert db.session.execute(
        db.select(ClinicMember).filter_by(clinic_id=clinic.id, user_id=user.id, role="staff")
    ).scalar_one()
    AuthActions(kim).logout()
    assert AuthActions(kim).login("kim@example.org").headers["Location"] == "/"


def test_a_different_address_still_needs_its_confirmation_then_goes_to_the_invitation(
    app: Flask, invited: tuple[Any, str]
) -> None:
    _, link = invited
    client = app.test_client()
    response = sign_up(client, link, email="kim.lee@example.net")
    assert response.headers["Location"] == f"/signup/sent?next={link}"
    assert not signed_in(client)
    assert queued_subjects("kim.lee@example.net") == [CONFIRM]
    sent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/login?next={link}"' in sent

    confirm = confirmation_link("kim.lee@example.net")
    done = client.post(confirm, data={"csrf_token": csrf_token(client, confirm)})
    assert done.headers["Location"] == link  # the way back was kept in this browser
    refused = client.get(link)  # but the invitation is for someone else's address
    assert refused.headers["Location"] == "/my-ce"
    db.session.rollback()
    assert db.session.execute(db.select(ClinicInvite)).scalar_one().accepted_at is None


def test_an_invitation_never_opens_an_account_that_is_already_confirmed(
    app: Flask, make_user, invited: tuple[Any, str]
) -> None:
    _, link = invited
    db.session.rollback()
    owner = make_user("kim@example.org", "Kim Owner")
    before = owner.password_hash
    client = app.test_client()
    response = sign_up(client, link)
    assert response.headers["Location"].startswith("/signup/sent")
    assert not signed_in(client)
    assert queued_subjects("kim@example.org")[-1].startswith("Someone tried to sign up")
    db.session.rollback()
    assert user_by_email("kim@example.org").password_hash == before
    assert user_by_email("kim@example.org").name == "Kim Owner"


@pytest.mark.parametrize("death", ["revoked", "expired", "used"])
def test_a_dead_invitation_proves_nothing(
    app: Flask, make_user, invited: tuple[Any, str], death: str
) -> None:
    _, link = invited
    db.session.rollback()
    row = db.session.execute(db.select(ClinicInvite)).scalar_one()
    if death == "revoked":
        row.revoked_at = now()
    elif death == "expired":
        row.expires_at = now() - timedelta(seconds=1)
    else:
        row.accepted_at = now()
    db.session.commit()
    client = app.test_client()
    opened = client.get(link)
    assert opened.headers["Location"] == "/login"  # told at once, before any sign-up
    assert "not valid any more" in client.get("/login").get_data(as_text=True)
    assert "invited" not in client.get("/signup?next=" + quote(link, safe="")).get_data(
        as_text=True
    )
    response = sign_up(client, link)
    assert response.headers["Location"].startswith("/signup/sent")
    assert not signed_in(client)
    assert queued_subjects("kim@example.org")[-1] == CONFIRM


@pytest.mark.parametrize(
    "tampered",
    [
        "//evil.example/invites/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/invites/{token}/../../account",
        "/invites/{token}?x=1",
        "/invites/{token}\n",
        "/invites/" + "A" * 43,
    ],
)
def test_tampered_next_values_go_nowhere_and_prove_nothing(
    app: Flask, invited: tuple[Any, str], tampered: str
) -> None:
    _, link = invited
    tampered = tampered.format(token=link.rsplit("/", 1)[1])
    client = app.test_client()
    form = client.get("/signup?next=" + quote(tampered, safe="")).get_data(as_text=True)
    assert "evil.example" not in form and "invited" not in form
    response = sign_up(client, tampered)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/signup/sent") and "evil.example" not in location
    assert not signed_in(client)
    assert queued_subjects("kim@example.org")[-1] == CONFIRM
    confirm = confirmation_link("kim@example.org")
    done = client.post(confirm, data={"csrf_token": csrf_token(client, confirm)})
    landed = done.headers["Location"]
    assert landed in ("/", tampered) and "evil.example" not in landed
    assert landed.startswith("/") and not landed.startswith("//")


def test_a_signed_in_person_is_sent_on_and_never_off_site(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    AuthActions(client).login()
    assert client.get("/signup?next=/my-ce").headers["Location"] == "/my-ce"
    assert client.get("/signup?next=//evil.example").headers["Location"] == "/"


def test_an_unconfirmed_sign_up_signs_in_through_the_invitation_with_remember_me(
    app: Flask, invited: tuple[Any, str]
) -> None:
    _, link = invited
    first = app.test_client()
    AuthActions(first).signup(email="kim@example.org", name="Kim", confirm=False)
    client = app.test_client()
    response = AuthActions(client).login("kim@example.org", remember=True, next=link)
    assert response.headers["Location"] == link
    assert client.get_cookie("remember") is not None
    assert "Share your CE with Harbour Clinic?" in client.get(link).get_data(as_text=True)


def test_a_password_reset_on_the_way_keeps_the_invitation(
    app: Flask, make_user, invited: tuple[Any, str]
) -> None:
    _, link = invited
    db.session.rollback()
    make_user("kim@example.org", "Kim")
    client = app.test_client()
    login_page = client.get("/login?next=" + quote(link, safe="")).get_data(as_text=True)
    reset_href = f"/reset?next={link}"
    assert f'href="{reset_href}"' in login_page
    client.post(
        "/reset", data={"csrf_token": csrf_token(client, reset_href), "email": "kim@example.org"}
    )
    db.session.rollback()
    body = db.session.execute(
        db.select(OutgoingMessage.body).where(OutgoingMessage.body.contains("/reset/"))
    ).scalar_one()
    path = re.search(r"http://localhost(/reset/\S+)", body).group(1)
    new = "another long pass phrase"
    done = client.post(
        path, data={"csrf_token": csrf_token(client, path), "password": new, "confirm": new}
    )
    assert done.headers["Location"] == f"/login?next={link}"
    response = AuthActions(client).login("kim@example.org", password=new, next=link)
    assert response.headers["Location"] == link


def test_the_header_links_keep_a_safe_next_only(app: Flask, invited: tuple[Any, str]) -> None:
    _, link = invited
    client = app.test_client()
    page = client.get(f"/login?next={link}").get_data(as_text=True)
    assert f'href="/signup?next={link}">Create account' in page
    evil = client.get("/login?next=//evil.example/").get_data(as_text=True)
    assert 'href="/signup">Create account' in evil and "evil.example" not in evil
