"""Storing figures: the one service every way of adding an image goes through."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Figure
from .inspect import inspect


def store(data: bytes, *, filename: str) -> Figure:
    """Validate ``data`` by its content and store it once under its SHA-256.

    Idempotent: the same bytes again (from another course, a re-import, or an upload racing
    this one) return the row already there. Raises ``FigureError`` with a message for the
    person who supplied the file; nothing is written then. Never commits.
    """
    info = inspect(data, filename=filename)
    existing = db.session.get(Figure, info.sha256)
    if existing is not None:
        return existing
    figure = Figure(
        sha256=info.sha256,
        media_type=info.media_type,
        data=data,
        width=info.width,
        height=info.height,
        byte_size=info.byte_size,
    )
    try:
        with db.session.begin_nested():  # another transaction may store the same bytes first
            db.session.add(figure)
    except IntegrityError:
        return db.session.get_one(Figure, info.sha256)
    return figure
