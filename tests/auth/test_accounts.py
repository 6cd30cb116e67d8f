"""Sign-up, sign-in and sign-out through HTTP, as a browser does them (CSRF on)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from eduapp.auth.passwords import hasher
from eduapp.auth.views import safe_next
from eduapp.extensions import db
from eduapp.models import LoginFailure, OutgoingMessage, User
from tests.conftest import PASSWORD, AuthActions, csrf_token


def queued_subjects(email: str) -> list[str]:
    db.session.rollback()
    return list(
        db.session.execute(
            db.select(OutgoingMessage.subject)
            .filter_by(recipient=email)
            .order_by(OutgoingMessage.id)
        ).scalars()
    )


def user_by_email(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


@pytest.mark.real_password_hashing
def test_signup_creates_a_learner_and_signs_in(client: FlaskClient, auth: AuthActions) -> None:
    response = auth.signup(email="  Ann@Example.ORG ", timezone="America/Chicago")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = user_by_email("ann@example.org")
    assert (user.name, user.role, user.timezone) == ("Ann Example", "learner", "America/Chicago")
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert b"Sign out" in client.get("/").data


def test_signup_normalises_unicode_so_lookalikes_collide(
    auth: AuthActions, client: FlaskClient
) -> None:
    auth.signup(email="ann@example.org")
    auth.logout()
    # Fullwidth letters are NFKC-equal to ASCII ones: the same account, so no second one is
    # made; the answer is the usual one, and the owner hears of the attempt.
    response = auth.signup(email="\uff21\uff2e\uff2e@example.org", name="Mallory")
    assert response.headers["Location"] == "/signup/sent"
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert user_by_email("ann@example.org").name == "Ann Example"
    assert queued_subjects("ann@example.org") == [
        "Confirm your email for eduapp",
        "Someone tried to sign up to eduapp with your address",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short", b"Use between 8 and 1024 characters."),
        ("email", "not-an-email", b"Enter an email address like name@example.org."),
        ("name", "", b"This field is required."),
        ("timezone", "Mars/Olympus", b"Unknown time zone"),
        ("name", "x" * 121, b"Field cannot be longer than 120 characters."),
    ],
)
def test_signup_errors_name_the_field_and_write_nothing(
    client: FlaskClient, field: str, value: str, message: bytes, table_counts
) -> None:
    before = table_counts()
    data = {"name": "Ann", "email": "ann@example.org", "password": PASSWORD, "timezone": "UTC"}
    data[field] = value
    response = client.post("/signup", data={**data, "csrf_token": csrf_token(client, "/signup")})
    assert response.status_code == 200
    assert message in response.data
    assert f'id="{field}-error"'.encode() in response.data
    assert table_counts() == before


def test_long_unicode_passphrase_is_accepted(auth: AuthActions, client: FlaskClient) -> None:
    phrase = "ünïcödé pässphräse " * 5
    auth.signup(password=phrase)
    auth.logout()
    assert auth.login(password=phrase).status_code == 302


def test_login_and_logout(client: FlaskClient, auth: AuthActions, make_user) -> None:
    make_user()
    response = auth.login(email=" ANN@example.org")
    assert response.headers["Location"] == "/"
    assert b"Sign out" in client.get("/").data
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert b"Sign in" in client.get("/").data


def test_unknown_email_and_wrong_password_answer_alike(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    wrong = auth.login(password="wrong password")
    unknown = auth.login(email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 200
    message = b"That email and password do not match an account."
    assert message in wrong.data and message in unknown.data
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 2


def test_ten_failures_lock_the_account_for_fifteen_minutes(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    with time_machine.travel("2026-11-23 10:00:00", tick=False) as frozen:
        for _ in range(10):
            assert auth.login(password="wrong password").status_code == 200
        # Even the right password is refused while the account is limited.
        limited = auth.login()
        assert limited.status_code == 429
        assert b"Too many tries" in limited.data
        frozen.shift(timedelta(minutes=14, seconds=59))
        assert auth.login().status_code == 429
        frozen.shift(timedelta(seconds=2))
        assert auth.login().status_code == 302


def test_ten_failures_from_one_address_limit_every_account(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    auth = AuthActions(client)
    for i in range(10):
        auth.login(email=f"guess{i}@example.org")
    assert auth.login().status_code == 429
    # Another address is not limited.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert AuthActions(other).login().status_code == 302


@pytest.mark.real_password_hashing
def test_login_rehashes_old_parameters(client: FlaskClient, auth: AuthActions, make_user) -> None:
    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert auth.login().status_code == 302
    db.session.refresh(user)
    assert not hasher().check_needs_rehash(user.password_hash)


def test_logout_ends_other_sessions_and_replayed_cookies(app: Flask, make_user) -> None:
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).login()
    AuthActions(phone).login(remember=True)
    stolen = laptop.get_cookie("session").value
    AuthActions(laptop).logout()
    assert b"Sign in" in phone.get("/").data  # the other device is signed out too
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/account").status_code == 302


def test_remember_me_cookie_lasts_30_days_with_session_flags(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    response = auth.login(remember=True)
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember=")]
    assert cookies
    cookie = cookies[0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    lifetime = expires - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)


def test_remember_cookie_signs_in_after_the_session_is_gone(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    AuthActions(client).login(remember=True)
    remember = client.get_cookie("remember").value
    fresh = app.test_client()
    fresh.set_cookie("remember", remember)
    assert fresh.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/courses/x", "/courses/x"),
        ("/account?tab=1", "/account?tab=1"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("/ok\r\nSet-Cookie: x", None),
        ("", None),
        (None, None),
    ],
)
def test_next_only_redirects_within_the_site(target: str | None, allowed: str | None) -> None:
    assert safe_next(target) == allowed


def test_login_follows_a_safe_next_and_ignores_others(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    page = client.get("/login?next=//evil.example/").get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in page
    assert auth.login(next="https://evil.example/").headers["Location"] == "/"
    auth.logout()
    assert auth.login(next="/account").headers["Location"] == "/account"


def test_protected_page_sends_anonymous_users_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_missing_csrf_token_is_refused_with_a_clear_message(
    client: FlaskClient, make_user, table_counts
) -> None:
    before = table_counts()
    response = client.post(
        "/signup", data={"name": "A", "email": "a@b.org", "password": PASSWORD, "timezone": "UTC"}
    )
    assert response.status_code == 400
    assert b"Form expired" in response.data
    assert table_counts() == before


def test_non_utf8_form_field_is_refused(client: FlaskClient, table_counts) -> None:
    before = table_counts()
    token = csrf_token(client, "/signup")
    body = f"csrf_token={token}&name=%ff%fe&email=a%40b.org&password=longenough1&timezone=UTC"
    response = client.post("/signup", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert b"not valid UTF-8" in response.data
    assert table_counts() == before


def test_oversized_form_is_refused(client: FlaskClient, table_counts) -> None:
    before = table_counts()
    token = csrf_token(client, "/signup")
    response = client.post(
        "/signup", data={"csrf_token": token, "name": "x" * 300_000, "email": "a@b.org"}
    )
    assert response.status_code == 413
    assert b"larger than we accept" in response.data
    assert table_counts() == before


def test_signed_in_user_visiting_signup_goes_home(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    assert client.get("/signup").headers["Location"] == "/"


def test_logout_needs_post_and_a_token(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert b"Sign out" in client.get("/").data
