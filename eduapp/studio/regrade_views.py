"""Regrading a quiz from the browser: preview what a regrade with today's key would change,
give a reason, confirm. The rules are ``quiz.regrade``'s (the same as ``flask quiz regrade``);
the preview runs the very regrade and rolls it back, so it cannot differ from the real one.

Who moves is shown by name to admins; a course's owners and co-authors see each changed
attempt without the learner's name (results per learner are private by default).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Question, Quiz
from ..quiz import regrade
from .access import managed_course_or_404
from .forms import RegradeForm
from .views import bp


def _quiz_or_404(slug: str, key: str) -> tuple[object, Quiz]:
    course = managed_course_or_404(slug, current_user)
    quiz = db.session.execute(
        db.select(Quiz).filter_by(version_id=course.current_version_id, key=key, retired=False)
    ).scalar_one_or_none()
    if quiz is None:
        abort(404)
    return course, quiz


def _retired(quiz: Quiz) -> list[tuple[str, str]]:
    """(key, prompt) of the questions earlier versions asked that the newest no longer does."""
    live = set(
        db.session.execute(
            db.select(Question.key).filter_by(quiz_id=quiz.id, retired=False)
        ).scalars()
    )
    seen: dict[str, str] = {}
    for key, prompt in db.session.execute(
        db.select(Question.key, Question.prompt_html)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .where(Quiz.course_id == quiz.course_id, Quiz.key == quiz.key)
        .order_by(Question.id)
    ):
        if key not in live:
            seen[key] = prompt
    return sorted(seen.items())


@bp.route("/courses/<slug:slug>/quizzes/<slug:key>/regrade", methods=["GET", "POST"])
@login_required
def regrade_quiz(slug: str, key: str) -> str | Response:
    """GET: the form. POST: the preview; POST with ``confirmed=yes``: the regrade itself."""
    course, quiz = _quiz_or_404(slug, key)
    form = RegradeForm()
    retired = _retired(quiz)
    withdraw = request.form.getlist("withdraw") if request.method == "POST" else []
    if any(k not in dict(retired) for k in withdraw):
        abort(400)
    changes = None
    error = None
    if form.validate_on_submit():
        try:
            changes = regrade.regrade_quiz(quiz, form.reason.data or "", withdraw)
        except regrade.WithdrawError as refused:
            error = str(refused)
        changes = [c for c in changes or [] if c.old_score != c.new_score or c.verdict_changed]
        if error is None and request.form.get("confirmed") == "yes":
            db.session.commit()
            current_app.logger.info(
                "quiz %d regraded by user %d: %d attempts changed",
                quiz.id,
                current_user.id,
                len(changes),
            )
            flips = [c for c in changes if c.verdict_changed]
            flash(
                f"{quiz.title} is regraded: {len(changes)} attempt"
                f"{'s' * (len(changes) != 1)} changed, {sum(c.new_passed for c in flips)} now "
                f"pass, {sum(not c.new_passed for c in flips)} now fail. Each change is kept "
                "with its reason.",
                "success",
            )
            return redirect(url_for("studio.course", slug=course.slug))
        db.session.rollback()  # a preview: nothing is kept
        quiz = db.session.get_one(Quiz, quiz.id)
    elif request.method == "POST":
        db.session.rollback()
    return render(
        "studio/regrade.html",
        course=course,
        quiz=quiz,
        form=form,
        retired=retired,
        withdraw=withdraw,
        changes=changes,
        error=error,
        names=current_user.is_admin,
    )
