"""``/search``: public like the catalogue; what it searches depends on who asks (services)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from . import services
from .query import MAX_LENGTH, QueryTooLong

bp = Blueprint("search", __name__)
# ASCII digits: str.isdigit() also accepts "²", which int() refuses.
PAGE = re.compile(r"[0-9]{1,6}")


def _page_number() -> int:
    value = request.args.get("page", "")
    if not value:
        return 1
    if not PAGE.fullmatch(value) or not 1 <= int(value) <= services.MAX_PAGES:
        abort(400, f"page must be a page number from 1 to {services.MAX_PAGES}.")
    return int(value)


@bp.get("/search")
def results() -> str:
    typed = request.args.get("q", "")
    page = _page_number()
    viewer = current_user if current_user.is_authenticated else None
    error = None
    try:
        found = services.search(typed, viewer, page)
    except QueryTooLong as too_long:
        found, error = None, str(too_long)
    return render_template(
        "search/results.html",
        typed=typed[:MAX_LENGTH],
        found=found,
        error=error,
        max_length=MAX_LENGTH,
        page_size=services.PAGE_SIZE,
    )
