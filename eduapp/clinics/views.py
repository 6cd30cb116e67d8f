"""Clinic pages: admins create clinics; managers find theirs and follow compliance; staff
accept an invitation (consenting to share) and can leave.

The blueprint's other pages live beside this module, by responsibility, and register on the
same ``bp``: staff and invitations (``staff_views``), managers (``manager_views``), assigned
courses (``assignment_views``), exports and licence corrections (``records``).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import Clinic
from . import dashboard, services
from .chart import status_chart
from .forms import AcceptForm, ClinicForm

bp = Blueprint("clinics", __name__)
# base.html's "My clinic(s)" entry: what the user loader already found, or one small query.
bp.add_app_template_global(services.manager_nav, "manager_nav")


def clinic_for_manager(clinic_id: int) -> Clinic:
    """The clinic, if the signed-in person manages it; anyone else gets a plain 404."""
    clinic = db.session.get(Clinic, clinic_id)
    if clinic is None or not services.is_manager(current_user, clinic_id):
        abort(404)
    return clinic


@bp.route("/admin/clinics", methods=["GET", "POST"])
@login_required
def admin_clinics() -> str | Response:
    if not current_user.is_admin:
        abort(403)
    form = ClinicForm()
    if form.validate_on_submit():
        try:
            clinic = services.create_clinic(form.name.data, form.manager_email.data, current_user)
        except services.ClinicError as error:
            db.session.rollback()
            form.manager_email.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                f"{clinic.name} is created; its manager is emailed a link and can now invite "
                "staff.",
                "success",
            )
            return redirect(url_for("clinics.admin_clinics"))
    clinics = db.session.execute(db.select(Clinic).order_by(Clinic.name)).scalars().all()
    return render_template("clinics/admin.html", form=form, clinics=clinics)


@bp.get("/clinics")
@login_required
def my_clinics() -> str | Response:
    clinics = services.managed_clinics(current_user)
    if len(clinics) == 1:
        return redirect(url_for("clinics.dashboard_page", clinic_id=clinics[0].id))
    return render_template("clinics/list.html", clinics=clinics)


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 6:  # "²" is a digit too
        abort(400, f"{name} must be a page number.")
    return int(value)


def dashboard_filters(
    status: str | None, text: str | None, sort: str | None
) -> tuple[str | None, str, str]:
    """(status, name or email, sort) as the dashboard's query string or an export button
    gives them; 400 for a status or sort the page never offers."""
    status, sort = status or None, sort or "status"
    if status not in (None, *dashboard.STATUSES) or sort not in dashboard.SORTS:
        abort(400, "Unknown status or sort order.")
    return status, (text or "").strip()[:100], sort


@bp.get("/clinics/<int:clinic_id>")
@login_required
def dashboard_page(clinic_id: int) -> str:
    clinic = clinic_for_manager(clinic_id)
    status, query, sort = dashboard_filters(
        request.args.get("status"), request.args.get("q"), request.args.get("sort")
    )
    board = dashboard.build(clinic.id, status, query, sort, _int_arg("page", 1))
    if board.refreshed:
        db.session.commit()  # stale summaries it recomputed: a cache, not a change of state
    return render_template(
        "clinics/dashboard.html",
        clinic=clinic,
        board=board,
        chart=status_chart(board.counts),
        statuses=dashboard.STATUSES,
        sorts=dashboard.SORT_LABELS,
        status=status,
        sort=sort,
        query=query,
    )


@bp.route("/invites/<token>", methods=["GET", "POST"])
def accept(token: str) -> str | Response:
    """The token is checked before sign-in is asked for, so nobody makes an account to
    follow a dead link; a live one survives sign-in and sign-up (see auth.destinations)."""
    row = services.live_invite(token) if len(token) <= 100 else None
    if row is None:
        flash(
            "This invitation link is not valid any more: ask the clinic to send a new one.", "error"
        )
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for("ce.my_ce"))
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    clinic = db.session.get_one(Clinic, row.clinic_id)
    if row.email != current_user.email:
        flash(
            f"This invitation was sent to {row.email}: sign in with that address to accept it.",
            "error",
        )
        return redirect(url_for("ce.my_ce"))
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            services.accept(row, current_user)
        except services.ClinicError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("ce.my_ce"))
        db.session.commit()
        flash(f"You now share your CE with {clinic.name}. You can leave at any time.", "success")
        return redirect(url_for("ce.my_ce"))
    return render_template("clinics/accept.html", clinic=clinic, invite=row, form=form)


@bp.post("/clinics/<int:clinic_id>/leave")
@login_required
def leave(clinic_id: int) -> str | Response:
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        clinic = db.session.get(Clinic, clinic_id)
        if clinic is None or services.staff_membership(clinic_id, current_user) is None:
            abort(404)
        return confirm.ask(
            title=f"Leave {clinic.name}?",
            consequence=f"{clinic.name} stops seeing your licences, CE and certificates at "
            "once. To share them again you will need a new invitation from a manager.",
            button="Leave the clinic",
            cancel_url=url_for("ce.my_ce"),
        )
    try:
        services.leave(clinic_id, current_user)
    except services.ClinicError:
        abort(404)
    db.session.commit()
    flash("You left the clinic; it no longer sees your CE.", "success")
    return redirect(url_for("ce.my_ce"))


# The blueprint's other pages, registered on ``bp`` when imported.
from . import (  # noqa: E402, F401
    assignment_views,
    export_views,
    manager_views,
    records,
    staff_views,
)
