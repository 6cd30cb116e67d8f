"""URL converters: what a path segment may be, decided before any view runs.

A value outside a converter's shape is a plain 404, so views never see an id the database
cannot hold or a slug no course file could have.
"""

from __future__ import annotations

import builtins

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter, IntegerConverter, Map, ValidationError

# Ids are INTEGER columns: PostgreSQL refuses a larger value with an error (a 500), and
# SQLite's wider range holds no row beyond it either.
DATABASE_INT_MAX = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` on every route: a row id, so 0 to 2**31 - 1; anything else is a 404.

    Registered as ``int`` so no route can forget it. The length check comes first: Python
    refuses to parse integers of more than 4,300 digits, and that error would be a 500.
    """

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        top = DATABASE_INT_MAX if max is None else builtins.min(max, DATABASE_INT_MAX)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=top, signed=signed)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(DATABASE_INT_MAX)) + 1:
            raise ValidationError()
        return super().to_python(value)  # type: ignore[no-any-return]


class SlugConverter(BaseConverter):
    """The shape of every slug and key in course files; anything else is a plain 404."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        if len(value) > 80:
            raise NotFound()
        return value


class CertificateCodeConverter(BaseConverter):
    """A certificate's public id: 128 random bits as 22 URL-safe characters, after a "c"
    (codes issued before the prefix have none)."""

    regex = r"c?[A-Za-z0-9_-]{22}"


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["cert"] = CertificateCodeConverter
