"""Keep me signed in: a cookie that rotates on every use, dies when a stolen copy is replayed,
expires on the server, and in production carries the __Host- prefix like the session."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from flask import Flask

from eduapp import create_app
from eduapp.extensions import db
from eduapp.models import RememberToken
from tests.conftest import AuthActions, app_config, csrf_token

FROZEN = pytest.mark.clock("2026-11-24 12:00:00", tick=False)


def remembered(app: Flask) -> str:
    """Sign in with "keep me signed in" and return the cookie's value."""
    client = app.test_client()
    AuthActions(client).login(remember=True)
    return client.get_cookie("remember").value


def browser_with(app: Flask, value: str) -> Any:
    """A browser whose session is gone (restarted) but which kept the remember cookie."""
    client = app.test_client()
    client.set_cookie("remember", value)
    return client


def signed_in(client: Any) -> bool:
    return client.get("/account").status_code == 200


@FROZEN
def test_each_use_rotates_the_cookie_and_a_replayed_copy_ends_the_series(
    app: Flask, make_user, clock: Any
) -> None:
    make_user()
    first = remembered(app)
    owner = browser_with(app, first)
    assert signed_in(owner)
    second = owner.get_cookie("remember").value
    assert second != first
    assert signed_in(owner)  # the session carries on: no rotation on every page
    assert owner.get_cookie("remember").value == second

    clock.shift(timedelta(minutes=5))
    thief = browser_with(app, first)  # a copy taken before the owner's browser used it
    response = thief.get("/account")
    assert response.status_code == 302
    assert thief.get_cookie("remember") is None  # told to forget it
    # The replay ended the series: the owner's newer cookie stops working too.
    assert not signed_in(browser_with(app, second))
    assert db.session.scalar(db.select(db.func.count()).select_from(RememberToken)) == 0


@FROZEN
def test_a_thief_who_used_the_copy_first_is_signed_out_when_the_owner_comes_back(
    app: Flask, make_user, clock: Any
) -> None:
    make_user()
    first = remembered(app)
    thief = browser_with(app, first)
    assert signed_in(thief)  # the copy was used first, and rotated
    clock.shift(timedelta(hours=1))
    owner = browser_with(app, first)
    assert not signed_in(owner)  # the owner's stale token gives the theft away...
    assert not signed_in(thief)  # ...and ends the thief's session as well
    assert AuthActions(owner).login().status_code == 302  # the password still works


@FROZEN
def test_two_tabs_restoring_at_once_share_one_rotation(app: Flask, make_user, clock: Any) -> None:
    make_user()
    first = remembered(app)
    tab = browser_with(app, first)
    assert signed_in(tab)
    clock.shift(timedelta(seconds=10))
    other_tab = browser_with(app, first)
    assert signed_in(other_tab)  # within the grace: the same rotation, not a theft
    assert other_tab.get_cookie("remember").value == first  # left as it was
    assert signed_in(browser_with(app, tab.get_cookie("remember").value))


@FROZEN
def test_the_server_ends_it_after_30_days_whatever_the_cookie_says(
    app: Flask, make_user, clock: Any
) -> None:
    make_user()
    client = app.test_client()
    response = AuthActions(client).login(remember=True)
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember=")]
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    value = client.get_cookie("remember").value
    clock.shift(timedelta(days=30) - timedelta(minutes=1))
    later = browser_with(app, value)
    used = later.get("/account")
    assert used.status_code == 200
    (rotated,) = [h for h in used.headers.getlist("Set-Cookie") if h.startswith("remember=")]
    assert parsedate_to_datetime(rotated.split("Expires=")[1].split(";")[0]) == expires
    clock.shift(timedelta(minutes=2))
    assert not signed_in(browser_with(app, later.get_cookie("remember").value))


def test_only_a_hash_of_the_token_is_stored(app: Flask, make_user) -> None:
    make_user()
    series, token = remembered(app).split(".")
    row = db.session.execute(db.select(RememberToken)).scalar_one()
    assert (row.series, row.token_hash) == (series, hashlib.sha256(token.encode()).hexdigest())


def test_signing_out_ends_the_series_and_clears_the_cookie(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    AuthActions(client).login(remember=True)
    value = client.get_cookie("remember").value
    AuthActions(client).logout()
    assert client.get_cookie("remember") is None
    assert not signed_in(browser_with(app, value))


def test_signing_in_without_remember_ends_the_browsers_old_series(app: Flask, make_user) -> None:
    make_user()
    client = app.test_client()
    AuthActions(client).login(remember=True)
    value = client.get_cookie("remember").value
    AuthActions(client).logout()
    client.set_cookie("remember", value)
    AuthActions(client).login()
    assert client.get_cookie("remember") is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RememberToken)) == 0


def test_production_cookies_take_the_host_prefix(app: Flask, make_user, tmp_path: Any) -> None:
    make_user()
    production = create_app(
        app_config(
            app.config["DATABASE_URL"],
            tmp_path,
            ENV="production",
            BASE_URL="https://learn.example.org",
            PROVIDER_NAME="Harbour School of Massage",
            PROVIDER_CONTACT="12 Quay Street, Portland, ME 04101",
            CERTIFICATE_SIGNERS="Dana Reyes, LMT|Education Director",
        )
    )
    try:
        client = production.test_client()
        data = {
            "email": "ann@example.org",
            "password": "correct horse battery",
            "remember": "y",
            "csrf_token": csrf_token(client, "https://localhost/login"),
        }
        # Over HTTPS, Flask-WTF also wants a same-site Referer, as a browser sends.
        response = client.post(
            "https://localhost/login", data=data, headers={"Referer": "https://localhost/login"}
        )
        assert response.status_code == 302
        cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
        assert set(cookies) == {"__Host-session", "__Host-remember"}
        for header in cookies.values():
            attributes = [a.strip() for a in header.split(";")[1:]]
            assert {"Secure", "HttpOnly", "Path=/", "SameSite=Lax"} <= set(attributes)
            assert not any(a.lower().startswith("domain") for a in attributes)
        assert client.get("https://localhost/account").status_code == 200
        fresh = production.test_client()
        fresh.set_cookie("__Host-remember", client.get_cookie("__Host-remember").value)
        assert fresh.get("https://localhost/account").status_code == 200
    finally:
        with production.app_context():
            db.engine.dispose()
