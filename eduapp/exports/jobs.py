"""The job that builds any registered export kind, keyed by its request's id, and the sweep
that re-enqueues what the broker lost.

The job claims the request (``UPDATE ... WHERE status = 'pending'``), so of two runs one
builds; it writes the file to a temporary name and renames it into place, then marks the
request ready, with the kind's own writes about what went into the file (``settle``) in that
same transaction: a build that fails writes none of them, a retry writes them once. A sweep
re-enqueues requests still pending two minutes on, and builds whose worker died (still
"building" after :data:`BUILD_LEASE`). The job's name, ``build_export``, is what queued jobs
carry: it stays.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..jobs import job, jobs, periodic
from ..models import User
from ..models.export import ExportRequest, ExportStatus
from .kinds import KINDS, Refused, exports_dir

STALE = timedelta(minutes=2)
# A build still "building" after this was left by a worker that died; it is claimed again.
# Far longer than any export takes, so a live worker always finishes first.
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


def _end(request_id: int, status: ExportStatus, error: str) -> None:
    db.session.rollback()
    begin_write()
    row = db.session.get_one(ExportRequest, request_id)
    row.status = status.value
    row.error = error[:1000]
    db.session.commit()


@job(retries=2, retry_delay=30)
def build_export(request_id: int) -> str:
    """Returns "ready", "refused" (the asker may no longer see it) or "not claimed" (built
    already, or another worker has it)."""
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
    kind, subject_id, filters = KINDS[request.kind], request.subject_id, request.filters
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    partial = folder / f"{key}.partial"
    try:
        asker = db.session.get(User, request.user_id)
        if asker is None or asker.is_deactivated or not kind.may_see(asker, subject_id):
            raise Refused(f"you no longer manage this {kind.scope}, so nothing was built.")
        if kind.prepare is not None and kind.prepare(subject_id, filters):
            db.session.commit()
        built = kind.build(subject_id, filters, request.user_id)
        with partial.open("wb") as handle:
            for chunk in built:
                handle.write(chunk)
        os.replace(partial, folder / key)
    except Refused as refusal:
        partial.unlink(missing_ok=True)
        _end(request_id, ExportStatus.REFUSED, str(refusal))
        return "refused"
    except Exception as error:
        partial.unlink(missing_ok=True)
        # Shown to its owner; huey's retries claim it again, and the last failure lands
        # among the failed jobs an admin sees.
        _end(request_id, ExportStatus.FAILED, f"{type(error).__name__}: {error}")
        raise
    db.session.rollback()  # end the reads; nothing stays open
    begin_write()
    row = db.session.get_one(ExportRequest, request_id)
    if kind.settle is not None:
        kind.settle(row, built)
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
