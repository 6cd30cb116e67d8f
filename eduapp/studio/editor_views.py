"""The module editor: a module of the author's draft, its Markdown beside a live preview, a
toolbar for our format, figure uploads, and saves that never overwrite a newer save.

Without JavaScript, Save posts the form and comes back with a message (post, redirect, get)
and Preview posts it to the preview route. With it (eduapp/static/editor.js) the same save URL
is called with ``Accept: application/json`` and answers JSON: 200 saved, 409 a conflict with
both texts, 400 refused input, 413 too long.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..clock import now
from ..extensions import db
from ..figures import FigureError
from ..models import Course, CourseVersion, Figure, Module
from ..security import allow_long_text, allow_upload
from ..templating import user_zone
from . import drafts, editing, preview
from .access import managed_course_or_404
from .forms import FigureForm, ModuleForm
from .views import bp

allow_long_text("studio.edit_module", 1024 * 1024)
# A figure is at most 1 MB; the form around it adds a little.
allow_upload("studio.upload_figure", 1024 * 1024 + 64 * 1024)
HASH = re.compile(r"[0-9a-f]{64}")


def _catalogue() -> Path:
    return Path(current_app.config["COURSES_DIR"])


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _module_or_404(course: Course, module_slug: str) -> tuple[CourseVersion, Module]:
    """The module in the author's own draft; no draft, or no such module in it: 404."""
    draft = drafts.draft_of(course, current_user)
    module = drafts.module_of(draft, module_slug) if draft else None
    if draft is None or module is None:
        abort(404)
    return draft, module


@bp.route("/courses/<slug:slug>/draft/modules/<slug:module_slug>", methods=["GET", "POST"])
@login_required
def edit_module(slug: str, module_slug: str) -> str | Response | tuple[object, int]:
    """Show the editor (GET) or save the module (POST; JSON for the editor's script)."""
    course = managed_course_or_404(slug, current_user)
    draft, module = _module_or_404(course, module_slug)
    if request.method == "GET":
        form = ModuleForm(
            title=module.title,
            body=module.source or "",
            based_on=drafts.text_hash(module.source, module.title),
        )
        return _editor(course, draft, module, form)
    form = ModuleForm()
    based_on = form.based_on.data or ""
    if not HASH.fullmatch(based_on):  # a field no person types: a tampered or broken form
        abort(400, "The form is missing what the editor started from; reload the page.")
    if not form.validate_on_submit():
        if form.errors.keys() - {"title"}:
            abort(400)
        return _refused(course, draft, module, form, " ".join(form.title.errors))
    body = form.body.data or ""
    if len(body) > preview.MAX_BODY_CHARS:
        message = (
            f"A module's text may be at most {preview.MAX_BODY_CHARS:,} characters, and this "
            f"one has {len(body):,}. Split it into two modules; nothing was saved."
        )
        if _wants_json():
            return jsonify(message=message), 413
        abort(413, message)
    try:
        saved = drafts.save_module(
            draft,
            module,
            title=form.title.data or "",
            source=body,
            based_on=based_on,
            catalogue=_catalogue(),
        )
    except drafts.Conflict as conflict:
        db.session.rollback()
        return _conflict(course, module, conflict, form.title.data or "")
    except drafts.DraftError as error:
        db.session.rollback()
        return _refused(course, draft, module, form, str(error))
    db.session.commit()
    problems = saved.preview.problems
    if _wants_json():
        at = now().astimezone(user_zone()).strftime("%H:%M")
        return jsonify(
            saved_at=at,
            based_on=drafts.text_hash(saved.module.source, saved.module.title),
            problems=problems,
        )
    message = "Saved."
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        message += f" {count} would stop this module from being published: " + "; ".join(problems)
    flash(message, "success" if not problems else "error")
    return redirect(url_for("studio.edit_module", slug=course.slug, module_slug=module.slug))


def _refused(
    course: Course, draft: CourseVersion, module: Module, form: ModuleForm, message: str
) -> str | tuple[object, int]:
    if _wants_json():
        return jsonify(message=f"Not saved: {message}"), 400
    if message not in form.title.errors:
        form.title.errors = [*form.title.errors, message]
    return _editor(course, draft, module, form)


def _conflict(
    course: Course, module: Module, conflict: drafts.Conflict, title: str
) -> tuple[object, int]:
    """Both texts: the author keeps theirs (saved again over the newer one) or takes it."""
    theirs_hash = drafts.text_hash(conflict.theirs, conflict.title)
    if _wants_json():
        return jsonify(
            message=str(conflict),
            mine=conflict.mine,
            theirs=conflict.theirs,
            mine_title=conflict.mine_title,
            theirs_title=conflict.title,
            based_on=theirs_hash,
        ), 409
    keep = ModuleForm(formdata=None, title=title, body=conflict.mine, based_on=theirs_hash)
    return render(
        "studio/conflict.html", course=course, module=module, conflict=conflict, form=keep
    ), 409


def _editor(
    course: Course,
    draft: CourseVersion,
    module: Module,
    form: ModuleForm,
    figure_form: FigureForm | None = None,
) -> str:
    figure_form = figure_form or FigureForm(module=module.slug)
    return render(
        "studio/editor.html",
        course=course,
        draft=draft,
        module=module,
        form=form,
        figure_form=figure_form,
        preview=preview.preview_for_version(draft, form.body.data or "", _catalogue()),
        toolbar=editing.toolbar_data(draft, _catalogue(), now().astimezone(user_zone()).date()),
    )


@bp.post("/courses/<slug:slug>/draft/figures")
@login_required
def upload_figure(slug: str) -> str | Response | tuple[object, int]:
    """Add an image to the draft through the figure service's checks, then offer its Markdown.

    Anything refused (not an image by its content, too big, an SVG with a script, a name
    already used for another picture) comes back beside the form, and nothing is written.
    """
    course = managed_course_or_404(slug, current_user)
    draft = drafts.draft_of(course, current_user)
    form = FigureForm()
    back = drafts.module_of(draft, form.module.data or "") if draft else None
    error = None
    if form.validate_on_submit() and draft is not None:
        upload = form.figure.data
        try:
            name = editing.figure_name(form.figure_name.data, upload.filename)
            row = editing.add_figure(draft, upload.read(), name)
        except FigureError as refused:
            db.session.rollback()
            error = f"Image file: {refused}."
            form.figure.errors = [error]
        except drafts.DraftError as refused:
            db.session.rollback()
            error = str(refused)
            form.figure_name.errors = [error]
        else:
            db.session.commit()
            code = editing.snippet(row.path)
            if _wants_json():
                image = db.session.get_one(Figure, row.sha256)
                return jsonify(path=row.path, snippet=code, width=image.width, height=image.height)
            flash(f"{row.path} is in your draft. Put it in the text with: {code}", "success")
            if back is None:
                return redirect(url_for("studio.draft", slug=course.slug))
            return redirect(url_for("studio.edit_module", slug=course.slug, module_slug=back.slug))
    elif draft is None and not form.errors:
        abort(404)
    if _wants_json():
        errors = [e for field in form.errors.values() for e in field]
        return jsonify(message=error or " ".join(errors) or "The upload was refused."), 400
    if back is None or draft is None:
        abort(400, error or "Choose an image file to upload.")
    editor_form = ModuleForm(
        formdata=None,
        title=back.title,
        body=back.source or "",
        based_on=drafts.text_hash(back.source, back.title),
    )
    return _editor(course, draft, back, editor_form, form)
