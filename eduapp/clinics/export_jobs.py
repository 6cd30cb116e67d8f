"""A clinic's large exports as jobs keyed by their export request's id, so no request waits
on a ZIP of every staff member's certificates and transcripts (the audit pack) or on assessing
every staff member (the compliance CSV, seconds at 10,000 staff) or reading every completion.

The job claims the request (``UPDATE ... WHERE status = 'pending'``), so of two runs one
builds; it writes the ZIP to a temporary name and renames it into place, then marks the
request ready. A sweep re-enqueues requests still pending two minutes on, and builds whose
worker died (still "building" after :data:`BUILD_LEASE`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..jobs import after_commit, job, jobs, periodic
from ..models import Clinic, User
from ..models.export import ExportRequest, ExportStatus
from . import exports

STALE = timedelta(minutes=2)
# A build still "building" after this was left by a worker that died; it is claimed again.
# Far longer than any clinic's pack takes, so a live worker always finishes first.
BUILD_LEASE = timedelta(minutes=30)


def _claimable(moment: datetime) -> ColumnElement[bool]:
    return or_(
        # failed: huey's retry, or an admin's, builds it again
        ExportRequest.status.in_((ExportStatus.PENDING.value, ExportStatus.FAILED.value)),
        and_(
            ExportRequest.status == ExportStatus.BUILDING.value,
            ExportRequest.started_at <= moment - BUILD_LEASE,
        ),
    )


def exports_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "exports"


@dataclass(frozen=True)
class ExportKind:
    """What a request's ``kind`` builds, and how its file is named and served."""

    title: str  # on the request's page
    link: str  # its download link's text
    prefix: str  # of the downloaded file's name
    mimetype: str
    suffix: str
    build: Callable[[int], Iterator[bytes]]  # the file's bytes, from the clinic's id

    def filename(self, row: ExportRequest) -> str:
        return f"{self.prefix}-{row.clinic_id}-{row.id}.{self.suffix}"


def _utf8(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")


KINDS = {
    "audit-pack": ExportKind(
        "Audit pack",
        "Download the audit pack (ZIP)",
        "audit-pack",
        "application/zip",
        "zip",
        lambda clinic_id: exports.stream_zip(exports.audit_entries(clinic_id)),
    ),
    "dashboard": ExportKind(
        "Compliance (CSV)",
        "Download the compliance CSV",
        "compliance",
        "text/csv",
        "csv",
        lambda clinic_id: _utf8(exports.dashboard_csv(clinic_id)),
    ),
    "completions": ExportKind(
        "All completions (CSV)",
        "Download all completions (CSV)",
        "completions",
        "text/csv",
        "csv",
        lambda clinic_id: _utf8(exports.completions_csv(clinic_id)),
    ),
}


def request_export(clinic: Clinic, manager: User, kind: str) -> ExportRequest:
    """Record the manager's request for one of :data:`KINDS`; its job is enqueued once the
    caller commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}")
    row = ExportRequest(user_id=manager.id, clinic_id=clinic.id, kind=kind)
    db.session.add(row)
    after_commit("build_export", row)
    current_app.logger.info("%s of clinic %d asked for by user %d", kind, clinic.id, manager.id)
    return row


@job(retries=2, retry_delay=30)
def build_export(request_id: int) -> str:
    """Returns "ready" or "not claimed" (built already, or another worker has it)."""
    begin_write()
    moment = now()
    claimed = db.session.execute(
        db.update(ExportRequest)
        .where(ExportRequest.id == request_id, _claimable(moment))
        .values(status=ExportStatus.BUILDING.value, started_at=moment)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return "not claimed"
    request = db.session.get_one(ExportRequest, request_id)
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    partial = folder / f"{key}.partial"
    try:
        with partial.open("wb") as handle:
            for chunk in KINDS[request.kind].build(request.clinic_id):
                handle.write(chunk)
        os.replace(partial, folder / key)
    except Exception as error:
        partial.unlink(missing_ok=True)
        db.session.rollback()
        begin_write()
        row = db.session.get_one(ExportRequest, request_id)
        # Shown to its owner; huey's retries claim it again, and the last failure lands
        # among the failed jobs an admin sees.
        row.status = ExportStatus.FAILED.value
        row.error = f"{type(error).__name__}: {error}"[:1000]
        db.session.commit()
        raise
    db.session.rollback()  # end the reads; nothing stays open
    begin_write()
    row = db.session.get_one(ExportRequest, request_id)
    row.status = ExportStatus.READY.value
    row.file_key = key
    row.size = (folder / key).stat().st_size
    row.finished_at = now()
    row.error = None
    db.session.commit()
    return "ready"


@periodic(minute="*")
def sweep_exports() -> int:
    """Every minute: enqueue export requests still pending two minutes after they were made,
    and builds left by a worker that died."""
    moment = now()
    ids = list(
        db.session.execute(
            db.select(ExportRequest.id).where(
                or_(
                    and_(
                        ExportRequest.status == ExportStatus.PENDING.value,
                        ExportRequest.created_at <= moment - STALE,
                    ),
                    and_(
                        ExportRequest.status == ExportStatus.BUILDING.value,
                        ExportRequest.started_at <= moment - BUILD_LEASE,
                    ),
                )
            )
        ).scalars()
    )
    db.session.rollback()
    for request_id in ids:
        jobs().enqueue("build_export", request_id)
    return len(ids)
