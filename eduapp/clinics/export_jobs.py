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
from .dashboard import SORT_LABELS
from .exports import Filters
from .summaries import refresh_stale

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
    build: Callable[..., Iterator[bytes]]  # the file's bytes: (clinic id, filters=None)
    filtered: bool = False  # built from the dashboard's filters, which the request records
    ordered: bool = False  # in the dashboard's order too

    def filename(self, row: ExportRequest) -> str:
        return f"{self.prefix}-{row.clinic_id}-{row.id}.{self.suffix}"


def describe(row: ExportRequest) -> str | None:
    """Whom the export holds, in the words of the dashboard it was asked from; None for one
    that takes no filters (the audit pack: everyone)."""
    filters = row.filters
    if filters is None:
        return None
    chosen = []
    if filters.get("status"):
        chosen.append(f"status “{filters['status']}”")
    if filters.get("q"):
        chosen.append(f"a name or email containing “{filters['q']}”")
    who = "Staff with " + " and ".join(chosen) if chosen else "All staff who share their CE"
    sort = filters.get("sort")
    order = f", sorted by {SORT_LABELS[sort].lower()}" if sort in SORT_LABELS else ""
    return f"{who}{order}: the dashboard's filters when this was asked for."


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
        lambda clinic_id, _filters=None: exports.stream_zip(exports.audit_entries(clinic_id)),
    ),
    "dashboard": ExportKind(
        "Compliance (CSV)",
        "Download the compliance CSV",
        "compliance",
        "text/csv",
        "csv",
        lambda clinic_id, filters=None: _utf8(exports.dashboard_csv(clinic_id, filters)),
        filtered=True,
        ordered=True,
    ),
    "completions": ExportKind(
        "Completions (CSV)",
        "Download the completions (CSV)",
        "completions",
        "text/csv",
        "csv",
        lambda clinic_id, filters=None: _utf8(exports.completions_csv(clinic_id, filters)),
        filtered=True,
    ),
}


def request_export(
    clinic: Clinic,
    manager: User,
    kind: str,
    status: str | None = None,
    text: str = "",
    sort: str = "status",
) -> ExportRequest:
    """Record the manager's request for one of :data:`KINDS`, with the dashboard's filters
    where the kind is built from them (already checked by the caller); its job is enqueued
    once the caller commits."""
    export = KINDS.get(kind)
    if export is None:
        raise ValueError(f"unknown export {kind!r}")
    filters: Filters | None = None
    if export.filtered:
        filters = {"status": status, "q": text, **({"sort": sort} if export.ordered else {})}
    row = ExportRequest(user_id=manager.id, clinic_id=clinic.id, kind=kind, filters=filters)
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
    kind, clinic_id, filters = KINDS[request.kind], request.clinic_id, request.filters
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    partial = folder / f"{key}.partial"
    try:
        if filters is not None and refresh_stale(clinic_id):
            db.session.commit()  # the filters read the stored summaries, as the dashboard does
        with partial.open("wb") as handle:
            for chunk in kind.build(clinic_id, filters):
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
