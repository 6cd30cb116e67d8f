"""An instructor signed in, for the pages about a course's quizzes."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions


@pytest.fixture
def instructor(client: FlaskClient, make_user, imported: None) -> FlaskClient:
    make_user("ivy@example.org", "Ivy", role="instructor")
    AuthActions(client).login("ivy@example.org")
    return client
