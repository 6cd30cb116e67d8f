"""Secret tokens in links and cookies: made one way, stored only as their SHA-256 (a leaked
database opens nothing), and, for the single-use links mailed to someone (password reset,
email confirmation), found, used and retired one way.

Typed functions that never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TypeVar

from .clock import now
from .extensions import db
from .models.user import SingleUseLink

Link = TypeVar("Link", bound=SingleUseLink)


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(model: type[Link], user_id: int, lifetime: timedelta) -> str:
    """A new link for the user; returns the token to mail (the only copy)."""
    token = new_token()
    db.session.add(model(user_id=user_id, token_hash=digest(token), expires_at=now() + lifetime))
    return token


def live(model: type[Link], token: str) -> Link | None:
    """The unused, unexpired link with this token, or None."""
    row = db.session.execute(
        db.select(model).filter_by(token_hash=digest(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now():
        return None
    return row


def claim(model: type[Link], row: Link) -> bool:
    """Use the link with a conditional UPDATE: of two concurrent uses, only one succeeds."""
    claimed = db.session.execute(
        db.update(model)
        .where(model.id == row.id, model.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def retire(model: type[Link], user_id: int) -> None:
    """Every unused link of this kind for the user stops working."""
    db.session.execute(
        db.update(model)
        .where(model.user_id == user_id, model.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
