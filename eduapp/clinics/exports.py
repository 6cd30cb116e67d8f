"""A clinic's exports: the dashboard and the completions as CSV (of the staff its filters
chose, when given), and the audit pack as a ZIP of each person's stored certificates, CE files
and transcript. All are generated as they are written, one row or one file at a time, and see
only staff who share (``shared_staff``)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from flask import current_app

from ..ce import transcript, uploads
from ..csvsafe import csv_lines
from ..extensions import db
from ..models import Certificate, Course, Enrolment, ExternalCredit, User
from ..templating import ce
from .dashboard import StaffRow, matching, matching_ids, staff_rows
from .services import shared_staff

DASHBOARD_COLUMNS = (
    "name",
    "email",
    "status",
    "licence",
    "licence number",
    "renewal date",
    "licence status",
    "hours counted",
    "hours required",
    "missing",
    "next due course",
    "due on",
    "certificates",
)
COMPLETION_COLUMNS = (
    "name",
    "email",
    "course",
    "completed at (UTC)",
    "CE hours",
    "certificate id",
    "verification",
)


# The dashboard's filters an export request records: "status" (None: any), "q" (name or
# email) and, for the compliance CSV, "sort".
Filters = dict[str, Any]
CHUNK = 500  # people assessed at a time, so memory stays bounded however large the clinic


def _listed(clinic_id: int, filters: Filters | None) -> Iterator[StaffRow]:
    """The staff to export, assessed: everyone by name, or the dashboard's list (its filters,
    its order), a chunk at a time."""
    if filters is None:
        yield from staff_rows(clinic_id)
        return
    ids = matching_ids(
        clinic_id, filters.get("status"), filters.get("q") or "", filters.get("sort") or "name"
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        assessed = {row.user.id: row for row in staff_rows(clinic_id, chunk)}
        yield from (assessed[i] for i in chunk if i in assessed)


def dashboard_csv(clinic_id: int, filters: Filters | None = None) -> Iterator[str]:
    def rows() -> Iterator[list[object]]:
        yield list(DASHBOARD_COLUMNS)
        for row in _listed(clinic_id, filters):
            due = row.next_due
            base = [row.user.name, row.user.email, row.status]
            tail = [
                due.course.title if due else "",
                due.due_on.isoformat() if due else "",
                row.certificates,
            ]
            if not row.licences:
                yield [*base, "", "", "", "", "", "", "", *tail]
            for licence in row.licences:
                c = licence.compliance
                missing = "; ".join(f"{m.label} {ce(m.missing)}" for m in c.missing)
                if c.total_missing and not missing:
                    missing = f"{ce(c.total_missing)} hours"
                yield [
                    *base,
                    licence.pack.name,
                    licence.licence.number,
                    licence.licence.renewal_date.isoformat(),
                    c.status,
                    ce(c.total_counted),
                    ce(c.total_required),
                    missing,
                    *tail,
                ]

    return csv_lines(rows(), bom=True)


def completions_csv(clinic_id: int, filters: Filters | None = None) -> Iterator[str]:
    """Every completed course of the sharing staff (those the dashboard's filters chose, if
    given), with its certificate where there is one."""
    if filters is None:
        staff = shared_staff(clinic_id).with_only_columns(User.id).subquery()
    else:
        staff = matching(clinic_id, filters.get("status"), filters.get("q") or "").subquery()
    certificates = {
        (user_id, course_id): code
        for user_id, course_id, code in db.session.execute(
            db.select(Certificate.user_id, Certificate.course_id, Certificate.code)
            .join(staff, staff.c.id == Certificate.user_id)
            .where(Certificate.revoked_at.is_(None))
            .order_by(Certificate.id)
        ).all()
    }
    query = (
        db.select(
            User.id,
            Course.id,
            User.name,
            User.email,
            Course.title,
            Enrolment.completed_at,
            Course.ce_hours,
        )
        .join(staff, staff.c.id == User.id)
        .join(Enrolment, Enrolment.user_id == User.id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.completed_at.is_not(None))
        .order_by(User.name, Enrolment.completed_at)
    )

    base = current_app.config["BASE_URL"]

    def rows() -> Iterator[list[object]]:
        yield list(COMPLETION_COLUMNS)
        for user_id, course_id, name, email, title, completed_at, hours in db.session.execute(
            query
        ).yield_per(500):
            code = certificates.get((user_id, course_id))
            yield [
                name,
                email,
                title,
                completed_at.isoformat(timespec="minutes"),
                ce(hours),
                code or "",
                f"{base}/verify/{code}" if code else "",
            ]

    return csv_lines(rows(), bom=True)


class _Sink(io.RawIOBase):
    """Collects what zipfile writes, to hand it on chunk by chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> Iterator[bytes]:
        chunks, self.chunks = self.chunks, []
        yield from chunks


def _folder(user: User) -> str:
    safe = re.sub(r"[^\w .@-]+", "_", f"{user.name} ({user.email})").strip(" .")
    return safe[:120] or f"user-{user.id}"


def audit_entries(clinic_id: int) -> Iterator[tuple[str, bytes]]:
    """(path in the ZIP, bytes) for every sharing staff member: transcript and stored files."""
    staff = list(db.session.execute(shared_staff(clinic_id).order_by(User.name)).scalars())
    for user in staff:
        folder = _folder(user)
        yield f"{folder}/transcript.pdf", transcript.as_pdf(user)
        yield f"{folder}/transcript.csv", transcript.as_csv(user).encode()
        for certificate in db.session.execute(
            db.select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)
        ).scalars():
            state = "-REVOKED" if certificate.revoked else ""
            slug = certificate.facts.get("course_slug", "course")
            name = f"{folder}/certificates/{slug}-{certificate.code}{state}"
            if certificate.pdf is None:  # issued a moment ago; its job has not drawn it yet
                verify = certificate.facts.get("verify_url", "")
                yield f"{name}-PDF-BEING-PREPARED.txt", f"Being prepared: {verify}\n".encode()
            else:
                yield f"{name}.pdf", certificate.pdf
        for row in db.session.execute(
            db.select(ExternalCredit)
            .where(ExternalCredit.user_id == user.id, ExternalCredit.file_key.is_not(None))
            .order_by(ExternalCredit.completed_on)
        ).scalars():
            path = uploads.path_of(row.file_key or "")
            if path.is_file():
                suffix = {"application/pdf": ".pdf", "image/png": ".png"}.get(
                    row.file_type or "", ".jpg"
                )
                name = f"{row.completed_on.isoformat()}-{row.id}{suffix}"
                yield f"{folder}/other-ce/{name}", path.read_bytes()


def stream_zip(entries: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
            yield from sink.drain()
    yield from sink.drain()
