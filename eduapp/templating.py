"""Jinja filters for presenting numbers the way learners read them."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask


def ce(hours: Decimal | float | int) -> str:
    """CE hours without trailing zeros: 1.00 -> "1", 0.50 -> "0.5", 1.25 -> "1.25"."""
    text = f"{Decimal(str(hours)):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def duration(minutes: int) -> str:
    """Minutes as "45 min" or "2 h 05 min"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def init_app(app: Flask) -> None:
    app.add_template_filter(ce)
    app.add_template_filter(duration)
