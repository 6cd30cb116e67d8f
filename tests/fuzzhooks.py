"""How the fuzz test watches the application: which views a request reached, as whom, and
where an exception came from; and how it signs a test client in without a password."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.testing import FlaskClient
from flask_login import login_required

from eduapp.extensions import db
from eduapp.models import User

LOGIN_REQUIRED = login_required(lambda: None).__code__


def login_protected(view: Callable[..., Any]) -> bool:
    fn: Any = view
    while fn is not None:
        if getattr(fn, "__code__", None) is LOGIN_REQUIRED:
            return True
        fn = getattr(fn, "__wrapped__", None)
    return False


@contextmanager
def recording(
    app: Flask, calls: list[tuple[str, str, str]], who: Callable[[], str]
) -> Iterator[None]:
    """Record every call of a view's own function: beneath ``login_required`` (and any other
    decorator made with functools.wraps), by swapping it in its wrapper's closure."""
    originals = dict(app.view_functions)
    swapped = []

    def recorder(endpoint: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append((endpoint, request.method, who()))
            return fn(*args, **kwargs)

        return recorded

    for endpoint, view in originals.items():
        inner = inspect.unwrap(view)
        if inner is view:
            app.view_functions[endpoint] = recorder(endpoint, view)
            continue
        parent = view
        while parent.__wrapped__ is not inner:
            parent = parent.__wrapped__
        cell = next(c for c in parent.__closure__ or () if c.cell_contents is inner)
        cell.cell_contents = recorder(endpoint, inner)
        swapped.append((cell, inner))
    try:
        yield
    finally:
        app.view_functions.update(originals)
        for cell, inner in swapped:
            cell.cell_contents = inner


def sign_in(client: FlaskClient, user_id: int) -> str:
    """Sign in through the session cookie, as Flask-Login reads it: no password to hash, and
    it still works after a case changed the password."""
    token = db.session.get_one(User, user_id).session_token
    db.session.rollback()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = token
        session["_fresh"] = True
    return token


def where(error: BaseException) -> str:
    """The exception and the application's own frames it passed through."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/eduapp/" in f.filename]
    lines = [f"  {Path(f.filename).name}:{f.lineno} {f.name}: {f.line}" for f in frames]
    return "\n".join([*lines, f"  {type(error).__name__}: {error}"])
