"""Practice exams: choose a blueprint and a size, take the exam, read the score per area.

Every page is the learner's own: someone else's exam answers 404, as one that does not exist.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask import render_template as render
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..content.yamlfile import ContentError
from ..extensions import db
from ..models import PracticeExam
from ..quiz import save_reply
from ..quiz.grading import InvalidResponse
from ..quiz.services import parse_responses
from . import deck, draw, services
from .blueprint import Blueprint as ExamBlueprint
from .blueprint import load_all
from .forms import StartForm, SubmitForm

bp = Blueprint("practice", __name__, url_prefix="/practice")


def _blueprints() -> list[ExamBlueprint]:
    try:
        return load_all(Path(current_app.config["BLUEPRINTS_DIR"]))
    except ContentError:
        current_app.logger.exception("a practice blueprint could not be read")
        return []


def _blueprint_or_404(slug: str) -> ExamBlueprint:
    found = next((b for b in _blueprints() if b.slug == slug), None)
    if found is None:
        abort(404)
    return found


def _exam_or_404(exam_id: int) -> PracticeExam:
    exam = services.own_exam(exam_id, current_user)
    if exam is None:
        abort(404)
    return exam


@bp.get("")
@login_required
def index() -> str:
    """The blueprints, how many questions each area has open to this learner, past exams."""
    pool = draw.eligible(current_user)
    blueprints = _blueprints()
    open_to_you = {
        b.slug: {a.id: sum(1 for c in pool if c.tags & set(a.tags)) for a in b.areas}
        for b in blueprints
    }
    past = list(
        db.session.execute(
            db.select(PracticeExam)
            .where(PracticeExam.user_id == current_user.id)
            .order_by(PracticeExam.started_at.desc())
            .limit(20)
        ).scalars()
    )
    return render(
        "practice/index.html",
        blueprints=blueprints,
        open_to_you=open_to_you,
        form=StartForm(),
        current=services.open_exam(current_user),
        past=past,
    )


@bp.post("/<slug:slug>/start")
@login_required
def start(slug: str) -> Response:
    blueprint = _blueprint_or_404(slug)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        exam = services.start(current_user, blueprint, int(form.size.data), bool(form.timed.data))
    except services.PracticeError as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("practice.index"))
    db.session.commit()
    return redirect(url_for("practice.exam", exam_id=exam.id))


@bp.route("/exams/<int:exam_id>", methods=["GET", "POST"])
@login_required
def exam(exam_id: int) -> str | Response:
    """The exam's questions (GET) or its submission (POST), graded once."""
    found = _exam_or_404(exam_id)
    if found.submitted_at is not None:
        return redirect(url_for("practice.result", exam_id=found.id))
    if request.method == "POST" or services.time_is_up(found):
        # A timed exam whose time ran out is scored on its saved answers when next opened.
        if request.method == "POST" and not SubmitForm().validate_on_submit():
            abort(400)
        posted = parse_responses(request.form.to_dict(flat=False))
        try:
            submitted = services.submit(found, posted)
        except InvalidResponse:
            db.session.rollback()
            abort(400)
        db.session.commit()
        if submitted:
            _cards_after_submit(exam_id)
        return redirect(url_for("practice.result", exam_id=exam_id))
    areas = {a["id"]: a["title"] for a in found.snapshot["areas"]}
    return render(
        "practice/exam.html",
        exam=found,
        areas=areas,
        form=SubmitForm(),
    )


def _cards_after_submit(exam_id: int) -> None:
    """Missed questions to the review deck, in a transaction of its own after the exam's
    commit: a failure here is logged and can never undo or repeat the submit."""
    try:
        made = deck.send_missed(current_user, db.session.get_one(PracticeExam, exam_id))
        db.session.commit()
    except Exception:  # the exam stands; the learner can still add questions by hand
        db.session.rollback()
        current_app.logger.exception("review cards after practice exam %s", exam_id)
        return
    if made:
        flash(
            f"{made} question{'s' * (made != 1)} you missed {'is' if made == 1 else 'are'} in "
            "your review deck, due tomorrow.",
            "success",
        )


@bp.post("/exams/<int:exam_id>/save")
@login_required
def save(exam_id: int) -> Response | tuple[Response, int]:
    """Autosave (quiz.js posts here as each answer changes) and the no-script Save button."""
    found = _exam_or_404(exam_id)
    if not SubmitForm().validate_on_submit():
        abort(400)
    back = url_for("practice.exam", exam_id=exam_id)
    try:
        services.save_answers(found, parse_responses(request.form.to_dict(flat=False)))
    except InvalidResponse:
        db.session.rollback()
        abort(400)
    except services.PracticeError as refused:
        db.session.rollback()
        return save_reply.refused(str(refused), back)
    db.session.commit()
    return save_reply.saved(len(found.responses), back)


@bp.get("/exams/<int:exam_id>/result")
@login_required
def result(exam_id: int) -> str | Response:
    found = _exam_or_404(exam_id)
    if found.submitted_at is None:
        return redirect(url_for("practice.exam", exam_id=found.id))
    scores = services.area_scores(found)
    return render(
        "practice/result.html",
        exam=found,
        scores=scores,
        results=found.results["questions"] if found.results else {},
        areas={a["id"]: a["title"] for a in found.snapshot["areas"]},
        missed=services.missed(found),
        review_items=services.review_items(found),
        over_time=services.over_time(found),
        counts=Counter(q["area"] for q in found.snapshot["questions"]),
    )
