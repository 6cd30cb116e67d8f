"""A manager's staff page: inviting from a pasted or uploaded list (with a report of every
address not invited), resending and revoking invitations, removing a staff member, and the
former staff the clinic keeps as an audit line.

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..cebroker.services import clinic_reports
from ..extensions import db
from ..models import Clinic, ClinicInvite, User
from ..security import allow_upload
from . import services
from .forms import InviteForm
from .views import bp, clinic_for_manager

allow_upload("clinics.staff", 1024 * 1024)  # a pasted or uploaded list of addresses


def _staff_page(
    clinic: Clinic, form: InviteForm, report: services.InviteReport | None = None
) -> str:
    invites = db.session.execute(
        db.select(ClinicInvite)
        .filter_by(clinic_id=clinic.id)
        .order_by(ClinicInvite.created_at.desc())
        .limit(200)
    ).scalars()
    members = db.session.execute(services.shared_staff(clinic.id).order_by(User.name)).scalars()
    return render_template(
        "clinics/staff.html",
        clinic=clinic,
        form=form,
        report=report,
        invites=list(invites),
        members=list(members),
        former=services.former_staff(clinic.id),
        cebroker=clinic_reports(clinic.id),
        action=FlaskForm(),
    )


@bp.route("/clinics/<int:clinic_id>/staff", methods=["GET", "POST"])
@login_required
def staff(clinic_id: int) -> str | Response:
    """Staff and invitations: invite from a list (reporting every entry not invited), the
    staff who share, the invitations and the former staff."""
    clinic = clinic_for_manager(clinic_id)
    form = InviteForm()
    if form.validate_on_submit():
        text = form.emails.data or ""
        if form.file.data:
            text += "\n" + form.file.data.read(1024 * 1024).decode("utf-8", "replace")
        try:
            report = services.invite_list(clinic, text, current_user)
        except services.ClinicError as error:
            db.session.rollback()
            form.emails.errors.append(str(error))
        else:
            if not report.invited and not report.not_invited:
                form.emails.errors.append("Give at least one email address.")
                return _staff_page(clinic, form)
            db.session.commit()
            sent = len(report.invited)
            flash(f"{sent} invitation{'s' if sent != 1 else ''} sent.", "success")
            if not report.not_invited:
                return redirect(url_for("clinics.staff", clinic_id=clinic.id))
            # The report is shown once, on this answer: hundreds of reasons do not fit in
            # a session cookie, and sending the list again invites no one twice.
            return _staff_page(clinic, InviteForm(formdata=None), report)
    return _staff_page(clinic, form)


def _invite_action(clinic_id: int, invite_id: int, action: str) -> str | Response:
    clinic = clinic_for_manager(clinic_id)
    row = db.session.get(ClinicInvite, invite_id)
    if row is None or row.clinic_id != clinic.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if action == "revoke" and not confirm.confirmed():
        return confirm.ask(
            title=f"Revoke the invitation to {row.email}?",
            consequence="The link in their email stops working at once. To invite them again "
            "later you will send a new invitation.",
            button="Revoke the invitation",
            cancel_url=url_for("clinics.staff", clinic_id=clinic.id),
        )
    try:
        (services.resend if action == "resend" else lambda r, _c: services.revoke_invite(r))(
            row, clinic
        )
    except services.ClinicError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            "Sent again." if action == "resend" else "Revoked; the link no longer works.", "success"
        )
    return redirect(url_for("clinics.staff", clinic_id=clinic.id))


@bp.post("/clinics/<int:clinic_id>/invites/<int:invite_id>/resend")
@login_required
def resend_invite(clinic_id: int, invite_id: int) -> str | Response:
    """A fresh link for someone whose invitation got lost or expired."""
    return _invite_action(clinic_id, invite_id, "resend")


@bp.post("/clinics/<int:clinic_id>/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(clinic_id: int, invite_id: int) -> str | Response:
    """Kill an invitation sent by mistake (asks first)."""
    return _invite_action(clinic_id, invite_id, "revoke")


@bp.post("/clinics/<int:clinic_id>/staff/<int:user_id>/remove")
@login_required
def remove_staff(clinic_id: int, user_id: int) -> str | Response:
    """A manager ends a staff member's sharing, after a confirmation page."""
    clinic = clinic_for_manager(clinic_id)
    person = db.session.execute(
        services.shared_staff(clinic.id).where(User.id == user_id)
    ).scalar_one_or_none()
    if person is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Remove {person.name} from {clinic.name}?",
            consequence=f"The clinic stops seeing {person.name}'s licences, CE and certificates "
            "at once, in every page and download; courses assigned to them alone are dropped. "
            f"{person.name} keeps all their own records and is told on their My CE page. The "
            "staff page keeps a line saying who removed them and when. You can invite them "
            "again later.",
            button=f"Remove {person.name}",
            cancel_url=url_for("clinics.staff", clinic_id=clinic.id),
        )
    try:
        services.remove_staff(clinic, person.id, current_user)
    except LookupError:
        abort(404)
    db.session.commit()
    flash(f"{person.name} is removed; the clinic no longer sees their CE.", "success")
    return redirect(url_for("clinics.staff", clinic_id=clinic.id))
