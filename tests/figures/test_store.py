"""``store()``: validated by content, stored once by hash, whatever calls it."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.figures import FigureError, store
from eduapp.models import Figure
from tests.figures.imagekit import SVG, png_claiming, raster, svg


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (raster("PNG"), "a.png", "image/png"),
        (raster("JPEG"), "a.jpg", "image/jpeg"),
        (raster("WEBP"), "a.webp", "image/webp"),
        (SVG.encode(), "a.svg", "image/svg+xml"),
    ],
)
def test_store_keeps_the_original_bytes(
    app: Flask, data: bytes, name: str, media_type: str
) -> None:
    figure = store(data, filename=name)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get_one(Figure, hashlib.sha256(data).hexdigest())
    assert row is not None and figure.sha256 == row.sha256
    assert (row.media_type, row.byte_size, row.data) == (media_type, len(data), data)
    assert row.width > 0 and row.height > 0


def test_store_is_idempotent(app: Flask) -> None:
    data = raster("PNG", (8, 8))
    first = store(data, filename="figures/a.png")
    second = store(data, filename="figures/another-name.png")  # same bytes, other name
    db.session.commit()
    assert first.sha256 == second.sha256
    assert db.session.execute(db.select(db.func.count()).select_from(Figure)).scalar() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (raster("PNG"), "a.svg", "is a PNG file by its content"),
        (png_claiming(20_000, 20_000), "bomb.png", "decompression bomb"),
        (svg("<script>alert(1)</script>"), "a.svg", "may not contain <script>"),
    ],
)
def test_store_refuses_and_writes_nothing(app: Flask, data: bytes, name: str, message: str) -> None:
    with pytest.raises(FigureError, match=message):
        store(data, filename=name)
    db.session.commit()
    assert db.session.execute(db.select(db.func.count()).select_from(Figure)).scalar() == 0


def test_store_loses_a_race_gracefully(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another transaction stores the same bytes between our look-up and our insert: the
    insert fails inside a savepoint, and the row already there is returned."""
    data = raster("PNG")
    store(data, filename="a.png")
    db.session.commit()
    db.session.expunge_all()
    real_get = db.session.get
    misses: list[object] = []

    def get_missing_once(model: type, key: object, **kwargs: object) -> object:
        if not misses:
            misses.append(key)
            return None  # as if the other transaction had not committed yet
        return real_get(model, key, **kwargs)

    monkeypatch.setattr(db.session, "get", get_missing_once)
    figure = store(data, filename="b.png")
    db.session.commit()  # the session is still usable
    assert misses and figure.sha256 == hashlib.sha256(data).hexdigest()
    assert db.session.execute(db.select(db.func.count()).select_from(Figure)).scalar() == 1
