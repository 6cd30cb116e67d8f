"""Assigned courses: a manager assigns, edits and deletes them. A due date already past is
saved only when the manager says so, since staff then show as overdue at once.

Registered on the clinics blueprint (imported at the end of ``views``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..ce.forms import choices
from ..certificates.issue import local_date
from ..clock import now
from ..extensions import db
from ..models import Clinic, Course, User
from . import services
from .forms import AssignmentEditForm, AssignmentForm
from .views import bp, clinic_for_manager


def _courses() -> dict[str, Course]:
    return {
        str(c.id): c
        for c in db.session.execute(
            db.select(Course).where(Course.status == "published").order_by(Course.title)
        ).scalars()
    }


def _people(clinic: Clinic) -> list[User]:
    return list(db.session.execute(services.shared_staff(clinic.id).order_by(User.name)).scalars())


def _date_accepted(form: AssignmentForm | AssignmentEditForm) -> bool:
    """False, with the warning on the date, when it is already past in the manager's time
    zone and "save anyway" is not ticked."""
    today = local_date(now(), current_user.timezone)
    if form.due_on.data >= today or form.save_anyway.data:
        return True
    form.due_on.errors = [
        *form.due_on.errors,
        f"{form.due_on.data:%-d %B %Y} is in the past: staff will show as overdue at once. "
        "Tick “Save anyway” to keep it, or choose a later date.",
    ]
    return False


def _past_warning(form: AssignmentForm | AssignmentEditForm) -> bool:
    """Whether the page shows the "save anyway" box: only once the date was found past."""
    return bool(form.due_on.errors) and "in the past" in " ".join(form.due_on.errors)


def _offer(
    form: AssignmentForm | AssignmentEditForm, clinic: Clinic, courses: dict[str, Course]
) -> None:
    """The courses and people an assignment form may name: published courses, and everyone
    on the staff or all of them (now and later)."""
    form.course.choices = choices([(k, c.title) for k, c in courses.items()])
    form.who.choices = choices(
        [("all", "All staff, now and later"), *((str(u.id), u.name) for u in _people(clinic))]
    )


@bp.route("/clinics/<int:clinic_id>/assignments", methods=["GET", "POST"])
@login_required
def assignments(clinic_id: int) -> str | Response:
    """Assign a course to all staff or chosen people, and list what is assigned."""
    clinic = clinic_for_manager(clinic_id)
    courses = _courses()
    form = AssignmentForm()
    _offer(form, clinic, courses)
    if form.validate_on_submit() and _date_accepted(form):
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
    return render_template(
        "clinics/assignments.html",
        clinic=clinic,
        form=form,
        past_warning=_past_warning(form),
        rows=services.assignment_rows(clinic),
        action=FlaskForm(),
    )


@bp.route("/clinics/<int:clinic_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def edit_assignment(clinic_id: int, assignment_id: int) -> str | Response:
    """Change an assignment's course, due date or person, with the past-date warning."""
    clinic = clinic_for_manager(clinic_id)
    assignment = services.assignment_of(clinic, assignment_id)
    if assignment is None:
        abort(404)
    courses = _courses()
    form = AssignmentEditForm(
        data={
            "course": str(assignment.course_id),
            "due_on": assignment.due_on,
            "who": str(assignment.user_id or "all"),
        }
    )
    _offer(form, clinic, courses)
    if form.validate_on_submit() and _date_accepted(form):
        who = None if form.who.data == "all" else int(form.who.data)
        try:
            services.edit_assignment(
                clinic, assignment, courses[form.course.data], form.due_on.data, who
            )
        except services.ClinicError as error:
            db.session.rollback()
            form.who.errors = [*form.who.errors, str(error)]
        else:
            db.session.commit()
            flash("The assignment is updated.", "success")
            return redirect(url_for("clinics.assignments", clinic_id=clinic.id))
    return render_template(
        "clinics/assignment_edit.html",
        clinic=clinic,
        form=form,
        assignment=assignment,
        past_warning=_past_warning(form),
    )


@bp.post("/clinics/<int:clinic_id>/assignments/<int:assignment_id>/delete")
@login_required
def delete_assignment(clinic_id: int, assignment_id: int) -> str | Response:
    """Stop asking staff to complete a course (asks first)."""
    clinic = clinic_for_manager(clinic_id)
    assignment = services.assignment_of(clinic, assignment_id)
    if assignment is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        course = db.session.get_one(Course, assignment.course_id)
        person = db.session.get(User, assignment.user_id) if assignment.user_id else None
        return confirm.ask(
            title=f"Delete the assignment of {course.title}?",
            consequence=f"{person.name if person else 'Staff'} will no longer be asked to "
            f"complete it by {assignment.due_on:%-d %B %Y}, and it leaves the dashboard. "
            "Courses already completed and their certificates are not affected.",
            button="Delete the assignment",
            cancel_url=url_for("clinics.assignments", clinic_id=clinic.id),
        )
    services.delete_assignment(assignment)
    db.session.commit()
    flash("The assignment is deleted.", "success")
    return redirect(url_for("clinics.assignments", clinic_id=clinic.id))
