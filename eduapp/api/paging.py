"""Cursor pagination: the cursor is the last row's sort key, signed, so a client can only
hand back what we gave it (a tampered cursor is a 400, never a query on made-up values)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .problems import PREFIX

DEFAULT_LIMIT, MAX_LIMIT = 100, 500


class BadCursor(Exception):
    """The cursor is not one we made for this list."""


def _serialiser(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"{PREFIX} cursor {kind}")


def encode(kind: str, key: list[Any]) -> str:
    return _serialiser(kind).dumps(key)


def decode(kind: str, cursor: str, shape: tuple[type, ...]) -> list[Any]:
    """The key a cursor carries, checked against the types it must have."""
    try:
        key = _serialiser(kind).loads(cursor)
    except BadSignature:
        raise BadCursor from None
    if not isinstance(key, list) or len(key) != len(shape):
        raise BadCursor
    pairs = zip(key, shape, strict=True)
    if not all(isinstance(v, t) and not isinstance(v, bool) for v, t in pairs):
        raise BadCursor
    return key
