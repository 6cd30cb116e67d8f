"""How a page that waits for a job (a certificate's PDF, an export's file) asks again by
itself: a meta refresh (no script) every few seconds, for a couple of minutes after the work
was asked for. A page that reloads itself for ever is hard to use with a screen reader (WCAG
2.2.1, which axe checks); work that takes this long has queued behind other work or failed,
and the page then says so and waits for the person's own "try again"."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..clock import now

RETRY_SECONDS = 3
RETRY_FOR = timedelta(minutes=2)


def retry_after(since: datetime) -> int | None:
    """Seconds before the waiting page reloads itself, or None once it has waited long
    enough since ``since`` (when the work was asked for)."""
    return RETRY_SECONDS if now() - since < RETRY_FOR else None
