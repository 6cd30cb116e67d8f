"""A learner's own certificates, listed on My learning."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam

from ..database import read_rows
from ..extensions import db
from ..models import Certificate


@dataclass(frozen=True)
class CertificateListing:
    """What My learning shows of one certificate: its words as printed, never the PDF bytes."""

    code: str
    course_title: str
    completed_on: str  # ISO date, as printed on the certificate
    ce_hours: str

    @property
    def completed_label(self) -> str:
        """The date as the rest of My learning writes dates ("3 December 2026")."""
        day = date.fromisoformat(self.completed_on)
        return f"{day.day} {day:%B %Y}"


@functools.cache
def _standing() -> Any:
    """Built once: My learning runs it for every learner."""
    return (
        db.select(Certificate.code, Certificate.facts)
        .where(Certificate.user_id == bindparam("user_id"), Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )


def certificates_of(user_id: int) -> list[CertificateListing]:
    """The learner's certificates that stand (not revoked; a correction replaces the one it
    corrects), newest first, in one query however many there are. Only the printed facts are
    read: the stored PDFs stay in the database until someone downloads one."""
    rows = read_rows(_standing(), {"user_id": user_id})
    return [
        CertificateListing(
            code=code,
            course_title=facts["course_title"],
            completed_on=facts["completed_on"],
            ce_hours=facts["ce_hours"],
        )
        for code, facts in rows
    ]
