"""The account page, password changes, and password reset by mailed single-use token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from eduapp import mail
from eduapp.extensions import db
from eduapp.models import PasswordResetToken, User
from tests.conftest import PASSWORD, AuthActions, csrf_token, deliver_mail
from tests.mail.smtp_sink import SMTPSink

NEW = "a brand new passphrase"


def outbox(app: Flask) -> list:
    """What the sender delivered to the outbox folder, once it has run."""
    deliver_mail()
    folder = Path(app.config["FILES_DIR"]) / "outbox"
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


@pytest.fixture(autouse=True)
def _empty_outbox(app: Flask) -> Iterator[None]:
    yield
    for f in (Path(app.config["FILES_DIR"]) / "outbox").glob("*.eml"):
        f.unlink()


def test_account_page_updates_name_and_time_zone(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    user = make_user()
    auth.login()
    page = client.get("/account").get_data(as_text=True)
    assert "ann@example.org" in page and '<option selected value="UTC">' in page
    token = csrf_token(client, "/account")
    response = client.post(
        "/account", data={"csrf_token": token, "name": "Ann B", "timezone": "Europe/Paris"}
    )
    assert response.headers["Location"] == "/account"
    db.session.refresh(user)
    assert (user.name, user.timezone) == ("Ann B", "Europe/Paris")


def test_account_rejects_unknown_time_zone(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    auth.login()
    token = csrf_token(client, "/account")
    response = client.post(
        "/account", data={"csrf_token": token, "name": "Ann", "timezone": "Nowhere/Land"}
    )
    assert response.status_code == 200
    assert b"Unknown time zone" in response.data


def test_change_password_ends_other_sessions_but_keeps_this_one(app: Flask, make_user) -> None:
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).login()
    AuthActions(phone).login()
    token = csrf_token(laptop, "/account")
    response = laptop.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": NEW,
            "confirm": NEW,
        },
    )
    assert response.headers["Location"] == "/account"
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    assert AuthActions(app.test_client()).login(password=NEW).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password", NEW, NEW, b"Your current password is not correct."),
        (PASSWORD, "short", "short", b"Use between 8 and 1024 characters."),
        (PASSWORD, NEW, NEW + "x", b"The two passwords differ."),
    ],
)
def test_change_password_errors(
    client: FlaskClient,
    auth: AuthActions,
    make_user,
    current: str,
    new: str,
    confirm: str,
    message: bytes,
) -> None:
    user = make_user()
    auth.login()
    before = user.password_hash
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": current,
            "new_password": new,
            "confirm": confirm,
        },
    )
    assert response.status_code == 200
    assert message in response.data
    db.session.refresh(user)
    assert user.password_hash == before


def request_reset(client: FlaskClient, email: str) -> None:
    response = client.post(
        "/reset", data={"csrf_token": csrf_token(client, "/reset"), "email": email}
    )
    assert response.headers["Location"] == "/login"


def reset_link(app: Flask) -> str:
    (message,) = outbox(app)
    match = re.search(r"http://localhost(/reset/\S+)", message.get_content())
    assert match
    return match.group(1)


def test_password_reset_end_to_end(app: Flask, client: FlaskClient, make_user) -> None:
    make_user()
    other = app.test_client()
    AuthActions(other).login()
    request_reset(client, "ANN@example.org ")
    (message,) = outbox(app)
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Reset your eduapp password"
    path = reset_link(app)
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/login"
    assert AuthActions(client).login(password=NEW).status_code == 302
    assert other.get("/account").status_code == 302  # old sessions ended
    # Single use: the link is dead now.
    assert client.get(path).headers["Location"] == "/reset"
    stored = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    assert path.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept


def test_reset_for_unknown_email_says_the_same_and_sends_no_link(
    app: Flask, client: FlaskClient
) -> None:
    client.post(
        "/reset", data={"csrf_token": csrf_token(client, "/reset"), "email": "ghost@example.org"}
    )
    page = client.get("/login").get_data(as_text=True)
    assert "If that email has an account, a reset link is on its way." in page
    # The address's owner (only they) learns there is no account; there is nothing to reset.
    (message,) = outbox(app)
    assert message["To"] == "ghost@example.org"
    assert "no account uses it" in message.get_content()
    assert "/reset/" not in message.get_content()
    assert db.session.scalar(db.select(db.func.count()).select_from(PasswordResetToken)) == 0


def test_reset_link_expires_after_an_hour(app: Flask, client: FlaskClient, make_user) -> None:
    make_user()
    with time_machine.travel("2026-11-23 10:00:00", tick=False) as frozen:
        request_reset(client, "ann@example.org")
        path = reset_link(app)
        frozen.shift(timedelta(minutes=59))
        assert client.get(path).status_code == 200
        frozen.shift(timedelta(minutes=2))
        response = client.get(path)
        assert response.headers["Location"] == "/reset"


def test_bogus_and_oversized_reset_tokens(client: FlaskClient) -> None:
    assert client.get("/reset/not-a-token").headers["Location"] == "/reset"
    assert client.get("/reset/" + "x" * 500).headers["Location"] == "/reset"


def test_mail_goes_through_smtp_when_configured(app: Flask) -> None:
    with SMTPSink() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(sink.port), SMTP_TLS="0")
        try:
            mail.queue("ann@example.org", "Hello", "Body text")
            db.session.commit()
            assert outbox(app) == []  # runs the sender, which used SMTP
        finally:
            app.config.update(SMTP_HOST=None)
    assert b"Subject: Hello" in sink.received[-1]


def test_users_cli_create_and_set_role(app: Flask, runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUAPP_NEW_PASSWORD", PASSWORD)
    result = runner.invoke(
        args=["users", "create", "Admin@Example.org", "--name", "Ada Admin", "--role", "admin"]
    )
    assert result.output == "created admin@example.org (admin)\n"
    duplicate = runner.invoke(args=["users", "create", "admin@example.org", "--name", "Again"])
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    result = runner.invoke(args=["users", "set-role", "ADMIN@example.org", "instructor"])
    assert result.output == "admin@example.org is now instructor\n"
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.role == "instructor"
    assert runner.invoke(args=["users", "set-role", "nobody@x.org", "admin"]).exit_code == 1
    assert runner.invoke(args=["users", "set-role", "admin@example.org", "emperor"]).exit_code == 2


def test_users_cli_prompts_for_password(
    app: Flask, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUAPP_NEW_PASSWORD", raising=False)
    result = runner.invoke(
        args=["users", "create", "p@example.org", "--name", "P"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert "created p@example.org (learner)" in result.output
    short = runner.invoke(
        args=["users", "create", "q@example.org", "--name", "Q"], input="short\nshort\n"
    )
    assert "Use at least 8 characters." in short.output


def test_changing_the_password_kills_outstanding_reset_links(
    app: Flask, client: FlaskClient, make_user
) -> None:
    make_user()
    request_reset(client, "ann@example.org")
    path = reset_link(app)
    AuthActions(client).login()
    token = csrf_token(client, "/account")
    client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": NEW,
            "confirm": NEW,
        },
    )
    assert client.get(path).headers["Location"] == "/reset"
