"""/review: the due count, a session of up to 20 cards, rating, adding to the deck, settings.

Works without JavaScript: the prompt is a page, "Show answer" a link (GET: showing changes
nothing), each rating a POST with its CSRF token that leads to the next card.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from ..extensions import db
from ..learn import services as learn_services
from ..learn.views import _course_or_404
from . import cards, services
from .content import answer_of
from .forms import AddKeypointForm, AddQuestionForm, RateForm, ReviewSettingsForm
from .nav import review_due
from .scheduler import RATINGS

bp = Blueprint("review", __name__, url_prefix="/review")
bp.add_app_template_global(review_due, "review_due")


def _done() -> int:
    """Cards rated so far in this session (from the link; a bad value starts afresh)."""
    done = request.args.get("done", 0, type=int)
    return done if 0 <= done <= services.SESSION_SIZE else 0


@bp.get("")
@login_required
def index() -> str:
    # Catch-up, not a change of anything the learner did: cards for misses whose key the
    # policy has released since, and cards moved to the versions the learner now takes.
    services.bring_up_to_date(current_user)
    db.session.commit()
    return render_template(
        "review/index.html",
        due=services.due_count(current_user),
        deck=services.deck_size(current_user),
        session_size=services.SESSION_SIZE,
        finished=request.args.get("finished", 0, type=int),
    )


@bp.get("/session")
@login_required
def session() -> str | Response:
    done = _done()
    card = services.next_due(current_user) if done < services.SESSION_SIZE else None
    if card is None:
        return redirect(url_for("review.index", finished=done or None))
    course, module = services.card_place(card)
    return render_template(
        "review/card.html", card=card, course=course, module=module, done=done, answer=None
    )


@bp.get("/cards/<int:card_id>/answer")
@login_required
def answer(card_id: int) -> str:
    try:
        card = services.own_card(current_user, card_id)
    except services.CardNotFound:
        abort(404)
    course, module = services.card_place(card)
    return render_template(
        "review/card.html",
        card=card,
        course=course,
        module=module,
        done=_done(),
        answer=answer_of(card.content) if card.kind == "question" else None,
        shown=True,
        form=RateForm(),
        ratings=list(RATINGS),
    )


@bp.post("/cards/<int:card_id>/rate")
@login_required
def rate(card_id: int) -> Response:
    form = RateForm()
    if not form.validate_on_submit() or form.rating.data not in RATINGS:
        abort(400)
    done = (form.done.data or 0) + 1
    try:
        services.rate_card(current_user, card_id, RATINGS[form.rating.data])
    except services.CardNotFound:
        abort(404)
    except services.NotDue:
        db.session.rollback()
        flash("That card was already rated; here is the next one.", "info")
        return redirect(url_for("review.session", done=done - 1))
    db.session.commit()
    return redirect(url_for("review.session", done=done))


@bp.post("/add/question")
@login_required
def add_question() -> Response:
    form = AddQuestionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cards.add_question(current_user, form.attempt_id.data, form.question.data)
        db.session.commit()
    except cards.NotEligible:
        abort(404)
    except IntegrityError:  # the same card added by a second click at the same moment
        db.session.rollback()
    flash("Added to your review deck.", "success")
    return redirect(url_for("quiz.result", attempt_id=form.attempt_id.data))


@bp.post("/courses/<slug:slug>/modules/<slug:module_slug>/keypoints")
@login_required
def add_keypoint(slug: str, module_slug: str) -> Response:
    course = _course_or_404(slug)
    module = learn_services.module_in_course(course, current_user, module_slug)
    if module is None:
        abort(404)
    form = AddKeypointForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cards.add_keypoint(current_user, course, module, form.keypoint.data)
        db.session.commit()
    except cards.NotEligible:
        abort(404)
    except IntegrityError:
        db.session.rollback()
    flash("Key point added to your review deck.", "success")
    return redirect(
        url_for("learn.module", slug=slug, module_slug=module_slug, _anchor=form.keypoint.data)
    )


@bp.post("/settings")
@login_required
def settings() -> Response:
    form = ReviewSettingsForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for name, errors in form.errors.items():
            for message in errors:
                flash(f"{form[name].label.text}: {message}", "error")
        return redirect(url_for("auth.account"))
    services.set_preferences(current_user, float(form.retention.data), form.weekly_mail.data)
    db.session.commit()
    flash("Your review settings are saved.", "success")
    return redirect(url_for("auth.account"))
