"""The one source of the current time, so tests can freeze it and rules never ask the database."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)
