"""Shared steps for the editor's tests: the sample course's draft, opened through the pages."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from eduapp.extensions import db
from eduapp.models import Course, CourseVersion, Module, User
from eduapp.studio import drafts
from tests.conftest import csrf_token

COURSE = "sample-course"
DRAFT = f"/studio/courses/{COURSE}/draft"
EDIT = f"{DRAFT}/modules/first-steps"


def course(slug: str = COURSE) -> Course:
    return db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()


def user(email: str) -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def start(client: FlaskClient, slug: str = COURSE) -> str:
    """Press "Start editing" on the course's studio page; the CSRF token it used."""
    token = csrf_token(client, f"/studio/courses/{slug}")
    response = client.post(f"/studio/courses/{slug}/draft", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/studio/courses/{slug}/draft"
    return token


def fresh() -> None:
    """End the test's read transaction, so it sees what the requests committed since."""
    db.session.rollback()


def draft_module(email: str, module: str = "first-steps", slug: str = COURSE) -> Module:
    fresh()
    found = drafts.draft_of(course(slug), user(email))
    assert found is not None
    row = drafts.module_of(found, module)
    assert row is not None
    return row


def published_module(module: str = "first-steps", slug: str = COURSE) -> Module:
    fresh()
    version = db.session.get_one(CourseVersion, course(slug).current_version_id)
    row = drafts.module_of(version, module)
    assert row is not None
    return row


def save(
    client: FlaskClient,
    token: str,
    body: str,
    *,
    based_on: str,
    title: str = "First Steps",
    url: str = EDIT,
    json: bool = False,
) -> TestResponse:
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        url,
        data={"csrf_token": token, "title": title, "body": body, "based_on": based_on},
        headers=headers,
    )
