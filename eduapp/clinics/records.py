"""Corrections of a staff member's licence: the clinic records that change someone's CE. (The
clinic's exports are jobs, see ``export_views``.)

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Licence, User
from . import services
from .forms import StaffLicenceForm
from .views import bp, clinic_for_manager


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
