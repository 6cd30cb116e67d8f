"""The draft overview: an author's private copy of a course, its modules in order, and the
changes to the draft as a whole (start it, add a module, reorder, discard).

Every view starts with ``managed_course_or_404``; every change is a CSRF-checked POST form
that works without JavaScript, and redirects back to the overview (post, redirect, get).
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..extensions import db
from ..models import Course, CourseVersion
from . import drafts
from .access import managed_course_or_404
from .forms import MoveForm, NewModuleForm
from .views import bp

DIRECTIONS = {"up": -1, "down": 1}


@bp.get("/courses/<slug:slug>/draft")
@login_required
def draft(slug: str) -> str:
    """The author's draft with its modules, or, before they have one, what starting means."""
    course = managed_course_or_404(slug, current_user)
    return _overview(course, drafts.draft_of(course, current_user), NewModuleForm())


def _overview(course: Course, draft: CourseVersion | None, form: NewModuleForm) -> str:
    base = db.session.get(CourseVersion, draft.base_id) if draft and draft.base_id else None
    return render(
        "studio/draft.html",
        course=course,
        draft=draft,
        base=base,
        modules=drafts.modules_of(draft) if draft else [],
        form=form,
        action=FlaskForm(),
    )


@bp.post("/courses/<slug:slug>/draft")
@login_required
def start_draft(slug: str) -> Response:
    """ "Start editing": the author's own copy of the newest version (or the one they have)."""
    course = managed_course_or_404(slug, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    drafts.open_draft(course, current_user)
    db.session.commit()
    return redirect(url_for("studio.draft", slug=course.slug))


def _draft_or_404(course: Course) -> CourseVersion:
    found = drafts.draft_of(course, current_user)
    if found is None:
        abort(404)
    return found


@bp.post("/courses/<slug:slug>/draft/modules")
@login_required
def add_module(slug: str) -> str | Response:
    """A new, empty module at the end of the draft, opened in the editor at once."""
    course = managed_course_or_404(slug, current_user)
    form = NewModuleForm()
    found = drafts.draft_of(course, current_user)
    if not form.validate_on_submit():
        return _overview(course, found, form)
    if found is None:
        abort(404)
    module = drafts.add_module(found, form.new_title.data or "")
    db.session.commit()
    flash(f"“{module.title}” is added at the end of your draft.", "success")
    return redirect(url_for("studio.edit_module", slug=course.slug, module_slug=module.slug))


@bp.post("/courses/<slug:slug>/draft/modules/<slug:module_slug>/move")
@login_required
def move_module(slug: str, module_slug: str) -> Response:
    """Move up / Move down: a button per module, so reordering needs no dragging."""
    course = managed_course_or_404(slug, current_user)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in DIRECTIONS:
        abort(400, "Choose to move the module up or down.")
    found = _draft_or_404(course)
    module = drafts.module_of(found, module_slug)
    if module is None:
        abort(404)
    drafts.move_module(found, module, DIRECTIONS[form.direction.data])
    db.session.commit()
    flash(f"“{module.title}” is now module {module.position}.", "success")
    return redirect(url_for("studio.draft", slug=course.slug, _anchor=f"module-{module.slug}"))


@bp.post("/courses/<slug:slug>/draft/discard")
@login_required
def discard_draft(slug: str) -> str | Response:
    """Throw the draft away, after the no-JavaScript confirmation; the published course stays."""
    course = managed_course_or_404(slug, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    found = _draft_or_404(course)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Discard your draft of {course.title}?",
            consequence="Every change in your draft is lost: its modules, text and figures. "
            "The published course stays exactly as learners see it now.",
            button="Discard my draft",
            cancel_url=url_for("studio.draft", slug=course.slug),
        )
    drafts.discard(found)
    db.session.commit()
    flash(f"Your draft of {course.title} is discarded.", "success")
    return redirect(url_for("studio.course", slug=course.slug))
