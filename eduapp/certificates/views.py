"""Course evaluation, certificates, the public verification page, and the admins' review."""

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
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import confirm
from ..extensions import db
from ..jobs.waiting import RETRY_SECONDS, retry_after
from ..learn.services import course_progress
from ..learn.views import _course_or_404
from ..models import Certificate, Course, CourseEvaluation, User
from ..studio.access import managed_course_or_404
from . import evaluation, issue
from .pdf import long_date

bp = Blueprint("certificates", __name__)
bp.add_app_template_filter(long_date, "long_date")


class ReasonForm(FlaskForm):
    reason = StringField(
        "Reason (shown on the public verification page)",
        validators=[DataRequired(), Length(max=400)],
    )


def _certificate_or_404(code: str) -> Certificate:
    certificate = db.session.execute(
        db.select(Certificate).filter_by(code=code)
    ).scalar_one_or_none()
    if certificate is None:
        abort(404)
    return certificate


@bp.route("/courses/<slug:slug>/evaluation", methods=["GET", "POST"])
@login_required
def evaluate(slug: str) -> str | Response:
    """The evaluation a completed CE course asks for; sending it issues the certificate."""
    course = _course_or_404(slug)
    state = course_progress(course, current_user)
    if not course.ce_hours or state.enrolment is None or state.enrolment.completed_at is None:
        flash("The course evaluation opens once you have completed the course.", "info")
        return redirect(url_for("learn.course", slug=slug))
    done = db.session.execute(
        db.select(CourseEvaluation.id).filter_by(user_id=current_user.id, course_id=course.id)
    ).first()
    if done is not None:
        certificate = issue.issue_certificate(current_user, course)
        db.session.commit()
        return redirect(url_for("certificates.verify", code=certificate.code))
    form = evaluation.EvaluationForm()
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():  # a double click: the first evaluation stands
                db.session.add(
                    CourseEvaluation(
                        user_id=current_user.id,
                        course_id=course.id,
                        ratings=evaluation.ratings_from(form),
                        comment=(form.comment.data or "").strip(),
                    )
                )
        except IntegrityError:
            pass
        certificate = issue.issue_certificate(current_user, course)
        db.session.commit()
        current_app.logger.info(
            "certificate %s issued to user %d for course %s",
            certificate.code,
            current_user.id,
            course.slug,
        )
        flash("Thank you. Your certificate is ready.", "success")
        return redirect(url_for("certificates.verify", code=certificate.code))
    return render_template(
        "certificates/evaluate.html",
        course=course,
        form=form,
        questions=evaluation.QUESTIONS,
    )


@bp.get("/verify/<cert:code>")
def verify(code: str) -> str:
    """Public: the certificate's facts as printed, its PDF's SHA-256, and whether it stands."""
    certificate = _certificate_or_404(code)
    newer = db.session.execute(
        db.select(Certificate.code).filter_by(replaces_id=certificate.id)
    ).scalar_one_or_none()
    older = None
    if certificate.replaces_id is not None:
        older = db.session.get_one(Certificate, certificate.replaces_id).code
    can_download = current_user.is_authenticated and (
        current_user.id == certificate.user_id or current_user.is_admin
    )
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        facts=certificate.facts,
        newer=newer,
        older=older,
        can_download=can_download,
    )


@bp.get("/certificates/<cert:code>.pdf")
@login_required
def pdf(code: str) -> Response | tuple[str, int, dict[str, str]]:
    """The PDF exactly as stored at issue, to its owner and to admins; while its job has not
    drawn it yet, 202 and a page that asks again by itself (a meta refresh: no script)."""
    certificate = _certificate_or_404(code)
    if certificate.user_id != current_user.id and not current_user.is_admin:
        abort(404)
    if not certificate.pdf_ready:
        page = render_template(
            "certificates/preparing.html",
            certificate=certificate,
            retry=retry_after(certificate.issued_at),
        )
        return page, 202, {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}
    response = current_app.response_class(certificate.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.facts["course_slug"]}-{code}.pdf"'
    )
    response.set_etag(certificate.sha256)
    return response


@bp.get("/courses/<slug:slug>/evaluations")
@login_required
def evaluations(slug: str) -> str:
    """The course's owners, co-authors and admins see the evaluations in aggregate, never
    who said what."""
    course = managed_course_or_404(slug, current_user)
    return render_template(
        "certificates/evaluations.html",
        course=course,
        summary=evaluation.summary(course),
        questions=evaluation.QUESTIONS,
        scale=evaluation.SCALE,
        minimum=evaluation.MIN_RESPONSES,
    )


@bp.get("/admin/certificates")
@login_required
def admin_list() -> str:
    if not current_user.is_admin:
        abort(403)
    query = (request.args.get("code") or "").strip()
    rows = db.session.execute(
        db.select(Certificate, User.name, Course.title)
        .join(User, User.id == Certificate.user_id)
        .join(Course, Course.id == Certificate.course_id)
        .where(
            Certificate.code == query
            if query
            else (Certificate.review_reason.is_not(None) & Certificate.revoked_at.is_(None))
            | Certificate.id.in_(
                db.select(Certificate.id).order_by(Certificate.id.desc()).limit(50)
            )
        )
        .order_by(Certificate.review_reason.is_(None), Certificate.id.desc())
    ).all()
    return render_template("certificates/admin.html", rows=rows, query=query, form=ReasonForm())


def _admin_action(code: str, action: str) -> str | Response:
    if not current_user.is_admin:
        abort(403)
    certificate = _certificate_or_404(code)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash("Give a reason: it is kept with the certificate.", "error")
        return redirect(url_for("certificates.admin_list", code=code))
    if action == "revoke" and not certificate.revoked and not confirm.confirmed():
        return confirm.ask(
            title=f"Revoke certificate {certificate.code}?",
            consequence="Its public verification page will say it is revoked, with your "
            f"reason (“{form.reason.data}”), and its CE hours stop counting. A revoked "
            "certificate cannot be made valid again.",
            button="Revoke the certificate",
            cancel_url=url_for("certificates.admin_list", code=code),
        )
    try:
        if action == "revoke":
            issue.revoke(certificate, current_user, form.reason.data)
            target = certificate
            message = "The certificate is revoked; its verification page says so."
        else:
            target = issue.correct(certificate, current_user, form.reason.data)
            message = "A corrected certificate replaces the old one, which is now revoked."
    except issue.CertificateError as error:
        db.session.rollback()
        flash(f"Nothing changed: {error}.", "error")
        return redirect(url_for("certificates.admin_list", code=code))
    db.session.commit()
    current_app.logger.info(
        "certificate %s: %s by user %d", certificate.code, action, current_user.id
    )
    flash(message, "success")
    return redirect(url_for("certificates.verify", code=target.code))


@bp.post("/admin/certificates/<cert:code>/revoke")
@login_required
def revoke(code: str) -> str | Response:
    return _admin_action(code, "revoke")


@bp.post("/admin/certificates/<cert:code>/correct")
@login_required
def correct(code: str) -> Response:
    return _admin_action(code, "correct")
