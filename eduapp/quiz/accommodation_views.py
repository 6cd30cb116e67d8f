"""Instructors grant one learner extra attempts or time on a quiz (an accommodation).

Kept apart from taking a quiz (views.py): another audience, another form. The page is on the
quiz blueprint, so its endpoint stays ``quiz.accommodations_page``.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..studio.access import managed_course_or_404
from . import accommodations
from .forms import AccommodationForm
from .services import quiz_in_course
from .views import bp


@bp.route("/courses/<slug:slug>/quizzes/<slug:key>/accommodations", methods=["GET", "POST"])
@login_required
def accommodations_page(slug: str, key: str) -> str | Response:
    """The course's owners, co-authors and admins grant one learner extra attempts or time;
    every grant is kept. Anyone else's instructors get 404, as for a course that is not there."""
    course = managed_course_or_404(slug, current_user)
    quiz = quiz_in_course(course, key)
    if quiz is None:
        abort(404)
    form = AccommodationForm()
    if form.validate_on_submit():
        try:
            row = accommodations.grant(
                quiz,
                form.email.data,
                form.extra_attempts.data or 0,
                form.extra_minutes.data or 0,
                form.reason.data,
                current_user,
            )
        except accommodations.AccommodationError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            current_app.logger.info(
                "accommodation %d on quiz %d for user %d by user %d",
                row.id,
                quiz.id,
                row.user_id,
                current_user.id,
            )
            flash("The accommodation is granted and recorded.", "success")
            return redirect(url_for("quiz.accommodations_page", slug=slug, key=key))
    return render_template(
        "quiz/accommodations.html",
        course=course,
        quiz=quiz,
        form=form,
        grants=accommodations.grants_for(quiz),
    )
