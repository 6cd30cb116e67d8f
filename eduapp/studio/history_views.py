"""What changed between two published versions of a course, and rolling back to one.

Every view starts with ``managed_course_or_404``. Comparing is a GET with the two version
numbers in the query (a form of two lists, no script needed); rolling back is a POST that puts
the older version in the author's draft (asking first when that replaces unpublished work)
and sends them to the publish page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import CourseVersion
from . import compare, drafts, publishing, rollback
from .access import managed_course_or_404
from .views import bp


def _number(name: str) -> int | None:
    """A version number from the query: absent is None; anything but a number is a 404."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 6:
        abort(404)
    return int(raw)


@bp.get("/courses/<slug:slug>/changes")
@login_required
def changes(slug: str) -> str:
    """Compare any two published versions; by default the newest with the one before it."""
    course = managed_course_or_404(slug, current_user)
    numbers = list(
        db.session.execute(
            db.select(CourseVersion.number, CourseVersion.label)
            .where(CourseVersion.course_id == course.id, CourseVersion.number.is_not(None))
            .order_by(CourseVersion.number.desc())
        ).all()
    )
    newer_n, older_n = _number("to"), _number("from")
    if newer_n is None:
        newer_n = numbers[0].number if numbers else None
    if older_n is None and newer_n is not None:
        older_n = next((n.number for n in numbers if n.number < newer_n), None)
    newer = rollback.published_version(course, newer_n) if newer_n is not None else None
    older = rollback.published_version(course, older_n) if older_n is not None else None
    if (request.args.get("to") and newer is None) or (request.args.get("from") and older is None):
        abort(404)
    result = compare.compare(older, newer) if older is not None and newer is not None else None
    return render(
        "studio/changes.html",
        course=course,
        versions=numbers,
        older=older,
        newer=newer,
        result=result,
        action=FlaskForm(),
    )


@bp.post("/courses/<slug:slug>/versions/<int:number>/restore")
@login_required
def restore(slug: str, number: int) -> str | Response:
    """Roll back: version ``number`` becomes the author's draft, to publish as a new version."""
    course = managed_course_or_404(slug, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    version = rollback.published_version(course, number)
    if version is None:
        abort(404)
    mine = drafts.draft_of(course, current_user)
    if mine is not None and publishing.changes(mine).any and not confirm.confirmed():
        return confirm.ask(
            title=f"Replace your draft with version {version.label}?",
            consequence="Your draft has changes that are not published; they are lost, and "
            f"your draft becomes a copy of version {version.label}. Published versions stay "
            "exactly as they are.",
            button=f"Replace my draft with version {version.label}",
            cancel_url=url_for("studio.changes", slug=course.slug),
        )
    try:
        rollback.restore_into_draft(course, version, current_user)
    except drafts.DraftError as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("studio.changes", slug=course.slug))
    db.session.commit()
    flash(
        f"Your draft now holds version {version.label}. Check it, then publish it as a new "
        "version: learners are offered it as they are offered any new version.",
        "success",
    )
    return redirect(url_for("studio.publish", slug=course.slug))
