"""The learner's side: catalogue, course and module pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..certificates.issue import current_certificate
from ..certificates.mine import certificates_of
from ..extensions import db
from ..models import Course, User
from ..review import cards as review_cards
from ..review import services as review_services
from ..studio.gradebook import MIN_GROUP
from ..templating import duration
from . import assigned as assignments
from . import cards, catalogue_cards, overview, services, sharing, structure, versions
from .forms import SHARE_LABEL, ActionForm, ShareForm

bp = Blueprint("learn", __name__)
bp.add_app_template_global(cards.course_card)
bp.add_app_template_global(catalogue_cards.course_list)


@bp.app_template_global()
def version_part(template: str, version: Any, key: str = "", **values: Any) -> Markup:
    """Render ``template`` (a part showing only the version's content, such as its reference
    list) once per version and process; ``key`` tells apart the parts one template makes of
    one version (a module's references). ``values`` must follow from the version and key."""
    return structure.rendered(
        version.id,
        f"{template}:{key}",
        lambda: render_template(template, shown=version, **values),
    )


@bp.app_template_global()
def module_links(state: services.CourseProgress) -> list[tuple[Any, str, str | None, str]]:
    """Each module in order with its page and quiz addresses and its reading time, made once
    per version: the course page lists every module with all three, and building an address
    costs more than anything else the list does."""
    slug = state.course.slug

    def links() -> list[tuple[Any, str, str | None, str]]:
        return [
            (
                module,
                url_for("learn.module", slug=slug, module_slug=module.slug),
                url_for("quiz.overview", slug=slug, key=status.quiz.key)
                if (status := state.quizzes.get(module.id))
                else None,
                duration(module.minutes),
            )
            for module in state.modules
        ]

    return structure.remembered(state.version.id, f"module-links:{slug}", links)


def _viewer() -> User | None:
    return current_user if current_user.is_authenticated else None


def _course_or_404(slug: str) -> Course:
    course = services.visible_course(slug, _viewer())
    if course is None:
        abort(404)
    return course


@bp.get("/")
def catalogue() -> str:
    viewer = _viewer()
    marks = assignments.by_course(assignments.assigned_courses(viewer)) if viewer else {}
    return render_template(
        "learn/catalogue.html", courses=services.published_courses(), assigned=marks
    )


@bp.get("/privacy")
def privacy() -> str:
    """Who sees what of a learner's data: public, so people can read it before signing up."""
    return render_template("learn/privacy.html", minimum=MIN_GROUP)


@bp.get("/my-learning")
@login_required
def my_learning() -> str:
    summaries = overview.learning_overview(current_user)
    return render_template(
        "learn/my_learning.html",
        in_progress=[s for s in summaries if not s.completed],
        completed=[s for s in summaries if s.completed],
        certificates=certificates_of(current_user.id),
        assigned=assignments.assigned_courses(current_user),
        review=review_services.summary(current_user),
    )


def _course_and_enrolment_or_404(
    slug: str,
) -> tuple[services.CourseRow, services.EnrolmentRow | None]:
    found = services.visible_course_for(slug, _viewer())
    if found is None:
        abort(404)
    return found


@bp.get("/courses/<slug:slug>")
def course(slug: str) -> str:
    course, enrolment = _course_and_enrolment_or_404(slug)
    state = services.course_progress(course, _viewer(), enrolment)
    certificate = None
    if state.completed and state.version.ce_hours:
        certificate = current_certificate(current_user.id, course.id)
    looks, more_looks = (
        sharing.looks_at(current_user, course) if state.enrolment is not None else ([], False)
    )
    return render_template(
        "learn/course.html",
        course=course,
        state=state,
        shown=state.version,
        newer=versions.newer_version(state),
        certificate=certificate,
        share_label=SHARE_LABEL,
        minimum=MIN_GROUP,
        looks=looks,
        more_looks=more_looks,
    )


@bp.post("/courses/<slug:slug>/sharing")
@login_required
def share_results(slug: str) -> Response:
    """The learner's choice to share their results with the course's instructors, or to stop.

    A tampered value (anything but a ticked or empty checkbox) is refused with 400 and changes
    nothing; someone not enrolled has no results to share and is told so."""
    course = _course_or_404(slug)
    form = ShareForm()
    if not form.validate_on_submit():
        abort(400)
    enrolment = services.enrolment_of(current_user, course)
    if enrolment is None:
        flash("Start the course first: you have no results in it to share yet.", "error")
        return redirect(url_for("learn.course", slug=slug))
    sharing.set_sharing(enrolment, bool(form.share.data))
    db.session.commit()
    if form.share.data:
        said = (
            f"Your results in {course.title} are shared with its owners and co-authors. "
            "You can stop sharing here at any time."
        )
    else:
        said = (
            f"Your results in {course.title} are not shared: its owners and co-authors see "
            "only figures about all learners together."
        )
    flash(said, "success")
    return redirect(url_for("learn.course", slug=slug, _anchor="sharing"))


@bp.post("/courses/<slug:slug>/move-to-newest")
@login_required
def move_to_newest(slug: str) -> Response:
    """The learner chose to leave the version they started for the newest one."""
    course = _course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        moved = versions.move_to_newest(services.course_progress(course, current_user))
    except versions.MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("learn.course", slug=slug))
    db.session.commit()
    kept = len(moved.kept)
    said = [f"You are now on version {moved.version.label}."]
    if kept:
        said.append(f"{kept} completed module{'s' if kept != 1 else ''} stayed complete.")
    elif moved.redo:
        said.append("Every module you had completed changed, so you take them again.")
    flash(" ".join(said), "success")
    return redirect(url_for("learn.course", slug=slug))


@bp.post("/courses/<slug:slug>/start")
@login_required
def start(slug: str) -> Response:
    """Enrol if needed, then go to the next unfinished module (or the final when all are done)."""
    course = _course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.enrol(current_user, course)
    db.session.commit()
    state = services.course_progress(course, current_user)
    if state.next_module is not None:
        return redirect(url_for("learn.module", slug=slug, module_slug=state.next_module.slug))
    if state.final is not None:
        return redirect(url_for("quiz.overview", slug=slug, key=state.final.quiz.key))
    return redirect(url_for("learn.course", slug=slug))


@bp.get("/courses/<slug:slug>/modules/<slug:module_slug>")
@login_required
def module(slug: str, module_slug: str) -> str:
    course, enrolment = _course_and_enrolment_or_404(slug)
    state = services.course_progress(course, current_user, enrolment)
    current = next((m for m in state.modules if m.slug == module_slug), None)
    if current is None:
        abort(404)
    index = state.modules.index(current)
    return render_template(
        "learn/module.html",
        course=course,
        module=current,
        state=state,
        quiz=state.quizzes.get(current.id),
        previous=state.modules[index - 1] if index > 0 else None,
        next=state.modules[index + 1] if index + 1 < len(state.modules) else None,
        position=index + 1,
        deck_keypoints=review_cards.added_keypoints(current_user, current)
        if current.keypoints
        else set(),
    )


@bp.post("/courses/<slug:slug>/modules/<slug:module_slug>/read")
@login_required
def mark_read(slug: str, module_slug: str) -> Response:
    course = _course_or_404(slug)
    current = services.module_in_course(course, current_user, module_slug)
    if current is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    row = services.mark_read(current_user, course, current)
    db.session.commit()
    if row.completed_at is not None:
        flash(f"“{current.title}” is complete.", "success")
    else:
        flash(f"“{current.title}” is marked as read. Pass its quiz to complete it.", "info")
    return redirect(url_for("learn.module", slug=slug, module_slug=module_slug))
