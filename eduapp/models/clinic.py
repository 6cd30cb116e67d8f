"""Clinics: their managers and staff, invitations, course assignments, and audited edits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db
from .types import UTCDateTime

MANAGER, STAFF = "manager", "staff"


class Clinic(db.Model):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ClinicMember(db.Model):
    """A person in a clinic. Staff share their CE with the clinic from ``consented_at`` until
    they leave (``left_at``); leaving ends the sharing and is kept as history. When a manager
    ended the membership, ``removed_by_id`` says who: the clinic's audit line of former staff
    (and the person's own notice on My CE)."""

    __tablename__ = "clinic_members"
    __table_args__ = (
        UniqueConstraint("clinic_id", "user_id", "role"),
        Index("ix_clinic_members_clinic_role", "clinic_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ClinicInvite(db.Model):
    """A single-use link to join a clinic as staff; only its hash is stored."""

    __tablename__ = "clinic_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_count: Mapped[int] = mapped_column(Integer, default=1)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Assignment(db.Model):
    """A course a clinic asks its staff to complete by a date; ``user_id`` None is everyone."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class LicenceEdit(db.Model):
    """A manager's change to a staff member's licence, shown to that person."""

    __tablename__ = "licence_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReminderLog(db.Model):
    """One reminder sent: to whom, why, on which of their local dates. A second run of
    ``flask ce remind`` the same day finds the row and sends nothing again."""

    __tablename__ = "reminder_logs"
    __table_args__ = (UniqueConstraint("user_id", "reason", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(80))
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)


class ComplianceSummary(db.Model):
    """A person's CE compliance across their licences, kept so a clinic's dashboard reads one
    row per staff member instead of assessing every licence on every request.

    It is a cache of ``eduapp.ce.compliance.assess``, never a source: every write to what it
    is computed from (licences, CE records, certificates, rule packs, the person's time zone)
    bumps ``generation`` in the same transaction (a change of name or email too: the row
    keeps them casefolded for sorting and search), and a row counts only while
    ``computed_generation`` equals it and ``valid_until`` (the start of the person's local day
    on which a status changes by date alone) has not come. See ``eduapp.clinics.summaries``.
    """

    __tablename__ = "compliance_summaries"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    computed_generation: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(20))
    # Hours in hundredths, as whole numbers: CE hours are kept to two decimals everywhere, and
    # 30,000 integers read far faster than 30,000 Decimals (SQLite stores NUMERIC as REAL).
    counted_hundredths: Mapped[int | None] = mapped_column(Integer)
    required_hundredths: Mapped[int | None] = mapped_column(Integer)
    missing_hundredths: Mapped[int | None] = mapped_column(Integer)
    # The name casefolded (the dashboard's name order, compared byte by byte) and the name
    # and email casefolded (what its search box matches), so it sorts and pages in SQL.
    sort_name: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
