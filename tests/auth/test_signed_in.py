"""On a page that only reads, the signed-in person is their row as a plain object
(``eduapp.auth.signed_in``), not an ORM instance; on any other request the ORM instance, as
before. Both read the same, compare equal, and a write through either reaches the database."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request_finished
from flask_login import current_user
from sqlalchemy.orm.exc import UnmappedInstanceError

from eduapp.auth.signed_in import COLUMNS, SignedInUser
from eduapp.clock import now
from eduapp.extensions import db, login_manager
from eduapp.models import User


def loaded(app: Flask, user: User, method: str) -> Any:
    with app.test_request_context("/", method=method):
        return login_manager._user_callback(user.session_token)


@pytest.fixture
def ann(make_user: Any) -> User:
    return make_user(email="ann@example.org", role="instructor")  # type: ignore[no-any-return]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_page_that_only_reads_gets_the_row(app: Flask, ann: User, method: str) -> None:
    person = loaded(app, ann, method)
    assert type(person) is SignedInUser
    for name in COLUMNS:
        assert getattr(person, name) == getattr(ann, name), name
    assert (person.is_instructor, person.is_admin, person.is_deactivated) == (True, False, False)
    assert person.get_id() == ann.session_token and person.is_authenticated
    assert person == ann and ann == person  # Flask-Login compares get_id()
    assert person.__dict__["_review_due"] == 0 and person.__dict__["_manager_nav"] == (0, None)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_request_that_may_write_gets_the_orm_instance(app: Flask, ann: User, method: str) -> None:
    assert type(loaded(app, ann, method)) is User


def test_another_account_is_not_equal(app: Flask, ann: User, make_user: Any) -> None:
    bea = make_user(email="bea@example.org")
    assert loaded(app, ann, "GET") != loaded(app, bea, "GET")
    assert loaded(app, ann, "GET") != bea


def test_a_deactivated_account_is_nobody(app: Flask, ann: User) -> None:
    ann.deactivated_at = now()
    db.session.commit()
    assert loaded(app, ann, "GET") is None


def test_a_write_through_the_row_reaches_the_database(app: Flask, ann: User) -> None:
    with app.test_request_context("/", method="GET"):
        person = login_manager._user_callback(ann.session_token)
        person.timezone = "Europe/Lisbon"
        assert person.timezone == "Europe/Lisbon"  # the rest of the request reads it
        db.session.commit()
    db.session.expire_all()
    assert db.session.get_one(User, ann.id).timezone == "Europe/Lisbon"


def test_what_the_row_does_not_hold_comes_from_the_orm_instance(app: Flask, ann: User) -> None:
    with app.test_request_context("/", method="GET"):
        person = login_manager._user_callback(ann.session_token)
        assert person.metadata is User.metadata  # a class attribute of the model
        with pytest.raises(AttributeError):
            getattr(person, "_sa_instance_state")  # noqa: B009 (never borrowed)
        with pytest.raises(UnmappedInstanceError):
            db.session.add(person)  # handing it to the ORM fails loudly


def test_current_user_on_a_page(app: Flask, client: Any, ann: User) -> None:
    """Through a real request: the catalogue (GET) sees the row, and the page is the same."""
    from tests.conftest import AuthActions

    AuthActions(client).login("ann@example.org")
    seen = []

    def spy(sender: Flask, response: Any, **extra: Any) -> None:
        seen.append(type(current_user._get_current_object()).__name__)

    with request_finished.connected_to(spy, app):
        page = client.get("/").get_data(as_text=True)
    assert seen == ["SignedInUser"] and "Studio" in page and "Sign out" in page
