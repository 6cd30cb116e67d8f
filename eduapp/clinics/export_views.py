"""A manager asks for the audit pack; a job builds it; the page of the request shows its state
and, once ready, the download. Only the person who asked sees the request (404 otherwise).

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Clinic
from ..models.export import ExportRequest
from . import export_jobs
from .export_jobs import exports_dir
from .views import bp, clinic_for_manager

# Seconds before the request's page asks again while the pack is being built.
RETRY_SECONDS = 3


def _own_request(export_id: int) -> ExportRequest:
    row = db.session.get(ExportRequest, export_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


@bp.post("/clinics/<int:clinic_id>/export/audit-pack")
@login_required
def request_audit_pack(clinic_id: int) -> Response:
    clinic = clinic_for_manager(clinic_id)
    if not FlaskForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    row = export_jobs.request_audit_pack(clinic, current_user)
    db.session.commit()
    return redirect(url_for("clinics.export_request", export_id=row.id))


@bp.get("/exports/<int:export_id>")
@login_required
def export_request(export_id: int) -> str:
    row = _own_request(export_id)
    return render_template(
        "clinics/export_request.html",
        request_row=row,
        clinic=db.session.get(Clinic, row.clinic_id),
        retry=RETRY_SECONDS,
    )


@bp.get("/exports/<int:export_id>/download")
@login_required
def export_download(export_id: int) -> Response:
    row = _own_request(export_id)
    if not row.ready or row.file_key is None:
        abort(404)
    path: Path = exports_dir() / row.file_key
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"audit-pack-{row.clinic_id}-{row.id}.zip",
        max_age=0,
    )
