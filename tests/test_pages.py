"""Headers on every response, friendly errors, and the catalogue."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp import create_app
from eduapp.templating import ce, duration


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for path in ("/", "/no-such-page", "/static/app.css"):
        response = client.get(path)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_not_found_is_a_friendly_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b"Back to the courses" in response.data


def test_wrong_method_is_405(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert b"That action is not available here." in response.data


def test_unhandled_error_is_a_friendly_500(tmp_path: Path) -> None:
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/e.sqlite3"})

    @app.get("/__boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret detail" not in response.data


def test_empty_catalogue_says_how_to_fill_it(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"No courses are published yet" in response.data


def test_catalogue_lists_published_courses_with_facts(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["courses", "import"])
    html = client.get("/").get_data(as_text=True)
    assert "Sample Course for Tests" in html
    assert "A tiny course the test suite imports." in html
    assert "<dt>Modules</dt><dd>2</dd>" in html
    assert "<dt>Estimated time</dt><dd>8 min</dd>" in html
    assert "<dt>CE hours</dt><dd>0</dd>" in html
    assert "<dt>Counts toward</dt><dd>general CE</dd>" in html


def test_draft_courses_are_not_listed(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    from eduapp.extensions import db
    from eduapp.models import Course

    runner.invoke(args=["courses", "import"])
    db.session.execute(db.update(Course).values(status="draft"))
    db.session.commit()
    assert b"Sample Course for Tests" not in client.get("/").data


def test_number_filters() -> None:
    assert [ce(x) for x in ("0", "0.25", "0.50", "1.00", "12.75")] == [
        "0",
        "0.25",
        "0.5",
        "1",
        "12.75",
    ]
    assert [duration(m) for m in (5, 60, 65, 130)] == ["5 min", "1 h", "1 h 05 min", "2 h 10 min"]
