"""People and the records that protect their accounts."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Float, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class Role(enum.StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER.value)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Flask-Login's "alternative token": rotating it ends every other session and remember cookie.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # None until the address is proved (a sign-up's link, a reset link, a clinic invitation):
    # an account nobody has proved is not usable, so a sign-up cannot squat someone's address.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by an admin: the account cannot sign in, and every session of it has ended; its
    # records (attempts, certificates, CE, memberships) stay as they are.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last successful password sign-in, shown to admins; None until the first one.
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Spaced review: the recall probability the scheduler aims for (0.8 to 0.95), whether the
    # learner wants a weekly email when cards are due, and when the last one was queued.
    # Defaults on the server, so rows written by code that predates these columns (older
    # revisions' data migrations, raw inserts) get them too.
    review_retention: Mapped[float] = mapped_column(Float, server_default=text("0.9"))
    review_weekly_mail: Mapped[bool] = mapped_column(Boolean, server_default=false())
    review_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_deactivated(self) -> bool:
        return self.deactivated_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AccountChange(db.Model):
    """One change an admin made to an account (role, deactivation, a reset link sent, a
    lockout cleared): who, when, what, the value before and after, and why if they said.
    Append-only, shown on the account's admin page newest first."""

    __tablename__ = "account_changes"
    __table_args__ = (Index("ix_account_changes_user_at", "user_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    admin_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    action: Mapped[str] = mapped_column(String(30))
    before: Mapped[str | None] = mapped_column(String(60))
    after: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(500))


class LoginFailure(db.Model):
    """One failed sign-in; counted in the database so limits hold across workers and servers."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "created_at"),
        Index("ix_login_failures_ip_at", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class SingleUseLink:
    """The columns of a link mailed to someone that works once, until it expires. Only the
    token's SHA-256 is stored, so a leaked database opens nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetToken(SingleUseLink, db.Model):
    """A password reset link."""

    __tablename__ = "password_reset_tokens"


class EmailVerification(SingleUseLink, db.Model):
    """A sign-up's confirmation link (24 hours)."""

    __tablename__ = "email_verifications"


class AccountRequest(db.Model):
    """A sign-up, reset or confirmation request, counted to limit them per address and per
    client (as LoginFailure does for sign-ins), in the database so limits hold everywhere."""

    __tablename__ = "account_requests"
    __table_args__ = (
        Index("ix_account_requests_action_email_at", "action", "email", "created_at"),
        Index("ix_account_requests_action_ip_at", "action", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    # A sign-up keeps the password it was given for a day, so that signing in with it answers
    # "confirm your address first" whether or not the address already had an account.
    password_hash: Mapped[str | None] = mapped_column(String(255))


class RememberToken(db.Model):
    """One browser's "keep me signed in": a series whose token changes on every use.

    Only the token's SHA-256 is kept (and the one before it, briefly, for tabs restoring at
    once); ``expires_at`` is enforced here, whatever the browser does with the cookie.
    """

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    series: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
