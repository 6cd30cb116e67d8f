"""Licences and the CE rules they follow, and CE a learner took elsewhere."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime


class RulePack(db.Model):
    """A licence type's CE rules (``ce-rules/<slug>.yml``), whose versions change over time."""

    __tablename__ = "rule_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    jurisdiction: Mapped[str] = mapped_column(String(2))
    approving_bodies: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    reviewed_on: Mapped[date] = mapped_column(Date)


class RuleVersion(db.Model):
    """One version of a pack's rules. Files seed versions; an admin's edit adds a version,
    and a re-import of the files never changes it."""

    __tablename__ = "rule_versions"
    __table_args__ = (UniqueConstraint("pack_id", "effective_from", "origin", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("rule_packs.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    # The version as the file format has it (eduapp.ce.rulefile.RuleVersion, as JSON).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(10))  # "file" or "admin"
    # Admin edits of the same date count up; the highest revision wins.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")


class Licence(db.Model):
    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("rule_packs.id"))
    number: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(2))
    renewal_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class ExternalCredit(db.Model):
    """CE taken elsewhere, recorded by the learner, with the certificate file they upload."""

    __tablename__ = "external_credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    topic: Mapped[str] = mapped_column(String(80))
    delivery: Mapped[str] = mapped_column(String(20))
    # The bodies the learner says approved it (rule packs count only their own bodies).
    approved_by: Mapped[list[str]] = mapped_column(JSON)
    # The stored file, under EDUAPP_FILES_DIR/ce/ (a random name), and what it is.
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_key: Mapped[str | None] = mapped_column(String(64))
    file_type: Mapped[str | None] = mapped_column(String(40))
    file_size: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
