"""A clinic's managers: who they are, naming another (by the email of an existing account),
removing a co-manager and leaving as manager. A clinic always keeps one manager.

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import User
from . import services
from .forms import ManagerForm
from .views import bp, clinic_for_manager


@bp.route("/clinics/<int:clinic_id>/managers", methods=["GET", "POST"])
@login_required
def managers(clinic_id: int) -> str | Response:
    """The managers page: who runs the clinic, and naming another (emailed at once)."""
    clinic = clinic_for_manager(clinic_id)
    form = ManagerForm()
    if form.validate_on_submit():
        try:
            person = services.add_manager(clinic, form.email.data, current_user)
        except services.ClinicError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                f"{person.name} is now a manager of {clinic.name}; they are emailed a link.",
                "success",
            )
            return redirect(url_for("clinics.managers", clinic_id=clinic.id))
    return render_template(
        "clinics/managers.html",
        clinic=clinic,
        form=form,
        managers=services.managers(clinic.id),
        action=FlaskForm(),
    )


@bp.post("/clinics/<int:clinic_id>/managers/<int:manager_id>/remove")
@login_required
def remove_manager(clinic_id: int, manager_id: int) -> str | Response:
    """Remove a co-manager, or leave as manager when it is oneself; asks first."""
    clinic = clinic_for_manager(clinic_id)
    person = db.session.get(User, manager_id)
    if person is None or not services.is_manager(person, clinic.id):
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    back = url_for("clinics.managers", clinic_id=clinic.id)
    myself = person.id == current_user.id
    if not confirm.confirmed():
        if myself:
            return confirm.ask(
                title=f"Stop managing {clinic.name}?",
                consequence="You will no longer see the clinic's staff, their CE or its "
                "downloads. Another manager can add you again.",
                button="Leave as manager",
                cancel_url=back,
            )
        return confirm.ask(
            title=f"Remove {person.name} as a manager of {clinic.name}?",
            consequence=f"{person.name} stops seeing the clinic's staff, their CE and its "
            "downloads at once. You can add them again later.",
            button=f"Remove {person.name} as manager",
            cancel_url=back,
        )
    try:
        services.remove_manager(clinic, person.id, current_user)
    except services.ClinicError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    except LookupError:
        abort(404)
    db.session.commit()
    if myself:
        flash(f"You no longer manage {clinic.name}.", "success")
        return redirect(url_for("clinics.my_clinics"))
    flash(f"{person.name} no longer manages {clinic.name}.", "success")
    return redirect(back)
