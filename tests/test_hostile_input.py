"""Odd paths and form text get a 404 or a 400, never a 500 (NUL, overflowing ids, long slugs)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions, csrf_token


@pytest.mark.parametrize(
    "path",
    [
        "/attempts/2147483648",
        "/attempts/9223372036854775808/result",
        "/courses/%00",
        "/courses/a%00b",
        "/courses/sample-course/quizzes/%00",
        "/courses/sample-course/modules/%00",
        "/courses/" + "a" * 81,
        "/courses/UPPER",
        "/reset/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00",
    ],
)
def test_odd_paths_are_not_found(
    client: FlaskClient, auth: AuthActions, imported: None, path: str
) -> None:
    auth.signup()
    response = client.get(path)
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert response.headers["Location"] == "/reset"


def test_nul_in_form_text_is_refused(client: FlaskClient, table_counts) -> None:
    before = table_counts()
    token = csrf_token(client, "/signup")
    data = {
        "csrf_token": token,
        "name": "Ann\x00",
        "email": "a@b.org",
        "password": "long enough pw",
        "timezone": "UTC",
    }
    response = client.post("/signup", data=data)
    assert response.status_code == 400
    assert b"control characters" in response.data
    assert table_counts() == before


def test_email_that_grows_when_normalised_is_refused(client: FlaskClient, table_counts) -> None:
    before = table_counts()
    token = csrf_token(client, "/signup")
    email = "\ufdfa" * 20 + "@example.org"  # 32 characters, 372 after NFKC
    data = {
        "csrf_token": token,
        "name": "Ann",
        "email": email,
        "password": "long enough pw",
        "timezone": "UTC",
    }
    response = client.post("/signup", data=data)
    assert response.status_code == 200
    assert b'id="email-error"' in response.data
    assert table_counts() == before


def test_signed_in_pages_are_not_cached(client: FlaskClient, auth: AuthActions) -> None:
    assert "Cache-Control" not in client.get("/").headers
    auth.signup()
    assert client.get("/account").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", ["code=a%00b", "code=%1B[2J", "next=/&code=%7F"])
def test_control_characters_in_a_query_string_are_refused(
    client: FlaskClient, make_user, query: str
) -> None:
    """A NUL in ``?code=`` reached PostgreSQL as a parameter, which it refuses: a 500."""
    make_user("ada@example.org", "Ada", role="admin")
    AuthActions(client).login("ada@example.org")
    response = client.get(f"/admin/certificates?{query}")
    assert response.status_code == 400
    assert b"control characters" in response.data
    assert client.get("/admin/certificates?code=a%09b").status_code == 200  # a tab is text
