"""An instructor signed in who owns the fixture course, for the pages about its quizzes."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Course, CourseOwner, User
from tests.conftest import AuthActions


def grant(email: str, slug: str, role: str = "owner") -> None:
    """Put an account on a course as an admin would, committed."""
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
    db.session.add(CourseOwner(course_id=course.id, user_id=user.id, role=role))
    db.session.commit()


@pytest.fixture
def instructor(client: FlaskClient, make_user, imported: None) -> FlaskClient:
    make_user("ivy@example.org", "Ivy", role="instructor")
    grant("ivy@example.org", "sample-course")
    AuthActions(client).login("ivy@example.org")
    return client
