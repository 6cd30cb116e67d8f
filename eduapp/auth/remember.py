"""Remember-me tokens: rotated on every use and expired on the server.

The cookie carries a series id and a token; the server keeps only the token's SHA-256, and
an expiry it enforces itself (a cookie's own expiry is the browser's to keep or not). Each use
swaps the token for a new one, so a copied cookie works only until its owner's browser next
uses it; after that the copy's stale token ends the whole series, and whoever holds either
cookie must sign in again. A short grace lets two tabs restored at once share one rotation.
Typed functions that never commit.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from .. import tokens
from ..clock import now
from ..extensions import db
from ..models import RememberToken, User
from ..models.user import new_session_token

GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class Cookie:
    value: str
    expires_at: datetime


def issue(user: User) -> Cookie:
    """A new series for this browser, and the cookie that carries it."""
    series, token = secrets.token_urlsafe(18), tokens.new_token()
    lifetime: timedelta = current_app.config["REMEMBER_COOKIE_DURATION"]
    row = RememberToken(
        user_id=user.id, series=series, token_hash=tokens.digest(token), expires_at=now() + lifetime
    )
    db.session.add(row)
    return Cookie(f"{series}.{token}", row.expires_at)


def use(value: str) -> tuple[User, Cookie | None] | None:
    """The user this cookie remembers and the cookie's next value (None: keep it, within the
    grace), or None when it is unknown, expired or stale (a stale one ends its series)."""
    series, _, token = value.partition(".")
    if not series or not token or len(value) > 200:
        return None
    row = db.session.execute(db.select(RememberToken).filter_by(series=series)).scalar_one_or_none()
    if row is None:
        return None
    moment = now()
    if row.expires_at <= moment:
        db.session.delete(row)
        return None
    presented = tokens.digest(token)
    user = db.session.get_one(User, row.user_id)
    if user.deactivated_at is not None:  # deactivating ends every series; this one slipped by
        db.session.delete(row)
        return None
    if hmac.compare_digest(presented, row.token_hash):
        fresh = tokens.new_token()
        # Conditional, so that of two requests presenting one token at once (PostgreSQL does
        # not serialise them) only one rotates; the other is the grace case below.
        rotated = db.session.execute(
            db.update(RememberToken)
            .where(RememberToken.id == row.id, RememberToken.token_hash == presented)
            .values(previous_hash=presented, token_hash=tokens.digest(fresh), rotated_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        return user, Cookie(f"{series}.{fresh}", row.expires_at) if rotated == 1 else None
    recent = row.rotated_at is not None and moment - row.rotated_at < GRACE
    if recent and row.previous_hash and hmac.compare_digest(presented, row.previous_hash):
        return user, None
    # A token already rotated away came back: one of two browsers holds a copy. Which one is
    # unknowable, so both lose: every series and every session of this account ends.
    current_app.logger.warning("stale remember-me token for user=%d: signed out", user.id)
    forget_all(user)
    user.session_token = new_session_token()
    return None


def forget(value: str) -> None:
    """End this browser's series (signing out)."""
    series = value.partition(".")[0]
    db.session.execute(db.delete(RememberToken).where(RememberToken.series == series))


def forget_all(user: User) -> None:
    db.session.execute(db.delete(RememberToken).where(RememberToken.user_id == user.id))
