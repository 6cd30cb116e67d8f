"""Personal access tokens: made, listed, revoked, checked on each API request, rate-limited
and logged. Typed functions that never touch the request and never commit.

A token is ``edu_`` and 256 random bits; only its SHA-256 is stored. Who may hold one and
which scopes they may give it is decided here, so the browser form and any future caller
share the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .. import tokens
from ..auth.limits import serialise_on
from ..clinics.scope import managed_clinics
from ..clock import now
from ..extensions import db
from ..models import ApiToken, ApiTokenUse, User

PREFIX = "edu_"
COMPLIANCE, COMPLETIONS, MANAGE, WEBHOOKS, ADMIN = (
    "compliance:read",
    "completions:read",
    "staff:manage",
    "webhooks:manage",
    "admin:read",
)
SCOPES = {
    COMPLIANCE: "Read staff compliance",
    COMPLETIONS: "Read completions and certificates",
    MANAGE: "Manage invitations and assignments",
    WEBHOOKS: "Manage webhook endpoints",
    ADMIN: "Admin: read every certificate and every course, drafts included",
}
ADMIN_SCOPES = frozenset({ADMIN})
MAX_DAYS = 366
MAX_TOKENS = 20  # live tokens a person may hold: enough for several systems, not a leak


class TokenError(Exception):
    """A rule stops this token from being made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class NewToken:
    row: ApiToken
    secret: str  # shown once, never stored


def may_hold_tokens(user: User) -> bool:
    """Clinic managers and admins: the people the API serves."""
    return user.is_admin or bool(managed_clinics(user))


def scopes_for(user: User) -> dict[str, str]:
    """The scopes this person may give a token."""
    return {k: v for k, v in SCOPES.items() if user.is_admin or k not in ADMIN_SCOPES}


def create(user: User, name: str, scopes: list[str], days: int) -> NewToken:
    """A new token for ``user``, valid ``days`` days, with these scopes."""
    name = name.strip()
    if not name:
        raise TokenError("name", "Give the token a name, such as the system that will use it.")
    if not scopes:
        raise TokenError("scopes", "Choose at least one thing the token may do.")
    allowed = scopes_for(user)
    if any(scope not in allowed for scope in scopes):
        raise TokenError("scopes", "Choose among the scopes offered.")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError("days", f"A token lasts from 1 to {MAX_DAYS} days.")
    if len(live_tokens(user)) >= MAX_TOKENS:
        raise TokenError("name", f"You have {MAX_TOKENS} live tokens: revoke one first.")
    secret = PREFIX + tokens.new_token()
    moment = now()
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=tokens.digest(secret),
        prefix=secret[: len(PREFIX) + 6],
        scopes=sorted(set(scopes)),
        created_at=moment,
        expires_at=moment + timedelta(days=days),
    )
    db.session.add(row)
    return NewToken(row, secret)


def live_tokens(user: User) -> list[ApiToken]:
    moment = now()
    return [t for t in user_tokens(user) if t.revoked_at is None and t.expires_at > moment]


def user_tokens(user: User) -> list[ApiToken]:
    """The person's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(
        db.session.execute(
            db.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).scalars()
    )


def token_of(user: User, token_id: int) -> ApiToken | None:
    """The person's own token; anyone else's reads as none."""
    row = db.session.get(ApiToken, token_id)
    return row if row is not None and row.user_id == user.id else None


def revoke(row: ApiToken) -> None:
    """The token stops working at once; revoking twice keeps the first time."""
    row.revoked_at = row.revoked_at or now()


def recent_uses(row: ApiToken, limit: int = 50) -> list[ApiTokenUse]:
    return list(
        db.session.execute(
            db.select(ApiTokenUse)
            .where(ApiTokenUse.token_id == row.id)
            .order_by(ApiTokenUse.used_at.desc(), ApiTokenUse.id.desc())
            .limit(limit)
        ).scalars()
    )


def authenticate(secret: str) -> tuple[ApiToken, User] | None:
    """The live token with this secret and its owner (active), or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    found = db.session.execute(
        db.select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == tokens.digest(secret))
    ).one_or_none()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now() or user.deactivated_at is not None:
        return None
    return row, user


class RateLimited(Exception):
    """Over the token's requests per minute; ``retry_after`` in seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def record_use(
    row: ApiToken, method: str, path: str, per_minute: int, keep_days: int
) -> ApiTokenUse:
    """Log this request (its status comes later), or raise RateLimited (logged as a 429).

    Counted in the database so every server sees the same count; requests with one token
    take turns on PostgreSQL (an advisory lock), as SQLite's write lock makes them do. The
    caller commits at once, so the count is right for the next request. Refused requests are
    not counted: hammering does not extend the wait. Rows past ``keep_days`` go as new ones
    come, by the index, so the log stays bounded without a job."""
    serialise_on(f"api-token:{row.id}")
    moment = now()
    window = moment - timedelta(minutes=1)
    recent = db.session.execute(
        db.select(ApiTokenUse.used_at)
        .where(
            ApiTokenUse.token_id == row.id,
            ApiTokenUse.used_at > window,
            db.or_(ApiTokenUse.status.is_(None), ApiTokenUse.status != 429),
        )
        .order_by(ApiTokenUse.used_at)
        .limit(per_minute)
    ).scalars()
    times = list(recent)
    db.session.execute(
        db.delete(ApiTokenUse).where(
            ApiTokenUse.token_id == row.id,
            ApiTokenUse.used_at < moment - timedelta(days=keep_days),
        )
    )
    use = ApiTokenUse(token_id=row.id, used_at=moment, method=method, path=path[:200])
    row.last_used_at = moment
    if len(times) >= per_minute:
        use.status = 429
        db.session.add(use)
        raise RateLimited(max(1, int((times[0] - window).total_seconds()) + 1))
    db.session.add(use)
    return use


def finish_use(use_id: int, status: int) -> None:
    """The request's answer, in its log row."""
    db.session.execute(
        db.update(ApiTokenUse)
        .where(ApiTokenUse.id == use_id)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
