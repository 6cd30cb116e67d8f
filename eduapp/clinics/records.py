"""A manager's downloads (dashboard and completions CSV; the audit pack is a job, see
``export_views``) and corrections of a staff member's licence: the clinic records that leave
the app or change someone's CE.

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import abort, flash, redirect, render_template, stream_with_context, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Licence, User
from . import exports, services
from .forms import StaffLicenceForm
from .views import bp, clinic_for_manager


def _download(body: Iterator, mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/clinics/<int:clinic_id>/export/dashboard.csv")
@login_required
def export_dashboard(clinic_id: int) -> Response:
    clinic = clinic_for_manager(clinic_id)
    return _download(exports.dashboard_csv(clinic.id), "text/csv", f"compliance-{clinic.id}.csv")


@bp.get("/clinics/<int:clinic_id>/export/completions.csv")
@login_required
def export_completions(clinic_id: int) -> Response:
    clinic = clinic_for_manager(clinic_id)
    return _download(exports.completions_csv(clinic.id), "text/csv", f"completions-{clinic.id}.csv")


@bp.route(
    "/clinics/<int:clinic_id>/staff/<int:user_id>/licences/<int:licence_id>",
    methods=["GET", "POST"],
)
@login_required
def edit_staff_licence(clinic_id: int, user_id: int, licence_id: int) -> str | Response:
    """A manager corrects a sharing staff member's licence; the person sees every change."""
    clinic = clinic_for_manager(clinic_id)
    person = db.session.execute(
        services.shared_staff(clinic.id).where(User.id == user_id)
    ).scalar_one_or_none()
    licence = db.session.get(Licence, licence_id)
    if person is None or licence is None or licence.user_id != person.id:
        abort(404)
    form = StaffLicenceForm(obj=licence)
    if form.validate_on_submit():
        try:
            services.edit_licence(
                clinic,
                licence,
                form.number.data,
                form.renewal_date.data,
                form.reason.data,
                current_user,
            )
        except services.ClinicError as error:
            db.session.rollback()
            form.renewal_date.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{person.name}'s licence is updated; they will see the change.", "success")
            return redirect(url_for("clinics.dashboard_page", clinic_id=clinic.id))
    return render_template(
        "clinics/staff_licence.html", clinic=clinic, person=person, licence=licence, form=form
    )
