"""Jinja filters for presenting numbers, dates and citations the way learners read them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from .clock import now
from .content.markdown import citation_label

T = TypeVar("T")


def ce(hours: Decimal | float | int) -> str:
    """CE hours without trailing zeros: 1.00 -> "1", 0.50 -> "0.5", 1.25 -> "1.25"."""
    text = f"{Decimal(str(hours)):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def score(value: Decimal | float | None) -> str:
    """A percentage with at most one decimal: 80.00 -> "80", 66.67 -> "66.7"."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.1f}".removesuffix(".0")


def hundred(value: Fraction | Decimal | None) -> str:
    """A share (0.853) or index (-0.25) times 100 with one decimal: "85.3", "-25"; "—" if none."""
    if value is None:
        return "—"
    exact = value if isinstance(value, Decimal) else Decimal(value.numerator) / value.denominator
    text = str((exact * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).removesuffix(".0")
    return "0" if text == "-0" else text


def duration(minutes: int) -> str:
    """Minutes as "45 min" or "2 h 05 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def user_zone() -> ZoneInfo:
    name = (
        current_user.timezone
        if current_user and current_user.is_authenticated
        else current_app.config["TIMEZONE"]
    )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(moment: datetime) -> str:
    """A UTC timestamp as the viewer's local date, e.g. "23 November 2026"."""
    local = moment.astimezone(user_zone())
    return f"{local.day} {local:%B %Y}"


def local_time(moment: datetime) -> str:
    local = moment.astimezone(user_zone())
    return f"{local.day} {local:%B %Y, %H:%M %Z}"


def minutes_left(deadline: datetime) -> str:
    """Time to a deadline by the server's clock, e.g. "14 min" (rounded down)."""
    seconds = max(0, int((deadline - now()).total_seconds()))
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


def bdi(name: object) -> Markup:
    """A person's name isolated from the text around it (``<bdi>``), so an Arabic or Hebrew
    name does not reorder the words, digits or punctuation next to it."""
    return Markup("<bdi>%s</bdi>") % escape(name)


def remember(store: dict[Any, T], key: Any, build: Callable[[], T], most: int) -> T:
    """A value built from its key alone (markup shared by everyone with the same key), kept
    per process in ``store``. A key changes with what it depends on, so an old one is never
    asked for again: past ``most`` entries the store starts again rather than growing."""
    found = store.get(key)
    if found is None:
        if len(store) >= most:
            store.clear()
        found = store[key] = build()
    return found


_links: dict[tuple[Any, ...], str] = {}
LINKS_KEPT = 4096  # addresses kept per process; past that the store starts again


def link(endpoint: str, filename: str = "", **values: Any) -> str:
    """The address of a page (or a static file), built once per process and set of values:
    every page's header links a dozen fixed pages, and the learner's pages link every
    course, module and quiz they list; building an address costs more than the rest of the
    header. Values come from our own rows (slugs, keys), never from the request."""
    key = (request.script_root, endpoint, filename, *sorted(values.items()))
    found = _links.get(key)  # a page calls this a few dozen times: the kept address first
    if found is not None:
        return found
    if filename:
        values["filename"] = filename
    return remember(_links, key, lambda: url_for(endpoint, **values), LINKS_KEPT)


def init_app(app: Flask) -> None:
    from .quiz.cases import case_marks

    for function in (ce, score, hundred, duration, local_date, local_time, minutes_left, bdi):
        app.add_template_filter(function)
    app.add_template_global(now)
    app.add_template_global(link)
    from .chrome import head_links, site_nav  # the header reads the review and clinic counts

    app.add_template_global(head_links)
    app.add_template_global(site_nav)
    app.add_template_filter(citation_label, "cite_label")
    app.add_template_filter(case_marks)
