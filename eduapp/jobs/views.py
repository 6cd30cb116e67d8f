"""Admins' page of jobs that failed for good, with their error and a retry button."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import FailedJob
from . import failures
from .forms import RetryForm

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


def _admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/failed")
@login_required
def failed() -> str:
    _admin()
    return render_template("jobs/failed.html", rows=failures.waiting(), form=RetryForm())


@bp.post("/failed/<int:failed_id>/retry")
@login_required
def retry(failed_id: int) -> Response:
    _admin()
    row = db.get_or_404(FailedJob, failed_id)
    if not RetryForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    if failures.retry(row, current_user._get_current_object()):
        db.session.commit()
        flash(f"{row.name} was sent to the queue again.", "success")
    else:
        flash(f"{row.name} was already retried, or is no longer a job this app runs.", "info")
    return redirect(url_for("jobs.failed"))
