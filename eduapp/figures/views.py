"""``GET /figures/<sha256>.<ext>``: a stored figure's bytes, cached for a year.

A figure's address is its content hash, so it can never change: browsers keep it for a year
without asking again. Reading a figure needs sign-in, as reading the module text that shows it
does; the cache is therefore ``private`` (a shared cache would hand it to anyone). An SVG is
served with a policy that forbids everything but its own inline styles and sandboxes it, in
case someone opens it on its own rather than through the ``<img>`` that module pages use.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, request
from flask_login import login_required
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Figure
from .inspect import TYPES

bp = Blueprint("figures", __name__)

NAME = re.compile(r"([0-9a-f]{64})\.(png|jpg|webp|svg)")
CACHE = "private, max-age=31536000, immutable"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.get("/figures/<name>")
@login_required
def figure(name: str) -> Response:
    match = NAME.fullmatch(name)
    if match is None:
        abort(404)
    sha256, ext = match.groups()
    row = db.session.execute(
        db.select(Figure).where(Figure.sha256 == sha256).options(undefer(Figure.data))
    ).scalar_one_or_none()
    if row is None or TYPES[row.media_type][0] != ext:
        abort(404)
    response = Response(row.data, mimetype=row.media_type)
    response.headers["Cache-Control"] = CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    if row.media_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    response.set_etag(sha256)
    return response.make_conditional(request)
