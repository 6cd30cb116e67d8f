"""The remember-me cookie in requests: read when there is no session, rewritten after use.

Flask-Login's own remember cookie holds a fixed value for 30 days; ours (see
:mod:`.remember`) rotates, so it is loaded through ``request_loader`` instead, and Flask-Login's
is never set.
"""

from __future__ import annotations

from flask import Flask, Request, Response, current_app, g
from flask_login import login_user

from ..database import begin_write
from ..extensions import db, login_manager
from ..models import User
from . import remember


def cookie_name() -> str:
    return current_app.config["REMEMBER_NAME"]


def remember_browser(user: User) -> None:
    """Issue a series for this browser; the cookie is set on the way out."""
    g.remember_cookie = remember.issue(user)


def forget_browser(request: Request) -> None:
    value = request.cookies.get(cookie_name())
    if value:
        remember.forget(value)
    g.remember_cookie = None


def _load(request: Request) -> User | None:
    value = request.cookies.get(cookie_name())
    if not value:
        return None
    session = db.session()
    if not (session.new or session.dirty or session.deleted):
        begin_write()  # the rotation writes; take SQLite's lock before reading the row
    found = remember.use(value)
    db.session.commit()  # the rotation (or the ended series) stands whatever the page does
    if found is None:
        g.remember_cookie = None
        return None
    user, fresh = found
    if fresh is not None:
        g.remember_cookie = fresh
    login_user(user, fresh=False)  # this browser's session carries on from here
    return user


def _write_cookie(response: Response) -> Response:
    """Set the new value (expiring with the server's record), or delete a dead cookie."""
    if "remember_cookie" not in g:
        return response
    cookie: remember.Cookie | None = g.remember_cookie
    secure = bool(current_app.config.get("REMEMBER_COOKIE_SECURE"))
    if cookie is None:
        response.delete_cookie(cookie_name(), path="/", secure=secure, httponly=True)
        return response
    response.set_cookie(
        cookie_name(),
        cookie.value,
        expires=cookie.expires_at,
        path="/",
        secure=secure,
        httponly=True,
        samesite="Lax",
    )
    return response


def init_app(app: Flask) -> None:
    login_manager.request_loader(_load)
    app.after_request(_write_cookie)
