"""A manager asks for an export (the audit pack, the compliance CSV, all completions); a job
builds it; the page of the request shows its state and, once ready, the download. Only the
person who asked sees the request (404 otherwise).

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Clinic
from ..models.export import ExportRequest
from . import export_jobs
from .export_jobs import exports_dir
from .views import bp, clinic_for_manager, dashboard_filters

# Seconds before the request's page asks again while the pack is being built.
RETRY_SECONDS = 3


def _own_request(export_id: int) -> ExportRequest:
    row = db.session.get(ExportRequest, export_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


def _ask(clinic_id: int, kind: str) -> Response:
    """Record the request, with the dashboard's filters the button posts where the kind is
    built from them (the CSVs hold the list on screen), and answer at once with its page;
    nothing is built here."""
    clinic = clinic_for_manager(clinic_id)
    if not FlaskForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    filters = _posted_filters() if export_jobs.KINDS[kind].filtered else (None, "", "status")
    row = export_jobs.request_export(clinic, current_user, kind, *filters)
    db.session.commit()
    return redirect(url_for("clinics.export_request", export_id=row.id))


def _posted_filters() -> tuple[str | None, str, str]:
    return dashboard_filters(
        request.form.get("status"), request.form.get("q"), request.form.get("sort")
    )


@bp.post("/clinics/<int:clinic_id>/export/audit-pack")
@login_required
def request_audit_pack(clinic_id: int) -> Response:
    return _ask(clinic_id, "audit-pack")


@bp.post("/clinics/<int:clinic_id>/export/dashboard.csv")
@login_required
def request_dashboard_csv(clinic_id: int) -> Response:
    return _ask(clinic_id, "dashboard")


@bp.post("/clinics/<int:clinic_id>/export/completions.csv")
@login_required
def request_completions_csv(clinic_id: int) -> Response:
    return _ask(clinic_id, "completions")


@bp.get("/exports/<int:export_id>")
@login_required
def export_request(export_id: int) -> str:
    row = _own_request(export_id)
    return render_template(
        "clinics/export_request.html",
        request_row=row,
        kind=export_jobs.KINDS.get(row.kind),
        chosen=export_jobs.describe(row),
        clinic=db.session.get(Clinic, row.clinic_id),
        retry=RETRY_SECONDS,
    )


@bp.get("/exports/<int:export_id>/download")
@login_required
def export_download(export_id: int) -> Response:
    row = _own_request(export_id)
    kind = export_jobs.KINDS.get(row.kind)
    if not row.ready or row.file_key is None or kind is None:
        abort(404)
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
