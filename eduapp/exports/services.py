"""Recording an export request: the one write the asking request makes. Who may ask is the
caller's to check (a clinic's manager, a course's manager); the job is enqueued once the
caller commits, and a sweep catches it if the broker loses it."""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..jobs import after_commit
from ..models import User
from ..models.export import ExportRequest
from .kinds import KINDS, Filters


def record_request(
    kind: str, asker: User, subject_id: int, filters: Filters | None = None
) -> ExportRequest:
    """A pending request for one of the registered kinds, about the clinic or the course its
    kind's scope names."""
    export = KINDS.get(kind)
    if export is None:
        raise ValueError(f"unknown export {kind!r}")
    subject = {"clinic_id" if export.scope == "clinic" else "course_id": subject_id}
    row = ExportRequest(user_id=asker.id, kind=kind, filters=filters, **subject)
    db.session.add(row)
    after_commit("build_export", row)
    current_app.logger.info(
        "%s of %s %d asked for by user %d", kind, export.scope, subject_id, asker.id
    )
    return row
