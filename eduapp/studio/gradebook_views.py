"""The gradebook pages: a course's figures for everyone who manages it, its learners' own rows
for the people allowed to see them (``gradebook_rows``), and both as CSV: the figures at once,
the learners' rows as an export job (``gradebook_export``), which may read thousands.

Reading learners' own rows is recorded as it happens (a ``GradebookView`` per page that showed
at least one, or per CSV built): the one kind of GET here that writes, because the record of
who looked is the point. Names follow the regrade page: admins see every learner with their
email, owners and co-authors only learners who share, without email.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Course
from ..models.gradebook import PAGE
from . import gradebook, gradebook_export, gradebook_rows
from .access import managed_course_or_404
from .gradebook_csv import summary_csv
from .views import bp


def _shown(rows: list[gradebook_rows.LearnerRow]) -> list[int]:
    """The learners whose rows this response shows: none to a HEAD request, which Flask
    answers by running the GET view and dropping the body."""
    return [] if request.method == "HEAD" else [row.user_id for row in rows]


def _page_number() -> int:
    value = request.args.get("page", "")
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
        abort(400, "page must be a page number.")
    return int(value)


@bp.get("/courses/<slug:slug>/gradebook")
@login_required
def gradebook_page(slug: str) -> str:
    course = managed_course_or_404(slug, current_user)
    as_admin = current_user.is_admin
    figures = gradebook.course_figures(course)
    learners = gradebook_rows.learner_page(course, as_admin, _page_number())
    gradebook_rows.record_view(course, current_user, _shown(learners.rows), as_admin, PAGE)
    db.session.commit()
    trail, trail_total = gradebook_rows.audit_trail(course) if as_admin else ([], 0)
    return render(
        "studio/gradebook.html",
        course=course,
        figures=figures,
        columns=[q.column for q in figures.quizzes],
        learners=learners,
        minimum=gradebook.MIN_GROUP,
        bands=gradebook.band_labels(),
        trail=trail,
        trail_total=trail_total,
    )


def _download(text: str, course: Course, part: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{course.slug}-{part}.csv"'},
    )


@bp.get("/courses/<slug:slug>/gradebook/summary.csv")
@login_required
def gradebook_summary_csv(slug: str) -> Response:
    """The figures about all learners together: nobody's own row, so nothing is recorded."""
    course = managed_course_or_404(slug, current_user)
    return _download(summary_csv(gradebook.course_figures(course)), course, "gradebook-summary")


@bp.post("/courses/<slug:slug>/gradebook/learners.csv")
@login_required
def request_learners_csv(slug: str) -> Response:
    """Record the request for every learner's row this viewer may see and answer at once
    with its page; the job reads the rows, builds the file and records the view."""
    course = managed_course_or_404(slug, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400, "The form expired; reload the page and try again.")
    row = gradebook_export.request_learners_csv(course, current_user)
    db.session.commit()
    return redirect(url_for("exports.request_page", export_id=row.id))
