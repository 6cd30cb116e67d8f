"""Instructors' pages about their courses: the item analysis of a quiz (HTML and CSV).

Only aggregate figures are shown, never a learner's own answers, and only to instructors and
admins (every course, drafts included, as the accommodations page).
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..learn.views import _course_or_404
from ..models import Course, Quiz
from ..quiz.analysis import ATTEMPT_SETS, QuizAnalysis, analyse_quiz
from ..quiz.chart import build_chart
from ..quiz.views import _quiz_or_404
from .export import analysis_csv

bp = Blueprint("author", __name__)


def _analysis(slug: str, key: str) -> tuple[Course, Quiz, QuizAnalysis]:
    if not current_user.is_instructor:
        abort(403)
    course = _course_or_404(slug)
    quiz = _quiz_or_404(course, key)
    which = request.args.get("attempts", "first")
    if which not in ATTEMPT_SETS:
        abort(400, "Choose which attempts count: attempts=first or attempts=all.")
    return course, quiz, analyse_quiz(quiz, which)


@bp.get("/courses/<slug:slug>/quizzes/<slug:key>/analysis")
@login_required
def item_analysis(slug: str, key: str) -> str:
    course, quiz, analysis = _analysis(slug, key)
    chart = build_chart(
        [(f"Q{q.number}", q.stats.facility, q.stats.discrimination) for q in analysis.questions]
    )
    return render(
        "author/item_analysis.html",
        course=course,
        quiz=quiz,
        analysis=analysis,
        chart=chart,
        attempt_sets=ATTEMPT_SETS,
    )


@bp.get("/courses/<slug:slug>/quizzes/<slug:key>/analysis.csv")
@login_required
def item_analysis_csv(slug: str, key: str) -> Response:
    course, quiz, analysis = _analysis(slug, key)
    filename = f"{course.slug}-{quiz.key}-item-analysis-{analysis.attempts_counted}.csv"
    return Response(
        analysis_csv(analysis),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
