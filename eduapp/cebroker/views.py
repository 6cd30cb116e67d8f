"""Admins' CE Broker pages: which courses can be reported, a course's completions in a date
range with what is unreported and how long is left of the 30 days, the roster download, and
marking a roster reported. Views parse and check; services.py decides; one commit."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from ..ce.services import today_for
from ..extensions import db
from ..models import Course, User
from . import services
from .forms import ReportForm

bp = Blueprint("cebroker", __name__, url_prefix="/admin/cebroker")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin() -> User:
    if not current_user.is_admin:
        abort(403)
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _provider() -> tuple[str, str | None]:
    return services.provider_setting(current_app.config.get("CEBROKER_PROVIDER"))


def _range() -> tuple[date, date, list[str]]:
    """The dates asked for (default: the last 60 days), and a message per field that is wrong."""
    end_default = today_for(current_user)
    values, errors = {}, []
    for name, label, default in (
        ("start", "From", end_default - timedelta(days=60)),
        ("end", "To", end_default),
    ):
        text = request.args.get(name, "").strip()[:20]
        try:
            values[name] = date.fromisoformat(text) if text else default
        except ValueError:
            values[name] = default
            errors.append(f"{label}: give a real date, like 2026-11-24.")
    start, end = values["start"], values["end"]
    if not errors and end < start:
        errors.append("To: must not be before From.")
    elif not errors and (end - start).days > services.MAX_RANGE_DAYS:
        errors.append(f"To: at most {services.MAX_RANGE_DAYS} days after From.")
    return start, end, errors


@bp.get("")
@login_required
def index() -> str:
    _admin()
    reportable, not_reportable = services.courses_by_reportability()
    return render_template(
        "cebroker/index.html",
        reportable=reportable,
        not_reportable=not_reportable,
        provider_problem=_provider()[1],
    )


@bp.get("/courses/<int:course_id>")
@login_required
def course(course_id: int) -> tuple[str, int]:
    _admin()
    course = db.get_or_404(Course, course_id)
    start, end, errors = _range()
    found = [] if errors else services.completions(course, start, end)
    pending = services.unreported(found)
    form = ReportForm(formdata=None, certificates=",".join(str(c.certificate_id) for c in pending))
    return render_template(
        "cebroker/course.html",
        course=course,
        start=start,
        end=end,
        errors=errors,
        found=found,
        pending=pending,
        today=today_for(current_user),
        form=form,
        provider_problem=_provider()[1],
    ), 400 if errors else 200


def _roster_request(course_id: int) -> tuple[Course, date, date, str]:
    """What the download and the marking both need, each refused as it is wrong: an unknown
    course 404, bad dates 400 (naming the field), no provider number 409."""
    course = db.get_or_404(Course, course_id)
    start, end, errors = _range()
    if errors:
        abort(400, " ".join(errors))
    provider, problem = _provider()
    if problem:
        abort(409, problem)
    return course, start, end, provider


@bp.get("/courses/<int:course_id>/roster.xlsx")
@login_required
def roster(course_id: int) -> Response:
    _admin()
    course, start, end, provider = _roster_request(course_id)
    pending = services.unreported(services.completions(course, start, end))
    profession = str(current_app.config.get("CEBROKER_PROFESSION") or "")
    name = f"cebroker-{course.slug}-{start}-{end}.xlsx"
    return Response(
        services.roster_file(pending, provider, profession),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/courses/<int:course_id>/report")
@login_required
def report(course_id: int) -> Response:
    admin = _admin()
    course, start, end, provider = _roster_request(course_id)
    form = ReportForm()
    if not form.validate():
        abort(400, " ".join(e for errs in form.errors.values() for e in errs))
    found = services.completions(course, start, end)
    try:
        batch = services.mark_reported(course, found, form.certificate_ids(), provider, admin)
        db.session.commit()
    except services.ReportRefused as refused:
        abort(400, str(refused))
    except IntegrityError:  # another admin marked the same completions a moment ago
        db.session.rollback()
        batch = None
    if batch is None:
        flash("Nothing new recorded: these completions were already reported.")
    else:
        flash(f"Recorded {batch.completions} completions as reported to CE Broker.")
    return redirect(url_for("cebroker.course", course_id=course.id, start=start, end=end))
