"""Rate limits on account requests: per address and per client, counted in the database.

Sign-ins count their failures (``LoginFailure``); sign-up, reset and confirmation requests
count every request (``AccountRequest``), since each one mails someone. A limited request
writes nothing, so hammering does not extend the wait.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from ..clock import now
from ..extensions import db
from ..models import AccountRequest

# action: (per address, per client) within WINDOW. Generous for people (a mistyped password
# twice, a lost mail), tight for a script mailing strangers or probing addresses.
LIMITS = {"signup": (5, 20), "reset": (5, 20), "confirm": (5, 20)}
WINDOW = timedelta(hours=1)


class TooManyAttempts(Exception):
    """Over a limit for this account or address, or from this client."""


def serialise_on(*keys: str) -> None:
    """Make concurrent requests for one account or address take turns, so that a burst cannot
    get past a limit. SQLite already serialises every write request (BEGIN IMMEDIATE);
    PostgreSQL takes transaction-scoped advisory locks, in a fixed order."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def throttle(action: str, email: str | None, ip: str) -> AccountRequest:
    """Count this request, or raise TooManyAttempts. ``email`` None: the client limit only
    (a confirmation link names no address until it is found to be valid)."""
    per_address, per_client = LIMITS[action]
    keys = [f"{action}-ip:{ip}"] + ([f"{action}-account:{email}"] if email else [])
    serialise_on(*keys)
    since = now() - WINDOW
    recent = db.select(db.func.count()).select_from(AccountRequest)
    recent = recent.where(AccountRequest.action == action, AccountRequest.created_at >= since)
    if db.session.scalar(recent.where(AccountRequest.ip == ip[:45])) >= per_client:
        raise TooManyAttempts
    if email and db.session.scalar(recent.where(AccountRequest.email == email)) >= per_address:
        raise TooManyAttempts
    row = AccountRequest(action=action, email=(email or "")[:254], ip=ip[:45])
    db.session.add(row)
    return row
