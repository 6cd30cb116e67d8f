"""Taking a quiz: overview, start or resume, answer, submit once, review the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import confirm
from ..certificates.next_step import after_final
from ..clock import now
from ..extensions import db
from ..learn import services as learn_services
from ..learn.views import _course_or_404
from ..models import FINAL_KEY, AttemptStatus, Course, CourseVersion, Quiz
from ..review import cards as review_cards
from ..templating import local_time
from . import answered, policy, save_reply, services, tries
from .forms import AttemptForm, StartForm
from .grading import InvalidResponse
from .review import review

bp = Blueprint("quiz", __name__)


def _quiz_or_404(course: Course, key: str) -> Quiz:
    """The quiz in the version this learner takes."""
    enrolment = learn_services.enrolment_of(current_user, course)
    quiz = services.quiz_in_course(course, key, learn_services.version_id_for(course, enrolment))
    if quiz is None:
        abort(404)
    return quiz


@bp.get("/courses/<slug:slug>/quizzes/<slug:key>")
@login_required
def overview(slug: str, key: str) -> str:
    course = _course_or_404(slug)
    quiz = _quiz_or_404(course, key)
    attempts = tries.attempts_for(current_user, quiz)
    status = services.status_for(current_user, quiz)
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    allowed = tries.allowed_attempts(current_user, quiz)
    remaining = None if allowed is None else max(0, allowed - len(attempts))
    ready = tries.next_attempt_at(quiz, status.last_submitted)
    return render_template(
        "quiz/overview.html",
        course=course,
        quiz=quiz,
        attempts=attempts,
        open_attempt=open_attempt,
        allowed=allowed,
        open_time_up=open_attempt is not None and services.time_is_up(open_attempt),
        status=status,
        remaining=remaining,
        ready=ready if ready is not None and ready > now() else None,
        questions=quiz.draw or services.question_count(quiz),
        review_note=policy.review_note(quiz, allowed),
        form=StartForm(),
    )


@bp.post("/courses/<slug:slug>/quizzes/<slug:key>/start")
@login_required
def start(slug: str, key: str) -> Response:
    course = _course_or_404(slug)
    quiz = _quiz_or_404(course, key)
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(current_user, quiz)
    except services.MustWait as wait:
        db.session.rollback()
        flash(
            f"This quiz asks for a pause between attempts: you can start the next one from "
            f"{local_time(wait.ready)}.",
            "error",
        )
        return redirect(url_for("quiz.overview", slug=slug, key=key))
    except services.QuizError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("quiz.overview", slug=slug, key=key))
    db.session.commit()
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _own_attempt_or_404(attempt_id: int) -> services.Attempt:
    attempt = services.own_attempt(attempt_id, current_user)
    if attempt is None:
        abort(404)
    return attempt


def _context(attempt: services.Attempt) -> tuple[Course, Quiz]:
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    return db.session.get_one(Course, quiz.course_id), quiz


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> str | Response:
    attempt = _own_attempt_or_404(attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    course, quiz = _context(attempt)
    return render_template(
        "quiz/attempt.html",
        course=course,
        quiz=quiz,
        attempt=attempt,
        saved=attempt.responses,
        questions=answered.numbered(attempt.snapshot, attempt.responses),
        numbers=answered.numbers_by_key(attempt.snapshot),
        time_up=services.time_is_up(attempt),
        form=AttemptForm(),
    )


@contextmanager
def _refusing_bad_attempt_requests() -> Iterator[None]:
    """Someone else's or a missing attempt is a 404; answers no form could send are a 400.
    Either way nothing is written."""
    try:
        yield
    except services.AttemptNotFound:
        db.session.rollback()
        abort(404)
    except InvalidResponse as error:
        db.session.rollback()
        abort(400, f"These answers do not fit this quiz ({error}). Reload the page and try again.")


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save(attempt_id: int) -> Response | tuple[Response, int]:
    """Autosave (our script posts here as each answer changes) and the no-script Save button."""
    if not AttemptForm().validate_on_submit():
        abort(400)
    responses = services.parse_responses(request.form.to_dict(flat=False))
    back = url_for("quiz.attempt", attempt_id=attempt_id)
    try:
        with _refusing_bad_attempt_requests():
            attempt = services.save_answers(attempt_id, current_user, responses)
    except (services.AlreadySubmitted, services.TimeIsUp) as error:
        db.session.rollback()
        return save_reply.refused(str(error), back)
    db.session.commit()
    return save_reply.saved(len(attempt.responses), back)


def _check_before_submit(attempt_id: int) -> str | tuple[str, int] | None:
    """The summary a learner sees before submitting with questions unanswered, or None to grade.

    The answers posted are saved first, so "Go back" finds them all; "Submit anyway" posts the
    same answers again with ``confirmed=yes`` (confirm.py's convention, no script needed). Once
    time is up nothing is asked: the attempt is graded as it stands.
    """
    attempt = _own_attempt_or_404(attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS or services.time_is_up(attempt):
        return None
    responses = services.parse_responses(request.form.to_dict(flat=False))
    questions = answered.numbered(attempt.snapshot, responses)
    missing = [q.number for q in questions if not q.answered]
    if not missing:
        return None
    try:
        with _refusing_bad_attempt_requests():
            services.save_answers(attempt_id, current_user, responses)
    except services.TimeIsUp:
        db.session.rollback()
        return None
    except services.AlreadySubmitted:
        db.session.rollback()
        return render_template("quiz/already_submitted.html", attempt_id=attempt_id), 409
    db.session.commit()
    course, quiz = _context(attempt)
    return render_template(
        "quiz/unanswered.html",
        course=course,
        quiz=quiz,
        attempt=attempt,
        total=len(questions),
        answered_count=len(questions) - len(missing),
        missing=missing,
        carried=[
            (name, value)
            for name, value in request.form.items(multi=True)
            if name.startswith("q-") and value
        ],
        confirmed_value=confirm.CONFIRMED,
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int) -> Response | str | tuple[str, int]:
    """Grade the attempt once; with questions unanswered, first ask (see _check_before_submit)."""
    if not AttemptForm().validate_on_submit():
        abort(400)
    if not confirm.confirmed():
        summary = _check_before_submit(attempt_id)
        if summary is not None:
            return summary
    try:
        with _refusing_bad_attempt_requests():
            attempt, result = services.submit_attempt(
                attempt_id, current_user, services.parse_responses(request.form.to_dict(flat=False))
            )
    except services.AlreadySubmitted:
        db.session.rollback()
        return render_template("quiz/already_submitted.html", attempt_id=attempt_id), 409
    db.session.commit()
    _cards_after_submit(attempt.quiz_id)
    flash(
        f"Submitted. You scored {result.score.normalize():f}%: "
        + ("passed." if result.passed else "not a pass this time."),
        "success" if result.passed else "info",
    )
    return redirect(url_for("quiz.result", attempt_id=attempt.id))


def _cards_after_submit(quiz_id: int) -> None:
    """Review cards for what the learner missed, in a transaction of their own after the
    submit's commit: a failure here is logged and rolled back and can never fail, undo or
    repeat a submit (the grade is already committed). /review collects again when it opens,
    so a card lost here is only late."""
    try:
        quiz = db.session.get_one(Quiz, quiz_id)
        review_cards.collect_missed(current_user, tries.same_quiz(quiz))
        db.session.commit()
    except Exception:  # any failure: the submit stands, /review catches up
        db.session.rollback()
        current_app.logger.exception("review cards after submitting to quiz %s", quiz_id)


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> str | Response:
    attempt = _own_attempt_or_404(attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    course, quiz = _context(attempt)
    allowed = tries.allowed_attempts(current_user, quiz)
    show_key = policy.key_visible(quiz, services.status_for(current_user, quiz), allowed)
    items = review(attempt.snapshot, services.answers_for(attempt), key_shown=show_key)
    addable = review_cards.addable_questions(current_user, attempt, quiz)
    # The references of the version the attempt was taken in, which its questions cite.
    taken = db.session.get_one(CourseVersion, quiz.version_id)
    references = {r["id"]: r for r in taken.references}
    next_step = None
    if quiz.key == FINAL_KEY and attempt.passed:
        next_step = after_final(current_user, course)
    return render_template(
        "quiz/result.html",
        next_step=next_step,
        course=course,
        quiz=quiz,
        attempt=attempt,
        items=items,
        references=references,
        review_note=None if show_key else policy.review_note(quiz, allowed),
        addable=addable,
    )


# The instructors' page lives in its own module; importing it registers it on this blueprint.
from . import accommodation_views  # noqa: E402, F401
