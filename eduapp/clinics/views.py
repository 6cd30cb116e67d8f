"""Clinic pages: admins create clinics; managers invite staff, assign courses and follow
compliance; staff accept an invitation (consenting to share) and can leave."""

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
from ..ce.forms import choices
from ..extensions import db
from ..models import Clinic, ClinicInvite, Course, User
from ..security import CONTROL, allow_upload
from . import dashboard, services
from .chart import status_chart
from .forms import AcceptForm, AssignmentForm, ClinicForm, InviteForm

bp = Blueprint("clinics", __name__)
allow_upload("clinics.staff", 1024 * 1024)  # a pasted or uploaded list of addresses


def _clinic_for_manager(clinic_id: int) -> Clinic:
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
            flash(f"{clinic.name} is created; its manager can now invite staff.", "success")
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
    if not value.isdigit() or len(value) > 6:
        abort(400, f"{name} must be a page number.")
    return int(value)


@bp.get("/clinics/<int:clinic_id>")
@login_required
def dashboard_page(clinic_id: int) -> str:
    clinic = _clinic_for_manager(clinic_id)
    status = request.args.get("status") or None
    sort = request.args.get("sort", "status")
    if status not in (None, *dashboard.STATUSES) or sort not in dashboard.SORTS:
        abort(400, "Unknown status or sort order.")
    query = request.args.get("q", "").strip()[:100]
    board = dashboard.build(clinic.id, status, query, sort, _int_arg("page", 1))
    return render_template(
        "clinics/dashboard.html",
        clinic=clinic,
        board=board,
        chart=status_chart(board.counts),
        statuses=dashboard.STATUSES,
        status=status,
        sort=sort,
        query=query,
    )


@bp.route("/clinics/<int:clinic_id>/staff", methods=["GET", "POST"])
@login_required
def staff(clinic_id: int) -> str | Response:
    clinic = _clinic_for_manager(clinic_id)
    form = InviteForm()
    if form.validate_on_submit():
        text = form.emails.data or ""
        if form.file.data:
            text += "\n" + form.file.data.read(1024 * 1024).decode("utf-8", "replace")
        emails = services.parse_emails(text)
        bad = [e for e in emails if not _looks_like_email(e)]
        if not emails:
            form.emails.errors.append("Give at least one email address.")
        elif bad:
            form.emails.errors.append(f"These are not email addresses: {', '.join(bad[:5])}")
        else:
            try:
                invited, skipped = services.invite(clinic, emails, current_user)
            except services.ClinicError as error:
                db.session.rollback()
                form.emails.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"{len(invited)} invitation(s) sent.", "success")
                for reason in skipped:
                    flash(f"Not sent to {reason}.", "info")
                return redirect(url_for("clinics.staff", clinic_id=clinic.id))
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
        invites=list(invites),
        members=list(members),
        action=FlaskForm(),
    )


def _looks_like_email(text: str) -> bool:
    """Loose on purpose (the invitation itself proves the address), but never with control
    characters: an uploaded list is not checked like form text, and PostgreSQL refuses NUL."""
    local, at, domain = text.rpartition("@")
    return bool(
        at
        and local
        and "." in domain
        and " " not in text
        and len(text) <= 254
        and not CONTROL.search(text)
    )


def _invite_action(clinic_id: int, invite_id: int, action: str) -> str | Response:
    clinic = _clinic_for_manager(clinic_id)
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
    return _invite_action(clinic_id, invite_id, "resend")


@bp.post("/clinics/<int:clinic_id>/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(clinic_id: int, invite_id: int) -> str | Response:
    return _invite_action(clinic_id, invite_id, "revoke")


@bp.route("/clinics/<int:clinic_id>/assignments", methods=["GET", "POST"])
@login_required
def assignments(clinic_id: int) -> str | Response:
    clinic = _clinic_for_manager(clinic_id)
    courses = {
        str(c.id): c
        for c in db.session.execute(
            db.select(Course).where(Course.status == "published").order_by(Course.title)
        ).scalars()
    }
    people = list(
        db.session.execute(services.shared_staff(clinic.id).order_by(User.name)).scalars()
    )
    form = AssignmentForm()
    form.course.choices = choices([(k, c.title) for k, c in courses.items()])
    form.who.choices = choices(
        [("all", "All staff, now and later"), *((str(u.id), u.name) for u in people)]
    )
    if form.validate_on_submit():
        who = None if "all" in form.who.data else [int(v) for v in form.who.data]
        try:
            services.assign(clinic, courses[form.course.data], form.due_on.data, who, current_user)
        except services.ClinicError as error:
            db.session.rollback()
            form.who.errors.append(str(error))
        else:
            db.session.commit()
            flash("The course is assigned.", "success")
            return redirect(url_for("clinics.assignments", clinic_id=clinic.id))
    rows = db.session.execute(
        db.select(services.Assignment, Course.title, User.name)
        .join(Course, Course.id == services.Assignment.course_id)
        .outerjoin(User, User.id == services.Assignment.user_id)
        .where(services.Assignment.clinic_id == clinic.id)
        .order_by(services.Assignment.due_on)
    ).all()
    return render_template("clinics/assignments.html", clinic=clinic, form=form, rows=rows)


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


# Exports and a manager's licence corrections live beside these pages, on the same blueprint.
from . import records  # noqa: E402, F401
