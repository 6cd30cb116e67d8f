"""The question editor: a quiz of the author's draft (a module's quiz, or the final), its
settings, and each question with the item-writing lint's findings beside it and a preview as
the learner sees it.

Every change is a CSRF-checked POST form that works without JavaScript. The editor's buttons
save, preview what is typed (nothing saved) or add rows; a save is refused, never applied
over, a question saved elsewhere since the editor opened it.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import confirm
from ..content.lint import POOL
from ..content.questions import build_question
from ..content.quizschema import QuestionFile
from ..extensions import db
from ..models import Course, CourseVersion, Module, Quiz
from ..security import allow_long_text
from . import draftlint, drafts, question_form, quizedit
from .access import managed_course_or_404
from .question_preview import learner_view
from .quiz_forms import QuizSettingsForm
from .quizupload import target_quiz
from .views import bp

allow_long_text("studio.new_question", 256 * 1024)
allow_long_text("studio.edit_question", 256 * 1024)
DIRECTIONS = {"up": -1, "down": 1}
HASH = re.compile(r"[0-9a-f]{64}")
RESERVED = {"new"}  # a question id that would collide with the editor's own address


def _target(slug: str, key: str) -> tuple[Course, CourseVersion, Module | None, Quiz | None]:
    """The author's draft and its quiz ``key``; no draft or no such module: 404."""
    course = managed_course_or_404(slug, current_user)
    draft = drafts.draft_of(course, current_user)
    if draft is None:
        abort(404)
    try:
        module, quiz = target_quiz(draft, key)
    except LookupError:
        abort(404)
    return course, draft, module, quiz


@bp.get("/courses/<slug:slug>/draft/quizzes/<slug:key>")
@login_required
def quiz_page(slug: str, key: str) -> str:
    """A quiz of the draft: its settings, its questions in order with their lint findings."""
    course, draft, module, quiz = _target(slug, key)
    form = QuizSettingsForm()
    if quiz is not None:
        form.fill(quiz)
    return _quiz_page(course, draft, module, quiz, key, form)


def _quiz_page(
    course: Course,
    draft: CourseVersion,
    module: Module | None,
    quiz: Quiz | None,
    key: str,
    form: QuizSettingsForm,
    error: str | None = None,
) -> str:
    questions = quizedit.questions_of(quiz)
    found = draftlint.findings(draft, course.slug) if quiz is not None else []
    return render(
        "studio/quiz.html",
        course=course,
        draft=draft,
        module=module,
        quiz=quiz,
        key=key,
        questions=questions,
        lint=draftlint.by_question(found, quiz.name) if quiz is not None else {},
        pool=POOL,
        types=question_form.TYPES,
        form=form,
        action=FlaskForm(),
        error=error,
    )


@bp.post("/courses/<slug:slug>/draft/quizzes/<slug:key>/settings")
@login_required
def quiz_settings(slug: str, key: str) -> str | Response:
    """Save how the quiz is taken; any wrong field refuses the whole save."""
    course, draft, module, quiz = _target(slug, key)
    form = QuizSettingsForm()
    if quiz is None or not form.validate_on_submit():
        abort(400 if quiz is not None else 404)
    settings = form.settings()
    if settings is None:
        return _quiz_page(course, draft, module, quiz, key, form)
    try:
        quizedit.save_settings(draft, key, settings)
    except drafts.DraftError as refused:
        db.session.rollback()
        form.draw.errors = [str(refused)]
        return _quiz_page(course, draft, module, quiz, key, form)
    db.session.commit()
    flash(f"Saved the settings of “{quiz.title}” in your draft.", "success")
    return redirect(url_for("studio.quiz_page", slug=course.slug, key=key))


@bp.route("/courses/<slug:slug>/draft/quizzes/<slug:key>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(slug: str, key: str) -> str | Response:
    """A new question of the type chosen on the quiz page, added at the end of the quiz."""
    course, draft, module, quiz = _target(slug, key)
    kind = request.values.get("type", "")
    if request.method == "GET" and not kind:  # "Write the question" with no type chosen
        return redirect(url_for("studio.quiz_page", slug=course.slug, key=key) + "#add-heading")
    if kind not in question_form.TYPES:
        abort(404 if request.method == "GET" else 400)
    if request.method == "GET":
        return _editor(course, draft, module, quiz, key, question_form.blank(kind), None)
    return _posted(course, draft, module, quiz, key, kind, None)


@bp.route(
    "/courses/<slug:slug>/draft/quizzes/<slug:key>/questions/<slug:question>",
    methods=["GET", "POST"],
)
@login_required
def edit_question(slug: str, key: str, question: str) -> str | Response:
    """Edit one question of the draft's quiz (its type stays: a new type is a new question)."""
    course, draft, module, quiz = _target(slug, key)
    row = quizedit.question_of(quiz, question)
    if row is None or not row.source:
        abort(404)
    if request.method == "GET":
        form = question_form.from_source(row.source)
        return _editor(course, draft, module, quiz, key, form, question)
    return _posted(course, draft, module, quiz, key, row.type, question)


def _posted(
    course: Course,
    draft: CourseVersion,
    module: Module | None,
    quiz: Quiz | None,
    key: str,
    kind: str,
    existing: str | None,
) -> str | Response:
    if not FlaskForm().validate_on_submit():
        abort(400)
    based_on = request.form.get("based_on", "")
    if not HASH.fullmatch(based_on):
        abort(400)  # the editor always sends the hash of what it loaded
    form = question_form.from_post(request.form, kind)
    if existing is not None:
        form.values["id"] = existing  # an id is fixed once saved: learners' records use it
    if request.form.get("action") == "more":
        question_form.more_rows(form)
        return _editor(course, draft, module, quiz, key, form, existing, based_on=based_on)
    taken = {q.key for q in quizedit.questions_of(quiz)} - {existing} | RESERVED
    references = {r["id"] for r in draft.references or []}
    written = question_form.check(form, taken, references)
    if written is None:
        return _editor(course, draft, module, quiz, key, form, existing, based_on=based_on)
    if request.form.get("action") == "preview":
        return _editor(
            course, draft, module, quiz, key, form, existing, based_on=based_on, shown=written
        )
    try:
        saved = quizedit.save_question(draft, key, written, existing=existing, based_on=based_on)
    except drafts.DraftError as refused:
        db.session.rollback()
        form.error("form", str(refused))
        return _editor(course, draft, module, quiz, key, form, existing, based_on=based_on)
    db.session.commit()
    flash(f"Saved question “{saved.key}” in your draft.", "success")
    return redirect(
        url_for("studio.edit_question", slug=course.slug, key=key, question=saved.key) + "#preview"
    )


def _editor(
    course: Course,
    draft: CourseVersion,
    module: Module | None,
    quiz: Quiz | None,
    key: str,
    form: question_form.QuestionForm,
    existing: str | None,
    *,
    based_on: str | None = None,
    shown: QuestionFile | None = None,
) -> str:
    """The editor page: the form, the lint on the question as saved (or as previewed), and
    the learner's view of it."""
    row = quizedit.question_of(quiz, existing) if existing is not None else None
    data = None
    if shown is not None:
        data = build_question(shown, row.position if row else 10_000, 1)
    elif row is not None:
        data = draftlint.question_data(row)
    edited = (key, data) if shown is not None and data is not None else None
    found = draftlint.findings(draft, course.slug, edited=edited)
    quiz_name = quiz.name if quiz is not None else key
    subject = data.key if data is not None else None
    lint = draftlint.by_question(found, quiz_name)
    return render(
        "studio/question.html",
        course=course,
        module=module,
        quiz=quiz,
        key=key,
        form=form,
        existing=existing,
        based_on=based_on if based_on is not None else quizedit.state_hash(row),
        references=draft.references or [],
        types=question_form.TYPES,
        kinds=question_form.KINDS,
        findings=lint.get(subject, []) if subject else [],
        pool_findings=lint.get(POOL, []),
        preview=learner_view(data) if data is not None else None,
        previewing=shown is not None,
        action=FlaskForm(),
    )


@bp.post("/courses/<slug:slug>/draft/quizzes/<slug:key>/questions/<slug:question>/move")
@login_required
def move_question(slug: str, key: str, question: str) -> Response:
    """Move a question one place earlier or later in the quiz."""
    course, draft, _module, _quiz = _target(slug, key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    direction = DIRECTIONS.get(request.form.get("direction", ""))
    if direction is None:
        abort(400)
    try:
        quizedit.move_question(draft, key, question, direction)
    except LookupError:
        abort(404)
    db.session.commit()
    return redirect(url_for("studio.quiz_page", slug=course.slug, key=key) + f"#q-{question}")


@bp.post("/courses/<slug:slug>/draft/quizzes/<slug:key>/questions/<slug:question>/remove")
@login_required
def remove_question(slug: str, key: str, question: str) -> str | Response:
    """Take a question out of the draft's quiz, after the no-JavaScript confirmation."""
    course, draft, _module, quiz = _target(slug, key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if quizedit.question_of(quiz, question) is None:
        abort(404)
    if not confirm.confirmed():
        return confirm.ask(
            title=f"Remove question “{question}” from your draft?",
            consequence="The question goes from your draft's quiz, with its answers and "
            "feedback. Published versions keep it: learners who answered it keep their results.",
            button="Remove the question",
            cancel_url=url_for("studio.quiz_page", slug=course.slug, key=key),
        )
    emptied = quizedit.remove_question(draft, key, question)
    db.session.commit()
    flash(
        f"Removed question “{question}” from your draft."
        + (" The quiz had no other question, so it is gone from the draft too." if emptied else ""),
        "success",
    )
    return redirect(url_for("studio.quiz_page", slug=course.slug, key=key))
