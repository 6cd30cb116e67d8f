"""Personal access tokens for the clinics' API, and the log of every use.

Only a token's SHA-256 is stored (it is 256 random bits, so a fast hash is enough: nobody
can guess their way to a preimage), with its first characters to tell tokens apart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class ApiToken(db.Model):
    """A person's token: what it may do (``scopes``), until when, and whether revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown to tell tokens apart
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiTokenUse(db.Model):
    """One request made with a token. The rate limit counts these rows (so it holds across
    servers), and rows older than the retention period are deleted as new ones come."""

    __tablename__ = "api_token_uses"
    __table_args__ = (Index("ix_api_token_uses_token_at", "token_id", "used_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(200))
    status: Mapped[int | None] = mapped_column(Integer)  # None while the request runs
