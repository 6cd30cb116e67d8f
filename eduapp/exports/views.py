"""The page of an export request and its download, whatever its kind: only the person who
asked sees either (404 for anyone else, admins included, as for a request that does not
exist), and the file only while they may still see what it holds (403 once they no longer
manage the clinic or course). Until the job has built the file the page says so and asks
again by itself (a meta refresh: no script) for a couple of minutes, then waits for the
person's "Check again now"; once built it offers the download.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..jobs.waiting import retry_after
from ..models import Clinic, Course
from ..models.export import ExportRequest
from .kinds import KINDS, exports_dir

bp = Blueprint("exports", __name__)


def _own_request(export_id: int) -> ExportRequest:
    row = db.session.get(ExportRequest, export_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


def _may_see(row: ExportRequest) -> bool:
    """Whether its asker still manages what the file is about: the file is offered no
    longer than the data in it would be shown to them."""
    kind = KINDS.get(row.kind)
    return kind is not None and kind.may_see(current_user, row.subject_id)


@bp.get("/exports/<int:export_id>")
@login_required
def request_page(export_id: int) -> str:
    row = _own_request(export_id)
    kind = KINDS.get(row.kind)
    return render_template(
        "exports/request.html",
        request_row=row,
        kind=kind,
        chosen=kind.describe(row) if kind is not None and kind.describe is not None else None,
        clinic=db.session.get(Clinic, row.clinic_id) if row.clinic_id is not None else None,
        course=db.session.get(Course, row.course_id) if row.course_id is not None else None,
        allowed=_may_see(row),
        retry=retry_after(row.created_at),
    )


@bp.get("/exports/<int:export_id>/download")
@login_required
def download(export_id: int) -> Response:
    row = _own_request(export_id)
    kind = KINDS.get(row.kind)
    if not row.ready or row.file_key is None or kind is None:
        abort(404)
    if not _may_see(row):
        abort(403)
    path: Path = exports_dir() / row.file_key
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=kind.mimetype,
        as_attachment=True,
        download_name=kind.filename(row),
        max_age=0,
    )
