"""``GET /figures/<sha256>.<ext>``: the bytes, the type, a year's cache, and 404 otherwise."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.figures import store
from tests.conftest import AuthActions
from tests.figures.imagekit import SVG, raster


@pytest.fixture
def signed_in(client: FlaskClient, make_user) -> FlaskClient:
    make_user()
    AuthActions(client).login()
    return client


def test_png_is_served_with_immutable_cache(app: Flask, signed_in: FlaskClient) -> None:
    data = raster("PNG")
    sha = store(data, filename="a.png").sha256
    db.session.commit()
    response = signed_in.get(f"/figures/{sha}.png")
    assert response.status_code == 200
    assert response.data == data
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"] == f'"{sha}"'
    assert "sandbox" not in response.headers["Content-Security-Policy"]
    again = signed_in.get(f"/figures/{sha}.png", headers={"If-None-Match": f'"{sha}"'})
    assert again.status_code == 304 and again.data == b""


def test_svg_is_served_sandboxed(app: Flask, signed_in: FlaskClient) -> None:
    sha = store(SVG.encode(), filename="a.svg").sha256
    db.session.commit()
    response = signed_in.get(f"/figures/{sha}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name",
    [
        "{sha}.svg",  # a PNG asked for as SVG
        "{sha}.jpg",
        "{sha}.PNG",
        "{sha}.png.png",
        "{sha}",
        "{upper}.png",
        "{short}.png",
        "{unknown}.png",
        "..%2F..%2Fetc%2Fpasswd",
        "%00.png",
    ],
)
def test_unknown_or_malformed_names_are_404(app: Flask, signed_in: FlaskClient, name: str) -> None:
    sha = store(raster("PNG"), filename="a.png").sha256
    db.session.commit()
    url = "/figures/" + name.format(sha=sha, upper=sha.upper(), short=sha[:-1], unknown="0" * 64)
    assert signed_in.get(url).status_code == 404


def test_signing_in_is_needed_as_for_module_text(app: Flask, client: FlaskClient) -> None:
    sha = store(raster("PNG"), filename="a.png").sha256
    db.session.commit()
    response = client.get(f"/figures/{sha}.png")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
