"""Reading a Moodle question bank (GIFT or Aiken) into a quiz of the author's draft.

The rules are ``quizupload``'s; the view checks access, shows refusals beside the form with
each problem's line, and commits only a bank that was read whole.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..security import allow_upload
from . import drafts, quizupload
from .access import managed_course_or_404
from .forms import QuestionBankForm
from .views import bp

allow_upload("studio.import_bank", quizupload.MAX_BYTES + 64 * 1024)


@bp.route("/courses/<slug:slug>/draft/quizzes/<slug:key>/import", methods=["GET", "POST"])
@login_required
def import_bank(slug: str, key: str) -> str | Response:
    """GET: the form for a module's quiz (``key`` is its slug) or the final; POST: read it."""
    course = managed_course_or_404(slug, current_user)
    draft = drafts.draft_of(course, current_user)
    if draft is None:
        abort(404)
    try:
        module, quiz = quizupload.target_quiz(draft, key)
    except LookupError:
        abort(404)
    form = QuestionBankForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.bank.data
        try:
            done = quizupload.import_bank(
                draft,
                key,
                upload.read(quizupload.MAX_BYTES + 1),
                upload.filename or "",
                form.kind.data or "",
                form.mode.data or "",
            )
        except quizupload.BankRefused as refused:
            db.session.rollback()
            form.bank.errors = [*form.bank.errors, str(refused)]
            problems = refused.problems
        else:
            db.session.commit()
            count = f"{done.added} question{'s' * (done.added != 1)}"
            flash(
                f"{count} from {upload.filename} {'is' if done.added == 1 else 'are'} in "
                f"“{done.quiz.title}” in your draft; learners see "
                f"{'it' if done.added == 1 else 'them'} once you publish."
                + (" Notes: " + "; ".join(done.warnings) if done.warnings else ""),
                "success",
            )
            return redirect(url_for("studio.draft", slug=course.slug))
    return render(
        "studio/import_bank.html",
        course=course,
        module=module,
        quiz=quiz,
        key=key,
        form=form,
        problems=problems,
    )
