"""Sign-up without enumeration: one answer for every address, an account that works only
after its emailed link, and limits on how often anyone may ask."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp import mail
from eduapp.extensions import db
from eduapp.models import AccountRequest, EmailVerification, LoginFailure, OutgoingMessage, User
from tests.auth.test_accounts import queued_subjects, user_by_email
from tests.conftest import PASSWORD, AuthActions, confirmation_link, csrf_token, deliver_mail

OTHER = "a different passphrase"
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" type="hidden" )value="[^"]+"')


def signed_in(client: FlaskClient) -> bool:
    return b"Sign out" in client.get("/").data


def test_a_new_account_works_only_after_its_link(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    response = auth.signup(confirm=False)
    assert response.headers["Location"] == "/signup/sent"
    assert "Check your email" in client.get("/signup/sent").get_data(as_text=True)
    assert not signed_in(client)
    assert user_by_email("ann@example.org").email_verified_at is None

    refused = auth.login()
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Confirm your email first" in page and "Send a new link" in page
    assert not signed_in(client)

    link = confirmation_link("ann@example.org")
    assert "Confirm my email" in client.get(link).get_data(as_text=True)  # GET changes nothing
    assert user_by_email("ann@example.org").email_verified_at is None
    done = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert done.headers["Location"] == "/"
    assert "Welcome, Ann Example" in client.get("/").get_data(as_text=True)
    db.session.rollback()
    assert user_by_email("ann@example.org").email_verified_at is not None
    # Single use, and stored only as a hash.
    assert client.get(link).headers["Location"] == "/login"
    token = link.rsplit("/", 1)[1]
    row = db.session.execute(db.select(EmailVerification)).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    auth.logout()
    assert auth.login().headers["Location"] == "/"


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_the_link_works_for_24_hours(client: FlaskClient, auth: AuthActions, clock: Any) -> None:
    auth.signup(confirm=False)
    link = confirmation_link("ann@example.org")
    clock.shift(timedelta(hours=23, minutes=59))
    assert client.get(link).status_code == 200
    clock.shift(timedelta(minutes=2))
    assert client.get(link).headers["Location"] == "/login"
    assert client.post(link, data={"csrf_token": csrf_token(client)}).status_code == 302
    assert user_by_email("ann@example.org").email_verified_at is None


def test_a_second_signup_for_an_unconfirmed_address_replaces_the_first(
    app: Flask, auth: AuthActions
) -> None:
    auth.signup(name="Squatter", password=OTHER, confirm=False)
    first = confirmation_link("ann@example.org")
    auth.signup()  # the address's owner, who follows the newest link
    client = app.test_client()
    assert client.get(first).headers["Location"] == "/login"  # the first link is dead
    db.session.rollback()
    user = user_by_email("ann@example.org")
    assert (user.name, user.email_verified_at is not None) == ("Ann Example", True)
    assert AuthActions(client).login(password=OTHER).status_code == 200  # not the squatter's
    assert AuthActions(client).login().headers["Location"] == "/"


def test_signing_up_with_a_taken_address_tells_its_owner_and_changes_nothing(
    auth: AuthActions, make_user
) -> None:
    owner = make_user()
    response = auth.signup(name="Mallory", password=OTHER)
    assert response.headers["Location"] == "/signup/sent"
    db.session.rollback()
    assert (user_by_email(owner.email).name, user_by_email(owner.email).password_hash) == (
        "Ann Example",
        owner.password_hash,
    )
    assert queued_subjects(owner.email) == ["Someone tried to sign up to eduapp with your address"]


def _answer(response: Any, email: str) -> tuple[int, str]:
    """Status and page, with the address and this client's own CSRF token blanked out."""
    page = CSRF_VALUE.sub('value="CSRF"', response.get_data(as_text=True))
    return response.status_code, page.replace(email, "EMAIL")


def test_signing_in_with_the_password_a_signup_gave_answers_alike(app: Flask, make_user) -> None:
    """Sign up with an address, then sign in with the password just chosen: the answer must
    not depend on whether the address already had an account (else the pair enumerates)."""
    make_user("taken@example.org")
    answers, resent = [], []
    for email in ("taken@example.org", "new@example.org"):
        client = app.test_client()
        AuthActions(client).signup(email=email, password=OTHER, confirm=False)
        answers.append(_answer(AuthActions(client).login(email=email, password=OTHER), email))
        db.session.rollback()
        before = db.session.scalar(db.select(db.func.count()).select_from(OutgoingMessage))
        token = csrf_token(client)
        again = client.post("/signup/resend", data={"csrf_token": token})
        page = client.get(again.headers["Location"])
        resent.append(_answer(page, email))
        db.session.rollback()
        after = db.session.scalar(db.select(db.func.count()).select_from(OutgoingMessage))
        assert after == before + 1
    assert answers[0] == answers[1]
    assert "Confirm your email first" in answers[0][1]
    assert resent[0] == resent[1]
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 0
    assert queued_subjects("taken@example.org")[-1].startswith("Someone tried")
    assert queued_subjects("new@example.org")[-1] == "Confirm your email for eduapp"


def test_a_wrong_password_for_an_unconfirmed_account_is_a_plain_failure(
    auth: AuthActions,
) -> None:
    auth.signup(confirm=False)
    response = auth.login(password=OTHER)
    assert b"That email and password do not match an account." in response.data
    assert b"Confirm your email first" not in response.data


def test_resend_needs_a_signin_attempt_first(client: FlaskClient, table_counts) -> None:
    before = table_counts()
    response = client.post("/signup/resend", data={"csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/login"
    assert table_counts() == before


def test_resend_sends_a_new_link_and_the_old_one_dies(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup(confirm=False)
    old = confirmation_link("ann@example.org")
    auth.login()
    client.post("/signup/resend", data={"csrf_token": csrf_token(client)})
    new = confirmation_link("ann@example.org")
    assert new != old
    assert client.get(old).headers["Location"] == "/login"
    assert client.post(new, data={"csrf_token": csrf_token(client, new)}).status_code == 302
    assert signed_in(client)


def test_a_reset_link_also_confirms_the_address(app: Flask, auth: AuthActions) -> None:
    from tests.auth.test_account_and_reset import NEW, request_reset, reset_link

    auth.signup(confirm=False)
    deliver_mail()
    for sent in mail.outbox_dir().glob("*.eml"):
        sent.unlink()  # the confirmation, left unused
    client = app.test_client()
    request_reset(client, "ann@example.org")
    path = reset_link(app)
    client.post(
        path, data={"csrf_token": csrf_token(client, path), "password": NEW, "confirm": NEW}
    )
    assert AuthActions(client).login(password=NEW).headers["Location"] == "/"


def test_an_invitation_to_the_address_lets_an_unconfirmed_account_in_and_confirms_it(
    app: Flask, make_user
) -> None:
    from tests.clinics.test_clinics import Outbox, invite, make_clinic

    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = app.test_client()
    AuthActions(kim).signup(email="kim@example.org", name="Kim", confirm=False)
    deliver_mail()  # the confirmation, which Kim does not use
    outbox = Outbox()
    invite(manager, clinic, "kim@example.org")
    link = outbox.link_to("kim@example.org")
    # Someone else's invitation proves nothing about this address.
    db.session.rollback()  # see what the requests committed before writing
    make_user("lou@example.org", "Lou")
    outbox = Outbox()
    invite(manager, clinic, "lou@example.org")
    lou_link = outbox.link_to("lou@example.org")
    refused = AuthActions(kim).login("kim@example.org", next=lou_link)
    assert b"Confirm your email first" in refused.data

    response = AuthActions(kim).login("kim@example.org", next=link)
    assert response.headers["Location"] == link
    kim.post(link, data={"consent": "y", "csrf_token": csrf_token(kim, link)})
    db.session.rollback()
    assert user_by_email("kim@example.org").email_verified_at is not None
    AuthActions(kim).logout()
    assert AuthActions(kim).login("kim@example.org").headers["Location"] == "/"


def _post_as(client: FlaskClient, path: str, ip: str, **data: str) -> Any:
    token = csrf_token(client)
    return client.post(path, data={**data, "csrf_token": token}, environ_base={"REMOTE_ADDR": ip})


def test_signups_are_limited_per_address_and_per_client(app: Flask) -> None:
    client = app.test_client()
    form = {"name": "A", "password": PASSWORD, "timezone": "UTC"}
    for n in range(5):
        assert (
            _post_as(client, "/signup", f"10.1.0.{n}", email="a@x.org", **form).status_code == 302
        )
    assert _post_as(client, "/signup", "10.1.0.9", email="a@x.org", **form).status_code == 429
    for n in range(19):
        _post_as(client, "/signup", "10.2.0.1", email=f"b{n}@x.org", **form)
    assert _post_as(client, "/signup", "10.2.0.1", email="c1@x.org", **form).status_code == 302
    limited = _post_as(client, "/signup", "10.2.0.1", email="c2@x.org", **form)
    assert limited.status_code == 429
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 21


def test_resets_are_limited_per_address_and_per_client(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    for n in range(5):
        assert _post_as(client, "/reset", f"10.1.0.{n}", email="ann@example.org").status_code == 302
    assert _post_as(client, "/reset", "10.1.0.9", email="ann@example.org").status_code == 429
    for n in range(20):
        assert _post_as(client, "/reset", "10.2.0.1", email=f"n{n}@x.org").status_code == 302
    assert _post_as(client, "/reset", "10.2.0.1", email="last@x.org").status_code == 429
    assert db.session.scalar(db.select(db.func.count()).select_from(AccountRequest)) == 25


def test_confirmations_and_resends_are_limited(app: Flask, auth: AuthActions) -> None:
    auth.signup(confirm=False)
    client = auth.client
    auth.login()
    for _ in range(5):
        assert _post_as(client, "/signup/resend", "10.1.0.1").status_code == 302
    assert _post_as(client, "/signup/resend", "10.1.0.2").status_code == 429
    link = confirmation_link("ann@example.org")
    fake = re.sub(r"[^/]+$", "x" * 43, link)
    for _ in range(20):
        assert _post_as(client, fake, "10.3.0.1").status_code == 302
    assert _post_as(client, link, "10.3.0.1").status_code == 429  # even the good link, for now
    assert _post_as(client, link, "10.3.0.2").headers["Location"] == "/"
