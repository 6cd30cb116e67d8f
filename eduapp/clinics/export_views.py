"""A manager asks for an export (the audit pack, the compliance CSV, all completions); a job
builds it; the page of the request (eduapp.exports.views) shows its state and, once ready, the
download, to the person who asked alone.

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from . import export_jobs
from .views import bp, clinic_for_manager, dashboard_filters


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
    return redirect(url_for("exports.request_page", export_id=row.id))


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
