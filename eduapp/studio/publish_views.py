"""Publishing in the studio: the publish page, bringing a draft up to date, another
instructor's approval, and the course's approval setting.

Every view starts with ``managed_course_or_404``; the services in ``publishing`` and
``rebase`` hold the rules, and the views commit.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Course, CourseVersion, User
from . import approval, drafts, owners, publishing, rebase
from .access import managed_course_or_404
from .forms import ApprovalSettingForm, ApproveForm, ListingForm, PublishForm
from .views import bp


def _catalogue() -> Path:
    return Path(current_app.config["COURSES_DIR"])


def _course_and_draft(slug: str) -> tuple[Course, CourseVersion | None]:
    course = managed_course_or_404(slug, current_user)
    return course, drafts.draft_of(course, current_user)


@bp.route("/courses/<slug:slug>/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str) -> str | Response:
    """The author reviews what their draft changes, names the version and publishes it."""
    course, draft = _course_and_draft(slug)
    if draft is None:
        flash("You have no draft of this course to publish: start editing first.", "info")
        return redirect(url_for("studio.course", slug=slug))
    found = publishing.changes(draft)
    suggested, reason = publishing.suggest_label(draft, found)
    form = PublishForm()
    if request.method == "GET":
        form.label.data = suggested
        form.note.data = draft.change_note or None  # a rollback's note, ready to edit
    refused: publishing.PublishRefused | None = None
    # Listing is the owners' and admins' decision (``listing``): a co-author's publish never
    # puts back in the catalogue a course an owner took out of it.
    may_list = not course.is_published and owners.can_change_people(current_user, course)
    if form.validate_on_submit():
        try:
            version = publishing.publish(
                draft,
                current_user,
                label=form.label.data or "",
                note=form.note.data or "",
                catalogue=_catalogue(),
                list_in_catalogue=may_list and bool(form.listed.data),
            )
            db.session.commit()
        except IntegrityError:
            # Another author's publish took the same version number between our checks and
            # our write (SQLite has no row lock to make us wait): nothing of ours was written.
            db.session.rollback()
            refused = publishing.PublishRefused(
                "Another version of this course was published at the same moment, so yours "
                "was not. Your draft is kept: bring it up to date with theirs, then publish."
            )
        except publishing.PublishRefused as error:
            db.session.rollback()
            if error.field is not None:
                target = getattr(form, error.field)
                target.errors = [*target.errors, str(error)]
            else:
                refused = error
        else:
            current_app.logger.info(
                "course %d: version %d (%s) published by user %d",
                course.id,
                version.number,
                version.label,
                current_user.id,
            )
            flash(
                f"Version {version.label} is published. New enrolments get it; learners "
                "part-way through an earlier version are offered it.",
                "success",
            )
            return redirect(url_for("studio.course", slug=slug))
    elif request.method == "POST":
        db.session.rollback()
    return render(
        "studio/publish.html",
        course=course,
        draft=draft,
        changes=found,
        suggested=suggested,
        reason=reason,
        form=form,
        refused=refused,
        may_list=may_list,
        problems=publishing.problems(draft, _catalogue()),
        behind=rebase.is_behind(draft),
        approval=approval.approval(draft),
        approver=_user(approval.approval(draft)),
        action=FlaskForm(),
    )


def _user(review: object | None) -> User | None:
    user_id = getattr(review, "user_id", None)
    return db.session.get(User, user_id) if user_id else None


@bp.post("/courses/<slug:slug>/draft/update")
@login_required
def update_draft(slug: str) -> str | Response:
    """Rebase the author's draft on the version published since they started it; modules and
    settings both changed come back as a page with both sides and a choice for each (400 with
    the reason when the choices sent cannot be used)."""
    course, draft = _course_and_draft(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if draft is None:
        abort(404)
    try:
        kept = rebase.update_from_newest(draft, _chosen("choice-"), _chosen("setting-"))
    except rebase.Conflicts as conflicts:
        db.session.rollback()
        return render(
            "studio/rebase.html", course=course, conflicts=conflicts, action=FlaskForm()
        ), (400 if conflicts.problem else 409)
    db.session.commit()
    flash(
        "Your draft is now based on the newest version"
        + (f", keeping your changes to {', '.join(kept)}." if kept else "."),
        "success",
    )
    return redirect(url_for("studio.publish", slug=slug))


def _chosen(prefix: str) -> dict[str, str]:
    """The update page's choices with this prefix, as sent: the service judges them."""
    return {
        key.removeprefix(prefix): value
        for key, value in request.form.items()
        if key.startswith(prefix)
    }


@bp.route("/courses/<slug:slug>/drafts/<int:version_id>", methods=["GET", "POST"])
@login_required
def review_draft(slug: str, version_id: int) -> str | Response:
    """Another instructor reads an author's draft and, if the course asks for it, approves it."""
    course = managed_course_or_404(slug, current_user)
    draft = db.session.get(CourseVersion, version_id)
    if draft is None or draft.course_id != course.id or not draft.is_draft:
        abort(404)
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            approval.approve(draft, current_user, form.note.data or "", form.seen.data)
        except drafts.DraftError as error:
            db.session.rollback()
            form.note.errors = [*form.note.errors, str(error)]
        else:
            db.session.commit()
            flash("Your approval is recorded. The author can publish this draft now.", "success")
            return redirect(url_for("studio.course", slug=slug))
    elif request.method == "POST":
        db.session.rollback()
    form.seen.data = approval.state_of(draft)  # what this page shows
    return render(
        "studio/review_draft.html",
        course=course,
        draft=draft,
        author=db.session.get(User, draft.author_id),
        modules=drafts.modules_of(draft),
        changes=publishing.changes(draft),
        approval=approval.approval(draft),
        form=form,
    )


@bp.post("/courses/<slug:slug>/approval-setting")
@login_required
def approval_setting(slug: str) -> Response:
    """Owners and admins decide whether publishing needs a second instructor's approval."""
    course = managed_course_or_404(slug, current_user)
    if not owners.can_change_people(current_user, course):
        abort(403)
    form = ApprovalSettingForm()
    if not form.validate_on_submit():
        abort(400)
    course.requires_approval = bool(form.requires_approval.data)
    db.session.commit()
    current_app.logger.info(
        "course %d: approval before publishing %s by user %d",
        course.id,
        "required" if course.requires_approval else "not required",
        current_user.id,
    )
    flash(
        "Publishing now needs another instructor's approval."
        if course.requires_approval
        else "Publishing no longer needs a second instructor's approval.",
        "success",
    )
    return redirect(url_for("studio.course", slug=slug))


@bp.post("/courses/<slug:slug>/listing")
@login_required
def listing(slug: str) -> Response:
    """Owners and admins show a published course in the catalogue, or take it out (learners
    already enrolled keep their version either way)."""
    course = managed_course_or_404(slug, current_user)
    if not owners.can_change_people(current_user, course):
        abort(403)
    form = ListingForm()
    if not form.validate_on_submit():
        abort(400)
    if course.current_version_id is None:
        flash("Publish a first version before listing the course.", "error")
        return redirect(url_for("studio.course", slug=slug))
    course.status = "published" if form.listed.data else "draft"
    db.session.commit()
    current_app.logger.info(
        "course %d: %s the catalogue by user %d",
        course.id,
        "listed in" if form.listed.data else "taken out of",
        current_user.id,
    )
    flash(
        "The course is in the catalogue."
        if form.listed.data
        else "The course is out of the catalogue; enrolled learners keep it.",
        "success",
    )
    return redirect(url_for("studio.course", slug=slug))
