"""The studio: an instructor's own courses, the people who manage each, and item analysis.

Every page starts with ``managed_course_or_404``: learners get 403, an instructor on a course
they neither own nor co-author gets 404, admins see everything. Only aggregate figures are
shown, never a learner's own answers.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import Course, CourseVersion, Quiz, User
from ..quiz.analysis import ATTEMPT_SETS, QuizAnalysis, analyse_quiz
from ..quiz.chart import build_chart
from ..quiz.services import quiz_in_course
from ..security import allow_long_text
from . import drafts, history, owners, preview
from .access import managed_course_or_404
from .export import analysis_csv
from .forms import CoAuthorForm, OwnerForm, PreviewForm

bp = Blueprint("studio", __name__, url_prefix="/studio")
# A module's text, encoded for a form (up to 3 bytes per character escaped), is longer than
# other forms; anything over this is refused by Werkzeug with 413 before it is parsed.
allow_long_text("studio.preview_module", 1024 * 1024)
# The item analysis lived outside /studio before the studio; pages and bookmarks linked there.
legacy = Blueprint("studio_legacy", __name__)


@bp.app_template_global()
def manages(course: Course) -> bool:
    """For templates: whether the signed-in user manages this course (links to its studio)."""
    return owners.can_manage(current_user, course)


@bp.get("")
@login_required
def my_courses() -> str:
    """The courses this instructor owns or co-authors (admins: all), with their state."""
    if not current_user.is_instructor:
        abort(403)
    courses = owners.managed_courses(current_user)
    return render("studio/my_courses.html", courses=courses, lint=history.lint_of(courses))


@bp.get("/courses/<slug:slug>")
@login_required
def course(slug: str) -> str:
    course = managed_course_or_404(slug, current_user)
    return _course_page(course, CoAuthorForm(), OwnerForm())


def _course_page(course: Course, form: CoAuthorForm, owner_form: OwnerForm) -> str:
    return render(
        "studio/course.html",
        course=course,
        people=owners.people(course),
        former=owners.people(course, former=True),
        quizzes=sorted(_quizzes(course), key=lambda q: (q.key == "final", q.id)),
        form=form,
        owner_form=owner_form,
        action=FlaskForm(),
        may_change=owners.can_change_people(current_user, course),
        owner_count=owners.owner_count(course),
        **history.course_versions(course, current_user),
    )


def _quizzes(course: Course) -> list[Quiz]:
    return list(
        db.session.execute(
            db.select(Quiz).filter_by(version_id=course.current_version_id, retired=False)
        ).scalars()
    )


@bp.post("/courses/<slug:slug>/co-authors")
@login_required
def add_co_author(slug: str) -> str | Response:
    """An owner or an admin adds an instructor as co-author, by their account's email."""
    course = managed_course_or_404(slug, current_user)
    if not owners.can_change_people(current_user, course):
        abort(403)
    form = CoAuthorForm()
    if form.validate_on_submit():
        try:
            row = owners.add_co_author(course, form.email.data, current_user)
        except owners.OwnershipError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            return _changed(course, row.user_id, "is now a co-author of")
    return _course_page(course, form, OwnerForm())


@bp.post("/courses/<slug:slug>/owners")
@login_required
def assign_owner(slug: str) -> str | Response:
    """Only an admin names an owner: ownership decides who may choose the co-authors."""
    course = managed_course_or_404(slug, current_user)
    if not current_user.is_admin:
        abort(403)
    form = OwnerForm()
    if form.validate_on_submit():
        try:
            row = owners.assign_owner(course, form.owner_email.data, current_user)
        except owners.OwnershipError as error:
            db.session.rollback()
            form.owner_email.errors.append(str(error))
        else:
            return _changed(course, row.user_id, "is now an owner of")
    return _course_page(course, CoAuthorForm(), form)


def _changed(course: Course, user_id: int, what: str) -> Response:
    db.session.commit()
    name = db.session.get_one(User, user_id).name
    current_app.logger.info(
        "course %d: user %d %s by user %d", course.id, user_id, what, current_user.id
    )
    flash(f"{name} {what} {course.title}.", "success")
    return redirect(url_for("studio.course", slug=course.slug))


@bp.post("/courses/<slug:slug>/people/<int:person_id>/remove")
@login_required
def remove_person(slug: str, person_id: int) -> str | Response:
    """Take someone off the course, after the no-JavaScript confirmation. Owners remove
    co-authors; only admins remove an owner, and never the last one."""
    course = managed_course_or_404(slug, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    person = db.session.get(User, person_id)
    role = owners.role_on(person, course) if person else None
    if person is None or role is None:
        abort(404)
    if not owners.can_change_people(current_user, course) or (
        role == owners.CourseRole.OWNER and not current_user.is_admin
    ):
        abort(403)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Remove {person.name} from {course.title}?",
            consequence=f"{person.name} stops managing this course at once: its studio pages, "
            "item analysis, accommodations and evaluations close to them. The change is kept "
            "on the course's record.",
            button=f"Remove {person.name}",
            cancel_url=url_for("studio.course", slug=course.slug),
        )
    try:
        owners.remove(course, person, current_user)
    except owners.OwnershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("studio.course", slug=course.slug))
    db.session.commit()
    current_app.logger.info(
        "course %d: user %d removed by user %d", course.id, person.id, current_user.id
    )
    flash(f"{person.name} is removed from {course.title}.", "success")
    return redirect(url_for("studio.course", slug=course.slug))


@bp.post("/courses/<slug:slug>/preview")
@login_required
def preview_module(slug: str) -> str:
    """Render a module body as import would, with its word count, reading time and problems.

    The editor's script posts here as the instructor types and swaps in the fragment it gets
    back; without JavaScript the Preview button posts with ``?page=1`` and gets a whole page
    (an explicit parameter: a browser's Accept header says text/html for both). Nothing is
    saved: the preview changes no state, but it takes a form, so it is a CSRF-checked POST.
    """
    course = managed_course_or_404(slug, current_user)
    form = PreviewForm()
    body = form.body.data or ""
    if len(body) > preview.MAX_BODY_CHARS:
        abort(
            413,
            f"A module's text may be at most {preview.MAX_BODY_CHARS:,} characters, and this one "
            f"has {len(body):,}. Split it into two modules; nothing was rendered.",
        )
    version = drafts.draft_of(course, current_user) or (
        db.session.get(CourseVersion, course.current_version_id)
        if course.current_version_id is not None
        else None
    )
    if version is None:  # a course never published, and this user has no draft of it
        abort(404)
    result = preview.preview_for_version(version, body, Path(current_app.config["COURSES_DIR"]))
    if request.args.get("page") == "1":
        return render("studio/preview.html", course=course, form=form, preview=result)
    return render("studio/_preview.html", preview=result)


def _analysis(slug: str, key: str) -> tuple[Course, Quiz, QuizAnalysis]:
    course = managed_course_or_404(slug, current_user)
    quiz = quiz_in_course(course, key)
    if quiz is None:
        abort(404)
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
        "studio/item_analysis.html",
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


@legacy.get("/courses/<slug:slug>/quizzes/<slug:key>/analysis")
def old_item_analysis(slug: str, key: str) -> Response:
    """The address the quiz pages linked before the studio: permanently moved."""
    return _moved("studio.item_analysis", slug, key)


@legacy.get("/courses/<slug:slug>/quizzes/<slug:key>/analysis.csv")
def old_item_analysis_csv(slug: str, key: str) -> Response:
    return _moved("studio.item_analysis_csv", slug, key)


def _moved(endpoint: str, slug: str, key: str) -> Response:
    which = request.args.get("attempts")
    args = {"attempts": which} if which in ATTEMPT_SETS else {}
    return redirect(url_for(endpoint, slug=slug, key=key, **args), 301)


# Routes in their own modules, on this blueprint.
from . import (  # noqa: E402, F401
    bank_views,
    draft_views,
    editor_views,
    files_views,
    gradebook_views,
    history_views,
    publish_views,
    question_views,
    regrade_views,
    settings_views,
)
